// Extracting host names from connector configs.
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

class Collector {
 public:
  std::vector<std::string> hosts;

  void Add(std::string_view host) {
    host = Trim(host);
    if (host.empty() || host.front() == '/') return;  // a Unix socket directory
    if (!ParseHostEntry(host)) return;
    const std::string text = Lower(host);
    if (std::find(hosts.begin(), hosts.end(), text) == hosts.end()) hosts.push_back(text);
  }

  void AddList(std::string_view list) {
    std::size_t start = 0;
    while (start <= list.size()) {
      const std::size_t comma = list.find(',', start);
      Add(list.substr(start, comma == std::string_view::npos ? comma : comma - start));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  }

  // scheme://[user[:password]@]host[:port][,host[:port]...][/path][?query]
  void AddUrl(std::string_view url) {
    const std::size_t scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return AddKeywordDsn(url);
    std::string_view authority = url.substr(scheme_end + 3);
    authority = authority.substr(0, authority.find_first_of("/?#"));
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
      authority = authority.substr(at + 1);
    }
    std::size_t start = 0;
    while (start < authority.size()) {
      std::size_t comma = authority.find(',', start);
      if (comma == std::string_view::npos) comma = authority.size();
      std::string_view part = authority.substr(start, comma - start);
      if (!part.empty() && part.front() == '[') {
        part = part.substr(0, part.find(']') + 1);  // "[v6]"
      } else {
        part = part.substr(0, part.find(':'));
      }
      Add(part);
      start = comma + 1;
    }
  }

  // libpq keyword form: "host=a,b hostaddr=10.0.0.1 port=5432 dbname=x".
  void AddKeywordDsn(std::string_view dsn) {
    std::size_t pos = 0;
    while (pos < dsn.size()) {
      const std::size_t end = std::min(dsn.find(' ', pos), dsn.size());
      const std::string_view word = dsn.substr(pos, end - pos);
      for (std::string_view key : {"host=", "hostaddr="}) {
        if (word.rfind(key, 0) == 0) AddList(word.substr(key.size()));
      }
      pos = end + 1;
    }
  }

  void Walk(const Json& value) {
    if (value.is_array()) {
      for (const auto& item : value) Walk(item);
      return;
    }
    if (!value.is_object()) return;
    for (const auto& [key, child] : value.items()) {
      const std::string k = Lower(key);
      if (child.is_string()) {
        const auto& text = child.get_ref<const std::string&>();
        if (k == "host" || k == "hostname" || k == "server" || k == "address") {
          AddList(text);
        } else if (EndsWith(k, "url") || EndsWith(k, "uri") || EndsWith(k, "dsn")) {
          AddUrl(text);
        }
      } else if (k == "hosts" && child.is_array()) {
        for (const auto& item : child) {
          if (item.is_string()) Add(item.get_ref<const std::string&>());
        }
      }
      Walk(child);
    }
  }
};

}  // namespace

std::vector<std::string> ConfigHosts(const Json& config) {
  Collector collector;
  collector.Walk(config);
  return std::move(collector.hosts);
}

std::vector<std::string> AllowedHosts(const Manifest& manifest, const Json& config) {
  std::vector<std::string> out = manifest.permissions.network.allowed_domains;
  if (!manifest.permissions.network.allow_runtime_config_domains) return out;
  for (auto& host : ConfigHosts(config)) {
    if (std::find(out.begin(), out.end(), host) == out.end()) out.push_back(std::move(host));
  }
  return out;
}

}  // namespace rapidbyte::plugin::manifest
