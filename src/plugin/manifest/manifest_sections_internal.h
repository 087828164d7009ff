// Readers for the nested sections of a manifest (artifact, permissions, roles). Each
// appends "field: message" lines to `problems`. Folder-private.
#pragma once

#include <string>
#include <vector>

#include "plugin/manifest/json_fields_internal.h"
#include "plugin/manifest/manifest.h"

namespace rapidbyte::plugin::manifest::internal {

/// `artifact`; `connector_name` gives the default entry point "<name>.wasm".
void ReadArtifact(const Json* json, const std::string& connector_name, Artifact& out,
                  std::vector<std::string>& problems);

/// `permissions` (network, env, fs).
void ReadPermissions(const Json* json, Permissions& out, std::vector<std::string>& problems);

/// permissions.fs.config_path must name a declared config_schema property that allows a
/// string. Run after the schema compiled (a failed schema reports nothing more here).
void CheckConfigPathField(const Manifest& m, std::vector<std::string>& problems);

/// `roles` into out.source / destination / transform / utility; at least one is required.
void ReadRoles(const Json* json, Manifest& out, std::vector<std::string>& problems);

/// True for "sha256:<64 hex>" or "<64 hex>".
bool IsSha256Checksum(std::string_view text);

}  // namespace rapidbyte::plugin::manifest::internal
