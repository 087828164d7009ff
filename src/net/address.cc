// getaddrinfo-based resolution and address classification.
#include "net/address.h"

#include <netdb.h>

#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "net/net_error.h"

namespace rapidbyte::net {
namespace {

const sockaddr_in* V4(const ResolvedAddress& a) {
  return a.family() == AF_INET ? reinterpret_cast<const sockaddr_in*>(&a.storage) : nullptr;
}
const sockaddr_in6* V6(const ResolvedAddress& a) {
  return a.family() == AF_INET6 ? reinterpret_cast<const sockaddr_in6*>(&a.storage) : nullptr;
}
std::uint32_t V4Host(const sockaddr_in* v4) { return ntohl(v4->sin_addr.s_addr); }

}  // namespace

std::uint16_t ResolvedAddress::port() const {
  if (const auto* v4 = V4(*this)) return ntohs(v4->sin_port);
  if (const auto* v6 = V6(*this)) return ntohs(v6->sin6_port);
  return 0;
}

std::string ResolvedAddress::IpString() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (const auto* v4 = V4(*this)) inet_ntop(AF_INET, &v4->sin_addr, buf, sizeof(buf));
  if (const auto* v6 = V6(*this)) inet_ntop(AF_INET6, &v6->sin6_addr, buf, sizeof(buf));
  return buf;
}

std::string ResolvedAddress::ToString() const {
  const std::string port_text = std::to_string(port());
  return family() == AF_INET6 ? "[" + IpString() + "]:" + port_text : IpString() + ":" + port_text;
}

bool ResolvedAddress::IsUnspecified() const {
  if (const auto* v4 = V4(*this)) return V4Host(v4) == 0;
  if (const auto* v6 = V6(*this)) return IN6_IS_ADDR_UNSPECIFIED(&v6->sin6_addr);
  return false;
}

bool ResolvedAddress::IsLinkLocal() const {
  if (const auto* v4 = V4(*this)) return (V4Host(v4) >> 16) == 0xa9fe;  // 169.254/16
  if (const auto* v6 = V6(*this)) return IN6_IS_ADDR_LINKLOCAL(&v6->sin6_addr);
  return false;
}

bool ResolvedAddress::IsMulticast() const {
  if (const auto* v4 = V4(*this)) return (V4Host(v4) >> 28) == 0xe;  // 224/4
  if (const auto* v6 = V6(*this)) return IN6_IS_ADDR_MULTICAST(&v6->sin6_addr);
  return false;
}

bool ResolvedAddress::IsLoopback() const {
  if (const auto* v4 = V4(*this)) return (V4Host(v4) >> 24) == 127;
  if (const auto* v6 = V6(*this)) return IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr);
  return false;
}

bool IsIpLiteral(std::string_view host) {
  const std::string text(host);
  in6_addr v6;
  in_addr v4;
  return inet_pton(AF_INET, text.c_str(), &v4) == 1 || inet_pton(AF_INET6, text.c_str(), &v6) == 1;
}

Result<std::vector<ResolvedAddress>> Resolve(std::string_view host, std::uint16_t port) {
  if (host.empty() || host.find('\0') != std::string_view::npos) {
    return NetFailure(kDnsFailed, "invalid host name '" + std::string(host) + "'");
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_protocol = IPPROTO_TCP;
  hints.ai_flags = AI_ADDRCONFIG;
  addrinfo* list = nullptr;
  const std::string name(host);
  const std::string service = std::to_string(port);
  int rc = getaddrinfo(name.c_str(), service.c_str(), &hints, &list);
  if (rc == EAI_ADDRFAMILY || rc == EAI_NONAME) {  // AI_ADDRCONFIG hides loopback-only hosts
    hints.ai_flags = 0;
    rc = getaddrinfo(name.c_str(), service.c_str(), &hints, &list);
  }
  if (rc != 0) {
    return NetFailure(kDnsFailed, "could not resolve " + name + ": " + gai_strerror(rc));
  }
  std::vector<ResolvedAddress> out;
  for (const addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
    if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) ||
        ai->ai_addrlen > sizeof(sockaddr_storage)) {
      continue;
    }
    ResolvedAddress addr;
    std::memcpy(&addr.storage, ai->ai_addr, ai->ai_addrlen);
    addr.length = static_cast<socklen_t>(ai->ai_addrlen);
    bool duplicate = false;
    for (const ResolvedAddress& seen : out) {
      duplicate = duplicate || (seen.length == addr.length &&
                                std::memcmp(&seen.storage, &addr.storage, addr.length) == 0);
    }
    if (!duplicate) out.push_back(addr);
  }
  freeaddrinfo(list);
  if (out.empty()) return NetFailure(kDnsFailed, "no TCP address for " + name);
  return out;
}

}  // namespace rapidbyte::net
