// Extracting host names, and the ports named for them, from connector configs.
#include "plugin/manifest/allowed_hosts.h"

#include <algorithm>
#include <string_view>

namespace rapidbyte::plugin::manifest {
namespace {

using Json = nlohmann::json;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Comma-separated items, each trimmed (empty items kept, so positions stay libpq's).
std::vector<std::string_view> SplitList(std::string_view list) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = list.find(',', start);
    out.push_back(
        Trim(list.substr(start, comma == std::string_view::npos ? comma : comma - start)));
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

// Comma-separated port numbers (libpq's `port`). Invalid items are dropped: they name no
// port, so they allow none.
std::vector<std::uint16_t> PortsIn(std::string_view list) {
  std::vector<std::uint16_t> out;
  for (std::string_view item : SplitList(list)) {
    if (auto port = ParsePort(Trim(item))) out.push_back(*port);
  }
  return out;
}

// A `port` member: an integer 1-65535, or a string PortsIn reads.
std::vector<std::uint16_t> PortList(const Json& value) {
  if (value.is_string()) return PortsIn(value.get_ref<const std::string&>());
  if (!value.is_number_integer()) return {};
  const auto v = value.get<std::int64_t>();
  if (v < 1 || v > 65535) return {};
  return {static_cast<std::uint16_t>(v)};
}

// The port a URL scheme implies when the URL names none.
std::optional<std::uint16_t> SchemePort(std::string_view scheme) {
  const std::string s = Lower(scheme);
  if (s == "http") return 80;
  if (s == "https") return 443;
  if (s == "postgres" || s == "postgresql") return 5432;
  return std::nullopt;
}

class Collector {
 public:
  std::vector<ConfigHost> hosts;

  // One mention of a host, `ports` being the ports its context names for it; a ":port" of
  // its own replaces them.
  void Add(std::string_view text, std::vector<std::uint16_t> ports) {
    text = Trim(text);
    if (text.empty() || text.front() == '/') return;  // a Unix socket directory
    const std::optional<HostEntry> entry = ParseHostEntry(text);
    // A config names one host to connect to; a wildcard or a block would allow many.
    if (!entry || entry->kind == HostEntry::Kind::kSuffix ||
        entry->kind == HostEntry::Kind::kCidr) {
      return;
    }
    std::string host = Lower(text);
    if (entry->port) {
      host.erase(host.rfind(':'));
      ports = {*entry->port};
    }
    auto it = std::find_if(hosts.begin(), hosts.end(),
                           [&](const ConfigHost& h) { return h.host == host; });
    if (it == hosts.end()) it = hosts.insert(hosts.end(), ConfigHost{host, {}, false});
    for (std::uint16_t port : ports) {
      if (std::find(it->ports.begin(), it->ports.end(), port) == it->ports.end()) {
        it->ports.push_back(port);
      }
    }
    if (ports.empty()) it->portless = true;
  }

  // A host list and its ports: a port list as long as the host list pairs with it by
  // position (libpq's rule); any other list applies to every host.
  void AddList(std::string_view list, const std::vector<std::uint16_t>& ports) {
    const std::vector<std::string_view> items = SplitList(list);
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (items.size() > 1 && ports.size() == items.size()) {
        Add(items[i], {ports[i]});
      } else {
        Add(items[i], ports);
      }
    }
  }

  // scheme://[user[:password]@]host[:port][,host[:port]...][/path][?query]
  void AddUrl(std::string_view url) {
    const std::size_t scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return AddKeywordDsn(url);
    std::vector<std::uint16_t> implied;
    if (auto port = SchemePort(url.substr(0, scheme_end))) implied.push_back(*port);
    std::string_view authority = url.substr(scheme_end + 3);
    authority = authority.substr(0, authority.find_first_of("/?#"));
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
      authority = authority.substr(at + 1);
    }
    // Each part is host[:port] or [v6][:port], which Add parses.
    for (std::string_view part : SplitList(authority)) Add(part, implied);
  }

  // libpq keyword form: "host=a,b hostaddr=10.0.0.1 port=5432 dbname=x".
  void AddKeywordDsn(std::string_view dsn) {
    std::vector<std::string_view> host_lists;
    std::vector<std::uint16_t> ports;
    std::size_t pos = 0;
    while (pos < dsn.size()) {
      const std::size_t end = std::min(dsn.find(' ', pos), dsn.size());
      const std::string_view word = dsn.substr(pos, end - pos);
      for (std::string_view key : {"host=", "hostaddr="}) {
        if (word.rfind(key, 0) == 0) host_lists.push_back(word.substr(key.size()));
      }
      if (word.rfind("port=", 0) == 0) ports = PortsIn(word.substr(5));
      pos = end + 1;
    }
    for (std::string_view list : host_lists) AddList(list, ports);
  }

