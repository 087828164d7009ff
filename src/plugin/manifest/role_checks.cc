// Role, mode and memory checks against a manifest.
#include "plugin/manifest/role_checks.h"

#include <algorithm>

#include "base/strings.h"
#include "config/byte_size.h"

namespace rapidbyte::plugin::manifest {
namespace {

template <typename Mode>
std::string ModeNames(const std::vector<Mode>& modes) {
  std::vector<std::string> names;
  names.reserve(modes.size());
  for (Mode mode : modes) names.emplace_back(config::Name(mode));
  return names.empty() ? "none" : Join(names, ", ");
}

template <typename Mode>
void CheckMode(const Manifest& manifest, const std::vector<Mode>& supported, Mode mode,
               const std::string& path, config::Problems& problems) {
  if (std::find(supported.begin(), supported.end(), mode) != supported.end()) return;
  problems.Add(path, "'" + std::string(config::Name(mode)) + "' is not supported by connector " +
                         manifest.Label() + " (supported: " + ModeNames(supported) + ")");
}

}  // namespace

void CheckRole(const Manifest& manifest, Role role, const std::string& use_path,
               config::Problems& problems) {
  if (manifest.HasRole(role)) return;
  const auto roles = manifest.RoleNames();
  problems.Add(use_path, "connector '" + manifest.connector_name + "' does not support the " +
                             std::string(Name(role)) +
                             " role (roles: " + (roles.empty() ? "none" : Join(roles, ", ")) + ")");
}

void CheckSyncModes(const Manifest& manifest, const std::vector<config::StreamSpec>& streams,
                    config::Problems& problems) {
  if (!manifest.source) return;
  for (const auto& stream : streams) {
    CheckMode(manifest, manifest.source->supported_sync_modes, stream.sync_mode,
              stream.path + ".sync_mode", problems);
  }
}

void CheckWriteMode(const Manifest& manifest, config::WriteMode write_mode,
                    config::Problems& problems) {
  if (!manifest.destination) return;
  CheckMode(manifest, manifest.destination->supported_write_modes, write_mode,
            "destination.write_mode", problems);
}

void CheckMinMemory(const Manifest& manifest, std::uint64_t max_memory_bytes,
                    config::Problems& problems) {
  if (!manifest.artifact.min_memory_mb) return;
  const auto needed = static_cast<std::uint64_t>(*manifest.artifact.min_memory_mb) * config::kMiB;
  if (max_memory_bytes >= needed) return;
  problems.Add("resources.max_memory", "must be at least " + config::FormatByteSize(needed) +
                                           " for connector " + manifest.Label() +
                                           " (artifact.min_memory_mb), got " +
                                           config::FormatByteSize(max_memory_bytes));
}

}  // namespace rapidbyte::plugin::manifest
