// permissions.fs.config_path: the configured directory and the `within` rule.
#include "plugin/manifest/config_path.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <system_error>

#include "base/strings.h"

namespace rapidbyte::plugin::manifest {
namespace {

namespace fs = std::filesystem;

// Lexically normal, without a trailing separator ("/data/lake/" -> "/data/lake").
fs::path WithoutTrailingSlash(fs::path p) {
  if (p.has_relative_path() && !p.has_filename()) p = p.parent_path();
  return p;
}

bool IsBeneath(const fs::path& path, const fs::path& root) {
  return std::mismatch(root.begin(), root.end(), path.begin(), path.end()).first == root.end();
}

// `path` lexically normalised, or (`resolve`) with the symlinks that exist resolved the way
// the kernel walks it ("link/.." is the parent of the link's target); nullopt on an error.
std::optional<fs::path> Form(const std::string& path, bool resolve) {
  if (!resolve) return WithoutTrailingSlash(fs::path(path).lexically_normal());
  std::error_code ec;
  fs::path resolved = fs::weakly_canonical(path, ec);
  if (ec) return std::nullopt;
  return WithoutTrailingSlash(resolved.lexically_normal());
}

// `path` beneath some root, both in the same form.
bool BeneathAny(const std::string& path, const std::vector<std::string>& roots, bool resolve) {
  const std::optional<fs::path> p = Form(path, resolve);
  return p && std::any_of(roots.begin(), roots.end(), [&](const std::string& root) {
           const std::optional<fs::path> r = Form(root, resolve);
           return r && IsBeneath(*p, *r);
         });
}

}  // namespace

bool PathIsWithin(const std::string& path, const std::vector<std::string>& roots) {
  return BeneathAny(path, roots, false) && BeneathAny(path, roots, true);
}

std::optional<ConfigPreopen> ConfigPathPreopen(const Manifest& manifest,
                                               const nlohmann::json& config,
                                               const std::string& config_path,
                                               std::vector<std::string>& problems) {
  if (!manifest.permissions.fs_config_path || !config.is_object()) return std::nullopt;
  const ConfigPathGrant& grant = *manifest.permissions.fs_config_path;
  const auto it = config.find(grant.field);
  if (it == config.end() || !it->is_string()) return std::nullopt;
  const std::string& value = it->get_ref<const std::string&>();
  if (value.find("://") != std::string::npos) return std::nullopt;  // s3://..., not local

  const std::string field_path = config_path + "." + grant.field;
  const std::string may = manifest.id + (grant.write ? " may write" : " may read");
  const std::string roots = Join(grant.within, ", ");
  if (value.empty() || value[0] != '/') {
    problems.push_back(field_path + ": '" + value + "' is not an absolute path" +
                       (grant.within.empty() ? "" : " (" + may + " beneath " + roots + ")"));
    return std::nullopt;
  }
  if (!grant.within.empty() && !PathIsWithin(value, grant.within)) {
    problems.push_back(field_path + ": " + value + " is outside the directories " + may + " (" +
                       roots + ")");
    return std::nullopt;
  }
  return ConfigPreopen{value, grant.write, grant.create, field_path};
}

}  // namespace rapidbyte::plugin::manifest
