// The connector-dependent pipeline checks of SPEC §2.7 that need only the manifest: the
// role a connector is used in, the sync and write modes it supports, and its minimum
// memory. Each appends "path: message" problems in the §2.6 format.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/pipeline.h"
#include "config/problems.h"
#include "plugin/manifest/manifest.h"

namespace rapidbyte::plugin::manifest {

/// "transforms[0].use: connector 'dest-postgres' does not support the transform role
/// (roles: destination)". `use_path` names the `use` field.
void CheckRole(const Manifest& manifest, Role role, const std::string& use_path,
               config::Problems& problems);

/// For every stream whose sync_mode the source does not support:
/// "source.streams[0].sync_mode: 'cdc' is not supported by connector source-postgres 0.1.0
/// (supported: full_refresh, incremental)". Nothing when the manifest has no source role.
void CheckSyncModes(const Manifest& manifest, const std::vector<config::StreamSpec>& streams,
                    config::Problems& problems);

/// "destination.write_mode: 'upsert' is not supported by connector dest-x 0.1.0
/// (supported: append, replace)". Nothing when the manifest has no destination role.
void CheckWriteMode(const Manifest& manifest, config::WriteMode write_mode,
                    config::Problems& problems);

/// "resources.max_memory: must be at least 512 MiB for connector source-x 0.1.0
/// (artifact.min_memory_mb), got 256 MiB" when max_memory is below min_memory_mb.
void CheckMinMemory(const Manifest& manifest, std::uint64_t max_memory_bytes,
                    config::Problems& problems);

}  // namespace rapidbyte::plugin::manifest
