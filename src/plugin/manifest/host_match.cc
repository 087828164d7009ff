// Parsing and matching allow-list entries; addresses go through inet_pton only.
#include "plugin/manifest/host_match.h"

#include <cstring>

#include <arpa/inet.h>

namespace rapidbyte::plugin::manifest {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsLabelChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// Lower-case DNS name: dot-separated labels of 1-63 characters, at most 253 in total.
bool IsHostName(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  std::size_t label = 0;
  for (char c : s) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
    } else if (!IsLabelChar(c) || ++label > 63) {
      return false;
    }
  }
  return label > 0;
}

// Parse an IP literal into `entry`; IPv4-mapped IPv6 becomes IPv4.
bool ParseAddress(std::string_view text, HostEntry& entry) {
  const std::string s(text);
  std::array<std::uint8_t, 16> buf{};
  if (inet_pton(AF_INET, s.c_str(), buf.data()) == 1) {
    entry.ipv6 = false;
    entry.address = buf;
    return true;
  }
  if (inet_pton(AF_INET6, s.c_str(), buf.data()) != 1) return false;
  static constexpr std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  entry.address = {};
  if (std::memcmp(buf.data(), kMapped, sizeof kMapped) == 0) {
    entry.ipv6 = false;
    std::memcpy(entry.address.data(), buf.data() + 12, 4);
  } else {
    entry.ipv6 = true;
    entry.address = buf;
  }
  return true;
}

// The host part without a port: a name, *.suffix, an address or a CIDR block.
bool ParseHostPart(std::string_view host, HostEntry& entry) {
  if (const auto slash = host.find('/'); slash != std::string_view::npos) {
    const auto bits = host.substr(slash + 1);
    if (bits.empty() || bits.size() > 3) return false;
    int prefix = 0;
    for (char c : bits) {
      if (c < '0' || c > '9') return false;
      prefix = prefix * 10 + (c - '0');
    }
    if (!ParseAddress(host.substr(0, slash), entry)) return false;
    if (prefix > (entry.ipv6 ? 128 : 32)) return false;
    entry.kind = HostEntry::Kind::kCidr;
    entry.prefix_bits = prefix;
    return true;
  }
  if (ParseAddress(host, entry)) {
    entry.kind = HostEntry::Kind::kAddress;
    return true;
  }
  std::string name = Lower(host);
  if (!name.empty() && name.back() == '.') name.pop_back();
  if (name.rfind("*.", 0) == 0) {
    entry.kind = HostEntry::Kind::kSuffix;
    entry.name = name.substr(2);
    return IsHostName(entry.name);
  }
  entry.kind = HostEntry::Kind::kName;
  entry.name = std::move(name);
  return IsHostName(entry.name);
}

bool PrefixEqual(const HostEntry& a, const HostEntry& b, int bits) {
  const auto whole = static_cast<std::size_t>(bits / 8);
  if (std::memcmp(a.address.data(), b.address.data(), whole) != 0) return false;
  if (bits % 8 == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xff << (8 - bits % 8));
  return (a.address[whole] & mask) == (b.address[whole] & mask);
}

bool Matches(const HostEntry& entry, const HostEntry& host) {
  switch (entry.kind) {
    case HostEntry::Kind::kName:
      return host.kind == HostEntry::Kind::kName && host.name == entry.name;
    case HostEntry::Kind::kSuffix:
      return host.kind == HostEntry::Kind::kName && host.name.size() > entry.name.size() + 1 &&
             host.name.compare(host.name.size() - entry.name.size() - 1, std::string::npos,
                               "." + entry.name) == 0;
    case HostEntry::Kind::kAddress:
      return host.kind == HostEntry::Kind::kAddress && host.ipv6 == entry.ipv6 &&
             PrefixEqual(entry, host, entry.ipv6 ? 128 : 32);
    case HostEntry::Kind::kCidr:
      return host.kind == HostEntry::Kind::kAddress && host.ipv6 == entry.ipv6 &&
             PrefixEqual(entry, host, entry.prefix_bits);
  }
  return false;
}

}  // namespace

std::optional<std::uint16_t> ParsePort(std::string_view s) {
  if (s.empty() || s.size() > 5) return std::nullopt;
  unsigned v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (v == 0 || v > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(v);
}

std::optional<HostEntry> ParseHostEntry(std::string_view text) {
  HostEntry entry;
  std::string_view host = text;
  if (!text.empty() && text[0] == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = text.substr(1, close - 1);
    const auto rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest[0] != ':' || !(entry.port = ParsePort(rest.substr(1)))) return std::nullopt;
    }
    if (!ParseHostPart(host, entry) || entry.kind == HostEntry::Kind::kName ||
        entry.kind == HostEntry::Kind::kSuffix || !entry.ipv6) {
      return std::nullopt;
    }
    return entry;
  }
  if (const auto colon = text.find(':');
      colon != std::string_view::npos && text.find(':', colon + 1) == std::string_view::npos) {
    host = text.substr(0, colon);
    if (!(entry.port = ParsePort(text.substr(colon + 1)))) return std::nullopt;
  }
  if (!ParseHostPart(host, entry)) return std::nullopt;
  return entry;
}

bool IsHostAllowed(const std::vector<std::string>& entries, std::string_view host,
                   std::uint16_t port) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  HostEntry target;
  if (host.find('/') != std::string_view::npos || !ParseHostPart(host, target) ||
      target.kind == HostEntry::Kind::kSuffix) {
    return false;
  }
  for (const auto& text : entries) {
    const auto entry = ParseHostEntry(text);
    if (!entry || (entry->port && *entry->port != port)) continue;
    if (Matches(*entry, target)) return true;
  }
  return false;
}

}  // namespace rapidbyte::plugin::manifest
