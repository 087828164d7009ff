// Network allow-list entries (SPEC §4.2 permissions.network.allowed_domains, §4.7): exact
// host names (case-insensitive), "*.suffix" (any subdomain, not the apex), IP literals and
// CIDR blocks (IPv4 and IPv6), each optionally followed by ":port" (IPv6 with a port is
// written "[addr]:port").
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rapidbyte::plugin::manifest {

struct HostEntry {
  enum class Kind { kName, kSuffix, kAddress, kCidr };
  Kind kind = Kind::kName;
  std::string name;  // kName: the lower-case host; kSuffix: the part after "*."
  bool ipv6 = false;
  std::array<std::uint8_t, 16> address{};  // kAddress/kCidr (IPv4 in the first 4 bytes)
  int prefix_bits = 0;                     // kCidr
  std::optional<std::uint16_t> port;       // any port when absent
};

/// Parse one entry; nullopt when it is none of the accepted forms.
std::optional<HostEntry> ParseHostEntry(std::string_view text);

/// A port number 1-65535 written in decimal digits only ("5432"); nullopt otherwise.
std::optional<std::uint16_t> ParsePort(std::string_view digits);

/// True when `host` (a name, an IP literal, or "[IPv6]") on `port` matches an entry.
/// Names match names and suffixes; IP literals match addresses and CIDR blocks (an
/// IPv4-mapped IPv6 address is compared as IPv4). Invalid entries match nothing.
bool IsHostAllowed(const std::vector<std::string>& entries, std::string_view host,
                   std::uint16_t port);

}  // namespace rapidbyte::plugin::manifest
