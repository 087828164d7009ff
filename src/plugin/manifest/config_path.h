// The directory a connector's pipeline config grants it through permissions.fs.config_path
// (SPEC §16.1: dest-files' `path` is its only writable preopen): which path, and whether the
// config may name it at all.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plugin/manifest/manifest.h"

namespace rapidbyte::plugin::manifest {

/// A preopen granted by the config.
struct ConfigPreopen {
  std::string path;  // as configured: the guest sees the directory under this name
  bool write = false;
  bool create = false;     // the engine creates it, with parents, before a run
  std::string field_path;  // "destination.config.path", for messages
};

/// The preopen `config` (the completed config of the connector, found at `config_path`, e.g.
/// "destination.config") grants under `manifest`'s config_path. Nothing without a
/// config_path, when the field is absent or not a string, or when its value is not a local
/// path (holds "://", e.g. "s3://bucket/prefix"). A relative path, or one outside `within`,
/// is a problem appended to `problems` (and grants nothing):
///   "destination.config.path: 'lake' is not an absolute path (rapidbyte/dest-files may
///    write beneath /data, /tmp)"
///   "destination.config.path: /etc/x is outside the directories rapidbyte/dest-files may
///    write (/data, /tmp)"
std::optional<ConfigPreopen> ConfigPathPreopen(const Manifest& manifest,
                                               const nlohmann::json& config,
                                               const std::string& config_path,
                                               std::vector<std::string>& problems);

/// True when absolute `path` is one of `roots` or lies beneath one, both when compared
/// lexically normalised and after resolving the symlinks that exist (weakly_canonical), so
/// neither "/data/../etc" nor a symlink /data/link -> /etc passes for /data. A path that
/// cannot be resolved is not within.
bool PathIsWithin(const std::string& path, const std::vector<std::string>& roots);

}  // namespace rapidbyte::plugin::manifest
