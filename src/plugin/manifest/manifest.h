// The connector manifest, `<name>.manifest.json` (SPEC §4.2): identity, protocol, artifact,
// permissions, roles and config schema, typed with every default applied.
//
// A Manifest is immutable after parsing and cheap to copy (the schema is shared).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "config/pipeline.h"
#include "plugin/manifest/schema.h"
#include "plugin/manifest/semver.h"

namespace rapidbyte::plugin::manifest {

/// The only connector protocol this host speaks.
inline constexpr std::string_view kProtocolVersion = "1";

/// Largest manifest file read.
inline constexpr std::size_t kMaxManifestBytes = 1 << 20;

enum class TlsPolicy { kOptional, kRequired, kForbidden };
/// "optional", "required", "forbidden".
std::string_view Name(TlsPolicy policy);

enum class Role { kSource, kDestination, kTransform, kUtility };
/// "source", "destination", "transform", "utility".
std::string_view Name(Role role);

struct Preopen {
  std::string path;
  bool write = false;  // a plain string in the manifest is read-only
};

/// permissions.fs.config_path: a directory the pipeline's config names, granted to the
/// connector as a preopen (SPEC §16.1: dest-files' `path`).
struct ConfigPathGrant {
  std::string field;                // a top-level string key of the connector's config
  bool write = false;               // the preopen is writable
  bool create = false;              // the engine creates it, with parents, before a run
  std::vector<std::string> within;  // absolute directories it must lie beneath; empty: any
};

struct NetworkPermissions {
  std::vector<std::string> allowed_domains;
  bool allow_runtime_config_domains = false;
  /// The port a config-named host is allowed on when the config names none for it.
  std::optional<std::uint16_t> default_port;
  /// Dotted paths of config fields holding an endpoint URL ("s3.endpoint"). When set, the
  /// runtime hosts are the hosts of these URLs only (on the URL's port, else the scheme's),
  /// not every host the config names.
  std::vector<std::string> config_endpoint_fields;
  /// A config field holding a URL whose host is also allowed as a subdomain of each endpoint
  /// host (S3 virtual-host addressing: "path" = "s3://bucket/prefix" allows bucket.endpoint).
  std::optional<std::string> config_subdomain_field;
  TlsPolicy tls = TlsPolicy::kOptional;
};

struct Permissions {
  NetworkPermissions network;
  std::vector<std::string> env_allowed_vars;  // permissions.env.allowed_vars
  std::vector<Preopen> fs_preopens;           // permissions.fs.preopens
  std::optional<ConfigPathGrant> fs_config_path;  // permissions.fs.config_path
};

struct Artifact {
  std::string entry_point;              // default "<name>.wasm", a file name beside the manifest
  std::optional<std::string> checksum;  // as written: "sha256:<hex>" or "<hex>"
  std::optional<std::int64_t> min_memory_mb;
};

struct SourceRole {
  std::vector<config::SyncMode> supported_sync_modes;
  std::vector<std::string> features;  // cdc, stateful
};

struct DestinationRole {
  std::vector<config::WriteMode> supported_write_modes;
  std::vector<std::string> features;  // exactly_once, schema_auto_migrate, bulk_load_copy, ...
};

struct Manifest {
  std::string path;  // the manifest file, for messages
  std::string manifest_version = "1.0";
  std::string id;              // "org/name"
  std::string org;             // the part of id before '/'
  std::string connector_name;  // the part of id after '/', what `use:` names
  std::string name;            // display name, e.g. "PostgreSQL Source"
  std::string version;         // as written
  Semver semver;
  std::string description;
  std::optional<std::string> author;
  std::optional<std::string> license;
  std::string protocol_version;
  Artifact artifact;
  Permissions permissions;
  std::optional<SourceRole> source;
  std::optional<DestinationRole> destination;
  bool transform = false;
  bool utility = false;
  /// The compiled config_schema; null when absent (the config must then be {}).
  std::shared_ptr<const SchemaNode> config_schema;

  bool HasRole(Role role) const;
  /// The declared roles in the order source, destination, transform, utility.
  std::vector<std::string> RoleNames() const;
  /// "source-postgres 0.1.0", how messages name the connector.
  std::string Label() const { return connector_name + " " + version; }
};

/// Parse manifest JSON; `path` names the file in messages. On failure InvalidArgument whose
/// message holds one problem per line, each naming the connector, the file and the field:
/// "connector rapidbyte/source-postgres 0.1.0 (/p/source-postgres.manifest.json):
/// roles.source.supported_sync_modes[1]: 'cdcc' is not one of full_refresh, incremental, cdc".
/// A wrong protocol is reported as
/// "connector <id> speaks protocol <v>; this rapidbyte supports 1".
Result<Manifest> ParseManifest(std::string_view json_text, std::string_view path);

/// Read (at most kMaxManifestBytes) and parse a manifest file.
Result<Manifest> LoadManifestFile(const std::string& path);

/// The problem lines of a ParseManifest/LoadManifestFile error ({message} for other errors).
std::vector<std::string> ManifestProblems(const Status& status);

}  // namespace rapidbyte::plugin::manifest
