// The artifact, permissions and roles sections of a manifest.
#include <algorithm>

#include "plugin/manifest/host_match.h"
#include "plugin/manifest/manifest_sections_internal.h"

namespace rapidbyte::plugin::manifest::internal {
namespace {

const std::vector<std::string> kSyncModes = {"full_refresh", "incremental", "cdc"};
const std::vector<std::string> kWriteModes = {"append", "replace", "upsert"};
const std::vector<std::string> kSourceFeatures = {"cdc", "stateful"};
const std::vector<std::string> kDestinationFeatures = {"exactly_once", "schema_auto_migrate",
                                                       "bulk_load_copy", "bulk_load_copy_binary"};
const std::vector<std::string> kTlsPolicies = {"optional", "required", "forbidden"};

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool IsEnvName(const std::string& s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

void ReadNetwork(const Json* json, NetworkPermissions& out, std::vector<std::string>& problems) {
  JsonObjectReader r(json, "permissions.network",
                     {"allowed_domains", "allow_runtime_config_domains", "default_port", "tls",
                      "config_endpoint_fields", "config_subdomain_field"},
                     problems);
  if (auto domains = r.StringList("allowed_domains", {})) {
    for (std::size_t i = 0; i < domains->size(); ++i) {
      if (!ParseHostEntry((*domains)[i])) {
        r.Problem(IndexPath("permissions.network.allowed_domains", i),
                  "'" + (*domains)[i] +
                      "' is not a host name, *.suffix, IP address or CIDR block (each "
                      "optionally with :port)");
      }
    }
    out.allowed_domains = std::move(*domains);
  }
  out.allow_runtime_config_domains = r.Bool("allow_runtime_config_domains").value_or(false);
  if (auto tls = r.String("tls", false)) {
    if (CheckOneOf(*tls, kTlsPolicies, "permissions.network.tls", problems)) {
      out.tls = *tls == "required"
                    ? TlsPolicy::kRequired
                    : (*tls == "forbidden" ? TlsPolicy::kForbidden : TlsPolicy::kOptional);
    }
  }
  if (auto port = r.Int("default_port", 1, 65535)) {
    out.default_port = static_cast<std::uint16_t>(*port);
  }
  if (auto fields = r.StringList("config_endpoint_fields", {})) {
    out.config_endpoint_fields = std::move(*fields);
  }
  if (auto field = r.String("config_subdomain_field", false)) {
    out.config_subdomain_field = std::move(*field);
  }
  r.ReportUnknownKeys();
}

void ReadPreopens(const JsonObjectReader& fs, std::vector<Preopen>& out,
                  std::vector<std::string>& problems) {
  const Json* list = fs.Get("preopens");
  if (list == nullptr) return;
  const std::string path = "permissions.fs.preopens";
  if (!list->is_array()) {
    problems.push_back(path + ": expected an array, got " + DescribeJson(*list));
    return;
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    const Json& item = (*list)[i];
    const std::string at = IndexPath(path, i);
    Preopen preopen;
    if (item.is_string()) {
      preopen.path = item.get<std::string>();
    } else if (item.is_object()) {
      JsonObjectReader r(&item, at, {"path", "write"}, problems);
      preopen.path = r.String("path", true).value_or("");
      preopen.write = r.Bool("write").value_or(false);
      r.ReportUnknownKeys();
      if (!item.contains("path")) continue;
    } else {
      problems.push_back(at + R"(: expected a path or {"path", "write"}, got )" +
                         DescribeJson(item));
      continue;
    }
    if (preopen.path.empty()) {
      problems.push_back(at + ": the path must not be empty");
      continue;
    }
    out.push_back(std::move(preopen));
  }
}

// {"field": "<config key>", "write": bool, "create": bool, "within": ["/abs", ...]}.
void ReadConfigPath(const JsonObjectReader& fs, std::optional<ConfigPathGrant>& out,
                    std::vector<std::string>& problems) {
  const std::string path = "permissions.fs.config_path";
  JsonObjectReader r(fs.Get("config_path"), path, {"field", "write", "create", "within"},
                     problems);
  if (!r.valid()) return;
  const std::size_t problems_before = problems.size();
  ConfigPathGrant grant;
  grant.field = r.String("field", true).value_or("");
  if (r.Get("field") != nullptr && r.Get("field")->is_string() && grant.field.empty()) {
    r.Problem(JoinPath(path, "field"), "must name a key of the config");
  }
  grant.write = r.Bool("write").value_or(false);
  grant.create = r.Bool("create").value_or(false);
  if (auto within = r.StringList("within", {})) {
    if (within->empty() && r.Get("within") != nullptr) {
      r.Problem(JoinPath(path, "within"),
                "must not be empty (leave it out to allow any absolute local path)");
    }
    for (std::size_t i = 0; i < within->size(); ++i) {
      if ((*within)[i].empty() || (*within)[i][0] != '/') {
        r.Problem(IndexPath(JoinPath(path, "within"), i),
                  "'" + (*within)[i] + "' is not an absolute path");
      }
    }
    grant.within = std::move(*within);
  }
  r.ReportUnknownKeys();
  if (problems.size() == problems_before) out = std::move(grant);
}

template <typename Mode>
std::vector<Mode> ToModes(const std::vector<std::string>& names,
                          const std::vector<std::string>& all) {
  std::vector<Mode> out;
  out.reserve(names.size());
  for (const auto& name : names) {
    out.push_back(static_cast<Mode>(std::find(all.begin(), all.end(), name) - all.begin()));
  }
  return out;
}

// A source or destination role: {"<modes_key>": [...] (required, non-empty), "features":
// [...]}. False when `json` is not an object (the role is then not declared).
template <typename Mode>
bool ReadModeRole(const Json* json, const std::string& path, const std::string& modes_key,
                  const std::vector<std::string>& all_modes,
                  const std::vector<std::string>& all_features, std::vector<Mode>& modes_out,
                  std::vector<std::string>& features_out, std::vector<std::string>& problems) {
  JsonObjectReader r(json, path, {modes_key, "features"}, problems);
  if (!r.valid()) return false;
  const std::string modes_path = JoinPath(path, modes_key);
  if (r.Get(modes_key) == nullptr) r.Problem(modes_path, "required");
  if (auto modes = r.StringList(modes_key, all_modes)) {
    if (modes->empty() && r.Get(modes_key) != nullptr) r.Problem(modes_path, "must not be empty");
    modes_out = ToModes<Mode>(*modes, all_modes);
  }
  features_out = r.StringList("features", all_features).value_or(std::vector<std::string>{});
  r.ReportUnknownKeys();
  return true;
}

}  // namespace

void CheckConfigPathField(const Manifest& m, std::vector<std::string>& problems) {
  if (!m.permissions.fs_config_path) return;
  const std::string& field = m.permissions.fs_config_path->field;
  const SchemaNode* property =
      m.config_schema != nullptr ? m.config_schema->Property(field) : nullptr;
  if (property == nullptr) {
    problems.push_back("permissions.fs.config_path.field: '" + field +
                       "' is not a property of config_schema");
  } else if (!property->Allows(JsonType::kString)) {
    problems.push_back("permissions.fs.config_path.field: config_schema.properties." + field +
                       " must allow a string (the directory)");
  }
}

bool IsSha256Checksum(std::string_view text) {
  if (text.rfind("sha256:", 0) == 0) text.remove_prefix(7);
  return text.size() == 64 && std::all_of(text.begin(), text.end(), IsHex);
}

void ReadArtifact(const Json* json, const std::string& connector_name, Artifact& out,
                  std::vector<std::string>& problems) {
  JsonObjectReader r(json, "artifact", {"entry_point", "checksum", "min_memory_mb"}, problems);
  out.entry_point = connector_name + ".wasm";
  if (auto entry = r.String("entry_point", false)) {
    if (entry->empty() || entry->find('/') != std::string::npos || *entry == "." ||
        *entry == "..") {
      r.Problem("artifact.entry_point",
                "'" + *entry + "' must be a file name in the manifest's directory");
    } else {
      out.entry_point = *entry;
    }
  }
  if (auto checksum = r.String("checksum", false)) {
    if (IsSha256Checksum(*checksum)) {
      out.checksum = *checksum;
    } else {
      r.Problem("artifact.checksum", "'" + *checksum +
                                         "' is not a SHA-256 checksum (expected sha256:<64 hex "
                                         "digits> or <64 hex digits>)");
    }
  }
  out.min_memory_mb = r.Int("min_memory_mb", 1, 4096);
  r.ReportUnknownKeys();
}

void ReadPermissions(const Json* json, Permissions& out, std::vector<std::string>& problems) {
  JsonObjectReader r(json, "permissions", {"network", "env", "fs"}, problems);
  ReadNetwork(r.Get("network"), out.network, problems);
  JsonObjectReader env(r.Get("env"), "permissions.env", {"allowed_vars"}, problems);
  if (auto vars = env.StringList("allowed_vars", {})) {
    for (std::size_t i = 0; i < vars->size(); ++i) {
      if (!IsEnvName((*vars)[i])) {
        env.Problem(IndexPath("permissions.env.allowed_vars", i),
                    "'" + (*vars)[i] + "' is not an environment variable name");
      }
    }
    out.env_allowed_vars = std::move(*vars);
  }
  env.ReportUnknownKeys();
  JsonObjectReader fs(r.Get("fs"), "permissions.fs", {"preopens", "config_path"}, problems);
  ReadPreopens(fs, out.fs_preopens, problems);
  ReadConfigPath(fs, out.fs_config_path, problems);
  fs.ReportUnknownKeys();
  r.ReportUnknownKeys();
}

void ReadRoles(const Json* json, Manifest& out, std::vector<std::string>& problems) {
  if (json == nullptr) {
    problems.emplace_back(
        "roles: required (at least one of source, destination, transform, utility)");
    return;
  }
  JsonObjectReader r(json, "roles", {"source", "destination", "transform", "utility"}, problems);
  if (!r.valid()) return;
  if (const Json* source = r.Get("source")) {
    SourceRole role;
    if (ReadModeRole(source, "roles.source", "supported_sync_modes", kSyncModes, kSourceFeatures,
                     role.supported_sync_modes, role.features, problems)) {
      out.source = std::move(role);
    }
  }
  if (const Json* dest = r.Get("destination")) {
    DestinationRole role;
    if (ReadModeRole(dest, "roles.destination", "supported_write_modes", kWriteModes,
                     kDestinationFeatures, role.supported_write_modes, role.features, problems)) {
      out.destination = std::move(role);
    }
  }
  for (const char* name : {"transform", "utility"}) {
    if (const Json* role = r.Get(name)) {
      JsonObjectReader e(role, std::string("roles.") + name, {}, problems);
      e.ReportUnknownKeys();
      (std::string_view(name) == "transform" ? out.transform : out.utility) = true;
    }
  }
  if (!out.source && !out.destination && !out.transform && !out.utility) {
    r.Problem("roles", "declare at least one of source, destination, transform, utility");
  }
  r.ReportUnknownKeys();
}

}  // namespace rapidbyte::plugin::manifest::internal
