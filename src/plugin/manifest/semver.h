// Semantic versions (semver.org 2.0.0) as connector manifests write them, and their
// precedence ordering, used to pick the highest installed version of a connector (SPEC §4.1).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rapidbyte::plugin::manifest {

struct Semver {
  std::uint64_t major = 0;
  std::uint64_t minor = 0;
  std::uint64_t patch = 0;
  /// Dot-separated pre-release identifiers ("rc.1" -> {"rc", "1"}); empty for a release.
  std::vector<std::string> pre;
  /// Build metadata after '+'; ignored by comparisons.
  std::string build;

  /// "MAJOR.MINOR.PATCH[-pre][+build]".
  std::string ToString() const;
};

/// Parse "MAJOR.MINOR.PATCH[-pre][+build]": numbers without leading zeros, identifiers of
/// [0-9A-Za-z-], numeric pre-release identifiers without leading zeros. nullopt otherwise.
std::optional<Semver> ParseSemver(std::string_view text);

/// Precedence: <0, 0 or >0. Numbers compare numerically; a pre-release sorts before its
/// release; pre-release identifiers compare field by field (numeric < alphanumeric, numeric
/// numerically, others in ASCII order, a shorter prefix first). Build metadata is ignored.
int CompareSemver(const Semver& a, const Semver& b);

}  // namespace rapidbyte::plugin::manifest
