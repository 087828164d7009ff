// Connector reference grammar.
#include "config/connector_ref.h"

#include <string>

namespace rapidbyte::config {
namespace {

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool IsName(std::string_view s) {
  if (s.empty() || !IsLowerAlnum(s[0])) return false;
  for (char c : s) {
    if (!IsLowerAlnum(c) && c != '_' && c != '-') return false;
  }
  return true;
}

bool IsNumber(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool IsSemver(std::string_view s) {
  std::string_view pre;
  if (const auto dash = s.find('-'); dash != std::string_view::npos) {
    pre = s.substr(dash + 1);
    s = s.substr(0, dash);
    if (pre.empty()) return false;
    for (char c : pre) {
      const bool ok = IsLowerAlnum(c) || (c >= 'A' && c <= 'Z') || c == '.' || c == '-';
      if (!ok) return false;
    }
  }
  const auto dot1 = s.find('.');
  if (dot1 == std::string_view::npos) return false;
  const auto dot2 = s.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos) return false;
  return IsNumber(s.substr(0, dot1)) && IsNumber(s.substr(dot1 + 1, dot2 - dot1 - 1)) &&
         IsNumber(s.substr(dot2 + 1));
}

}  // namespace

std::optional<ConnectorRef> ParseConnectorRef(std::string_view text) {
  ConnectorRef ref;
  ref.text = std::string(text);
  std::string_view rest = text;
  if (const auto at = rest.find('@'); at != std::string_view::npos) {
    std::string_view version = rest.substr(at + 1);
    if (!version.empty() && version[0] == 'v') version.remove_prefix(1);
    if (!IsSemver(version)) return std::nullopt;
    ref.version = std::string(version);
    rest = rest.substr(0, at);
  }
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    if (!IsName(rest.substr(0, slash))) return std::nullopt;
    ref.org = std::string(rest.substr(0, slash));
    rest = rest.substr(slash + 1);
  }
  if (!IsName(rest)) return std::nullopt;
  ref.name = std::string(rest);
  return ref;
}

}  // namespace rapidbyte::config
