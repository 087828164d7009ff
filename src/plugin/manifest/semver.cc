// Semantic version parsing and precedence (semver.org 2.0.0 §9-§11).
#include "plugin/manifest/semver.h"

#include <algorithm>
#include <limits>

namespace rapidbyte::plugin::manifest {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsNumeric(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

bool IsIdentifierChar(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

// A version number: digits, no leading zero (except "0"), fits in uint64.
std::optional<std::uint64_t> ParseNumber(std::string_view s) {
  if (!IsNumeric(s) || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t v = 0;
  for (char c : s) {
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (v > (kMax - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

// Split "a.b.c" on '.'; every part must be a non-empty identifier.
std::optional<std::vector<std::string>> SplitIdentifiers(std::string_view s) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = s.find('.', start);
    const std::string_view part =
        s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (part.empty()) return std::nullopt;
    for (char c : part) {
      if (!IsIdentifierChar(c)) return std::nullopt;
    }
    parts.emplace_back(part);
    if (dot == std::string_view::npos) return parts;
    start = dot + 1;
  }
}

int CompareIdentifier(const std::string& a, const std::string& b) {
  const bool a_num = IsNumeric(a);
  const bool b_num = IsNumeric(b);
  if (a_num && b_num) {
    // No leading zeros, so the longer number is the larger one.
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
    return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
  }
  if (a_num != b_num) return a_num ? -1 : 1;
  const int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

int Compare3(std::uint64_t a, std::uint64_t b) { return a < b ? -1 : (a > b ? 1 : 0); }

}  // namespace

std::string Semver::ToString() const {
  std::string out =
      std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
  for (std::size_t i = 0; i < pre.size(); ++i) out += (i == 0 ? "-" : ".") + pre[i];
  if (!build.empty()) out += "+" + build;
  return out;
}

std::optional<Semver> ParseSemver(std::string_view text) {
  Semver v;
  if (const auto plus = text.find('+'); plus != std::string_view::npos) {
    if (!SplitIdentifiers(text.substr(plus + 1))) return std::nullopt;
    v.build = std::string(text.substr(plus + 1));
    text = text.substr(0, plus);
  }
  if (const auto dash = text.find('-'); dash != std::string_view::npos) {
    auto pre = SplitIdentifiers(text.substr(dash + 1));
    if (!pre) return std::nullopt;
    for (const auto& id : *pre) {
      if (IsNumeric(id) && id.size() > 1 && id[0] == '0') return std::nullopt;
    }
    v.pre = std::move(*pre);
    text = text.substr(0, dash);
  }
  const auto dot1 = text.find('.');
  if (dot1 == std::string_view::npos) return std::nullopt;
  const auto dot2 = text.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos) return std::nullopt;
  const auto major = ParseNumber(text.substr(0, dot1));
  const auto minor = ParseNumber(text.substr(dot1 + 1, dot2 - dot1 - 1));
  const auto patch = ParseNumber(text.substr(dot2 + 1));
  if (!major || !minor || !patch) return std::nullopt;
  v.major = *major;
  v.minor = *minor;
  v.patch = *patch;
  return v;
}

int CompareSemver(const Semver& a, const Semver& b) {
  if (int c = Compare3(a.major, b.major); c != 0) return c;
  if (int c = Compare3(a.minor, b.minor); c != 0) return c;
  if (int c = Compare3(a.patch, b.patch); c != 0) return c;
  if (a.pre.empty() || b.pre.empty()) {
    if (a.pre.empty() && b.pre.empty()) return 0;
    return a.pre.empty() ? 1 : -1;  // a release outranks its pre-releases
  }
  const std::size_t n = std::min(a.pre.size(), b.pre.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (int c = CompareIdentifier(a.pre[i], b.pre[i]); c != 0) return c;
  }
  return Compare3(a.pre.size(), b.pre.size());
}

}  // namespace rapidbyte::plugin::manifest