  void Walk(const Json& value) {
    if (value.is_array()) {
      for (const auto& item : value) Walk(item);
      return;
    }
    if (!value.is_object()) return;
    // The ports named beside the hosts of this object.
    std::vector<std::uint16_t> ports;
    for (const auto& [key, child] : value.items()) {
      if (Lower(key) == "port") {
        ports = PortList(child);
        break;
      }
    }
    for (const auto& [key, child] : value.items()) {
      const std::string k = Lower(key);
      if (child.is_string()) {
        const auto& text = child.get_ref<const std::string&>();
        if (k == "host" || k == "hostname" || k == "server" || k == "address") {
          AddList(text, ports);
        } else if (EndsWith(k, "url") || EndsWith(k, "uri") || EndsWith(k, "dsn")) {
          AddUrl(text);
        }
      } else if (k == "hosts" && child.is_array()) {
        for (const auto& item : child) {
          if (item.is_string()) Add(item.get_ref<const std::string&>(), ports);
        }
      }
      Walk(child);
    }
  }
};

// "host:port", with an IPv6 address in brackets.
std::string WithPort(const std::string& host, std::uint16_t port) {
  const bool bare_v6 = host.front() != '[' && host.find(':') != std::string::npos;
  return (bare_v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

// The value at a dotted path ("s3.endpoint") of `config`, or nullptr.
const Json* AtDottedPath(const Json& config, std::string_view path) {
  const Json* node = &config;
  while (!path.empty()) {
    const std::size_t dot = path.find('.');
    const std::string key(path.substr(0, dot));
    if (!node->is_object()) return nullptr;
    const auto it = node->find(key);
    if (it == node->end()) return nullptr;
    node = &*it;
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  }
  return node;
}

// The host of a URL's authority ("s3://bucket/prefix" -> "bucket"), when it is one DNS label.
std::optional<std::string> UrlLabel(const Json* value) {
  if (value == nullptr || !value->is_string()) return std::nullopt;
  std::string_view url = value->get_ref<const std::string&>();
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  url = url.substr(scheme_end + 3);
  url = url.substr(0, url.find_first_of("/?#"));
  if (url.empty() || url.size() > 63 || url.front() == '-' || url.back() == '-') {
    return std::nullopt;
  }
  for (char c : url) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-';
    if (!ok) return std::nullopt;
  }
  return Lower(url);
}

}  // namespace

std::vector<ConfigHost> ConfigEndpointHostPorts(const NetworkPermissions& network,
                                                const Json& config) {
  Collector collector;
  for (const std::string& field : network.config_endpoint_fields) {
    const Json* value = AtDottedPath(config, field);
    if (value != nullptr && value->is_string()) {
      collector.AddUrl(value->get_ref<const std::string&>());
    }
  }
  if (!network.config_subdomain_field) return std::move(collector.hosts);
  const std::optional<std::string> label =
      UrlLabel(AtDottedPath(config, *network.config_subdomain_field));
  if (!label) return std::move(collector.hosts);
  const std::vector<ConfigHost> endpoints = collector.hosts;
  for (const ConfigHost& endpoint : endpoints) {
    const std::optional<HostEntry> entry = ParseHostEntry(endpoint.host);
    if (!entry || entry->kind != HostEntry::Kind::kName) continue;  // not under an address
    collector.hosts.push_back(ConfigHost{*label + "." + endpoint.host, endpoint.ports,
                                         endpoint.portless});
  }
  return std::move(collector.hosts);
}

std::vector<ConfigHost> ConfigHostPorts(const Json& config) {
  Collector collector;
  collector.Walk(config);
  return std::move(collector.hosts);
}

std::vector<std::string> ConfigHosts(const Json& config) {
  std::vector<std::string> out;
  for (ConfigHost& h : ConfigHostPorts(config)) out.push_back(std::move(h.host));
  return out;
}

std::vector<std::string> AllowedHosts(const Manifest& manifest, const Json& config) {
  const NetworkPermissions& network = manifest.permissions.network;
  std::vector<std::string> out = network.allowed_domains;
  if (!network.allow_runtime_config_domains) return out;
  const std::vector<ConfigHost> hosts = network.config_endpoint_fields.empty()
                                            ? ConfigHostPorts(config)
                                            : ConfigEndpointHostPorts(network, config);
  for (const ConfigHost& h : hosts) {
    std::vector<std::uint16_t> ports = h.ports;
    if (h.portless && network.default_port &&
        std::find(ports.begin(), ports.end(), *network.default_port) == ports.end()) {
      ports.push_back(*network.default_port);
    }
    for (std::uint16_t port : ports) {
      std::string entry = WithPort(h.host, port);
      if (std::find(out.begin(), out.end(), entry) == out.end()) out.push_back(std::move(entry));
    }
  }
  return out;
}

}  // namespace rapidbyte::plugin::manifest
