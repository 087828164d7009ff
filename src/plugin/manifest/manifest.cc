// Manifest parsing: identity and protocol, then the sections, then the config schema; every
// problem is collected and prefixed with the connector and the file.
#include "plugin/manifest/manifest.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "base/strings.h"
#include "plugin/manifest/manifest_sections_internal.h"
#include "plugin/manifest/strict_json_internal.h"

namespace rapidbyte::plugin::manifest {
namespace {

using internal::Json;
using internal::JsonObjectReader;

const std::vector<std::string> kTopLevelKeys = {
    "manifest_version", "id",       "name",        "version", "description",  "author", "license",
    "protocol_version", "artifact", "permissions", "roles",   "config_schema"};

// Carries the problem lines of a manifest error so callers can list them one by one.
struct ManifestProblemsDetail : StatusDetail {
  explicit ManifestProblemsDetail(std::vector<std::string> lines_in) : lines(std::move(lines_in)) {}
  std::string_view type_id() const override { return kTypeId; }
  std::string ToString() const override { return Join(lines, "; "); }
  static constexpr std::string_view kTypeId = "plugin::manifest::ManifestProblemsDetail";
  std::vector<std::string> lines;
};

bool IsIdPart(std::string_view s) {
  if (s.empty() || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9'))) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Status ProblemsStatus(std::vector<std::string> lines) {
  Status status = Status::InvalidArgument(Join(lines, "\n"));
  return status.WithDetail(std::make_shared<ManifestProblemsDetail>(std::move(lines)));
}

void ReadIdentity(JsonObjectReader& r, Manifest& m) {
  if (auto v = r.String("manifest_version", false)) {
    if (*v == "1.0") {
      m.manifest_version = *v;
    } else {
      r.Problem("manifest_version", "unsupported version '" + *v + "', expected '1.0'");
    }
  }
  if (auto id = r.String("id", true)) {
    const auto slash = id->find('/');
    if (slash == std::string::npos || !IsIdPart(id->substr(0, slash)) ||
        !IsIdPart(id->substr(slash + 1))) {
      r.Problem("id", "'" + *id + "' is not a connector id (expected org/name, each part " +
                          "[a-z0-9][a-z0-9_-]*)");
    } else {
      m.id = *id;
      m.org = id->substr(0, slash);
      m.connector_name = id->substr(slash + 1);
    }
  }
  m.name = r.String("name", true).value_or("");
  if (auto version = r.String("version", true)) {
    if (auto semver = ParseSemver(*version)) {
      m.version = *version;
      m.semver = std::move(*semver);
    } else {
      r.Problem("version",
                "'" + *version + "' is not a semantic version (expected MAJOR.MINOR.PATCH[-pre])");
    }
  }
  m.description = r.String("description", false).value_or("");
  m.author = r.String("author", false);
  m.license = r.String("license", false);
}

// "connector <id> <version> (<path>): ", from whatever identity the document has.
std::string Prefix(const Json& doc, std::string_view path) {
  std::string who = "<no id>";
  if (doc.is_object() && doc.contains("id") && doc["id"].is_string()) {
    who = doc["id"].get<std::string>();
  }
  if (doc.is_object() && doc.contains("version") && doc["version"].is_string()) {
    who += " " + doc["version"].get<std::string>();
  }
  return "connector " + who + " (" + std::string(path) + "): ";
}

}  // namespace

std::string_view Name(TlsPolicy policy) {
  switch (policy) {
    case TlsPolicy::kOptional:
      return "optional";
    case TlsPolicy::kRequired:
      return "required";
    case TlsPolicy::kForbidden:
      return "forbidden";
  }
  return "optional";
}

std::string_view Name(Role role) {
  switch (role) {
    case Role::kSource:
      return "source";
    case Role::kDestination:
      return "destination";
    case Role::kTransform:
      return "transform";
    case Role::kUtility:
      return "utility";
  }
  return "source";
}

bool Manifest::HasRole(Role role) const {
  switch (role) {
    case Role::kSource:
      return source.has_value();
    case Role::kDestination:
      return destination.has_value();
    case Role::kTransform:
      return transform;
    case Role::kUtility:
      return utility;
  }
  return false;
}

std::vector<std::string> Manifest::RoleNames() const {
  std::vector<std::string> out;
  for (Role role : {Role::kSource, Role::kDestination, Role::kTransform, Role::kUtility}) {
    if (HasRole(role)) out.emplace_back(Name(role));
  }
  return out;
}

Result<Manifest> ParseManifest(std::string_view json_text, std::string_view path) {
  Result<Json> parsed = internal::ParseStrictJson(json_text);
  if (!parsed.ok()) {
    return ProblemsStatus(
        {"connector manifest " + std::string(path) + ": " + parsed.status().message()});
  }
  const Json& doc = *parsed;
  if (!doc.is_object()) {
    return ProblemsStatus({"connector manifest " + std::string(path) +
                           ": expected a JSON object, got " + internal::DescribeJson(doc)});
  }
  Manifest m;
  m.path = std::string(path);
  std::vector<std::string> problems;
  std::vector<std::string> lines;  // lines that carry their own context
  JsonObjectReader r(&doc, "", kTopLevelKeys, problems);
  if (r.valid()) {
    ReadIdentity(r, m);
    if (auto protocol = r.String("protocol_version", true)) {
      m.protocol_version = *protocol;
      if (*protocol != kProtocolVersion) {
        lines.push_back("connector " + (m.id.empty() ? std::string("<no id>") : m.id) +
                        " speaks protocol " + *protocol + "; this rapidbyte supports " +
                        std::string(kProtocolVersion));
      }
    }
    internal::ReadArtifact(r.Get("artifact"), m.connector_name, m.artifact, problems);
    internal::ReadPermissions(r.Get("permissions"), m.permissions, problems);
    internal::ReadRoles(r.Get("roles"), m, problems);
    if (const Json* schema = r.Get("config_schema")) {
      m.config_schema = CompileSchema(*schema, "config_schema", problems);
    }
    if (m.config_schema != nullptr || r.Get("config_schema") == nullptr) {
      internal::CheckConfigPathField(m, problems);
    }
    r.ReportUnknownKeys();
  }
  if (problems.empty() && lines.empty()) return m;
  const std::string prefix = Prefix(doc, path);
  for (auto& problem : problems) lines.push_back(prefix + problem);
  return ProblemsStatus(std::move(lines));
}

Result<Manifest> LoadManifestFile(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return ProblemsStatus(
        {"connector manifest " + path + ": cannot read: " + std::strerror(errno)});
  }
  std::string text;
  char buf[8192];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, file)) > 0 && text.size() <= kMaxManifestBytes) {
    text.append(buf, n);
  }
  const bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed) return ProblemsStatus({"connector manifest " + path + ": cannot read: I/O error"});
  if (text.size() > kMaxManifestBytes) {
    return ProblemsStatus({"connector manifest " + path + ": larger than " +
                           std::to_string(kMaxManifestBytes) + " bytes"});
  }
  return ParseManifest(text, path);
}

std::vector<std::string> ManifestProblems(const Status& status) {
  if (status.ok()) return {};
  const auto& detail = status.detail();
  if (detail && detail->type_id() == ManifestProblemsDetail::kTypeId) {
    return static_cast<const ManifestProblemsDetail&>(*detail).lines;
  }
  return {status.message()};
}

}  // namespace rapidbyte::plugin::manifest
