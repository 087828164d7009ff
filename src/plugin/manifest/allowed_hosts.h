// The network allow-list of one connector instance (SPEC §4.7): the manifest's
// allowed_domains plus, when allow_runtime_config_domains is set, the hosts its completed
// pipeline config names, each only on the ports the config names for it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plugin/manifest/host_match.h"
#include "plugin/manifest/manifest.h"

namespace rapidbyte::plugin::manifest {

/// A host a config names and the ports it names for that host.
struct ConfigHost {
  std::string host;  ///< lower case; an IPv6 address from a URL keeps its brackets
  std::vector<std::uint16_t> ports;
  /// Some mention named no port (the connector's default port applies to it).
  bool portless = false;
};

/// The hosts a config names, anywhere in it: values of keys host, hostname, server and
/// address (comma-separated lists are split), every string of a `hosts` list, and the host
/// part of values whose key ends in url, uri or dsn (URLs, including multi-host PostgreSQL
/// URLs, and libpq "host=... hostaddr=..." strings). Keys compare case-insensitively;
/// Unix socket paths and values that are not a host name or an IP address (wildcards and
/// CIDR blocks included) are skipped; each host once, in the order first named.
///
/// Ports: a host's own ":port" (`db:5433`, a URL's `host:port`); else, for the host keys and
/// `hosts`, the `port` member of the same object (an integer, or a string of comma-separated
/// numbers; a list as long as the host list pairs with it by position, as libpq does, any
/// other list applies to every host); else a libpq string's `port=`; else the default port of
/// a URL's scheme (http 80, https 443, postgres and postgresql 5432).
std::vector<ConfigHost> ConfigHostPorts(const nlohmann::json& config);

/// The hosts of the endpoint URLs at `network.config_endpoint_fields` (dotted paths, e.g.
/// "s3.endpoint"; each URL's own port, else its scheme's: http 80, https 443), then, with
/// `network.config_subdomain_field`, `<label>.<host>` for each endpoint host name, <label>
/// being the host of the URL in that field when it is one DNS label (S3 virtual-host
/// addressing: "s3://bucket/prefix" with endpoint https://s3.example.com allows
/// bucket.s3.example.com:443).
std::vector<ConfigHost> ConfigEndpointHostPorts(const NetworkPermissions& network,
                                                const nlohmann::json& config);

/// The host names of ConfigHostPorts(config).
std::vector<std::string> ConfigHosts(const nlohmann::json& config);

/// allowed_domains, then, when the manifest allows runtime domains, one "host:port" entry per
/// host and port of ConfigHostPorts(config) (ConfigEndpointHostPorts when the manifest names
/// config_endpoint_fields), a mention without a port getting the manifest's
/// `default_port` (a host named only without a port, by a connector without a default port,
/// is not allowed at all).
std::vector<std::string> AllowedHosts(const Manifest& manifest, const nlohmann::json& config);

}  // namespace rapidbyte::plugin::manifest
