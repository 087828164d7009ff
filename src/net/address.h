// Name resolution for outgoing TCP connections. Resolve() returns every address so the caller
// can vet each one (SPEC §4.7: no unspecified, link-local or multicast address unless allowed)
// before TcpConnection::Connect uses exactly those addresses. [host]
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <sys/socket.h>

#include "base/result.h"

namespace rapidbyte::net {

/// One IPv4 or IPv6 TCP endpoint. A value type.
struct ResolvedAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;

  int family() const { return storage.ss_family; }
  std::uint16_t port() const;
  /// "127.0.0.1" or "::1" (no port).
  std::string IpString() const;
  /// "127.0.0.1:5432" or "[::1]:5432".
  std::string ToString() const;
  /// 0.0.0.0 or ::.
  bool IsUnspecified() const;
  /// 169.254.0.0/16 or fe80::/10.
  bool IsLinkLocal() const;
  /// 224.0.0.0/4 or ff00::/8.
  bool IsMulticast() const;
  /// 127.0.0.0/8 or ::1.
  bool IsLoopback() const;
};

/// Resolve `host` (a name or an IP literal) for TCP on `port`; IPv4 and IPv6 results in the
/// resolver's order, duplicates removed. Failure (or no address): DNS_FAILED.
Result<std::vector<ResolvedAddress>> Resolve(std::string_view host, std::uint16_t port);

/// True when `host` is an IPv4 or IPv6 literal (SNI is not sent for those).
bool IsIpLiteral(std::string_view host);

}  // namespace rapidbyte::net
