// The network allow-list of one connector instance (SPEC §4.7): the manifest's
// allowed_domains plus, when allow_runtime_config_domains is set, the hosts its completed
// pipeline config names.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plugin/manifest/host_match.h"
#include "plugin/manifest/manifest.h"

namespace rapidbyte::plugin::manifest {

/// The hosts a config names, anywhere in it: values of keys host, hostname, server and
/// address (comma-separated lists are split), every string of a `hosts` list, and the host
/// part of values whose key ends in url, uri or dsn (URLs, including multi-host PostgreSQL
/// URLs, and libpq "host=... hostaddr=..." strings). Keys compare case-insensitively;
/// Unix socket paths and values that are not valid entries are skipped; no duplicates.
std::vector<std::string> ConfigHosts(const nlohmann::json& config);

/// allowed_domains, then ConfigHosts(config) when the manifest allows runtime domains.
std::vector<std::string> AllowedHosts(const Manifest& manifest, const nlohmann::json& config);

}  // namespace rapidbyte::plugin::manifest
