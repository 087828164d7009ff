// Pattern: a compiled ECMAScript regular expression for the config schema's `pattern`
// keyword. This is the one adapter around std::regex, which reports errors by throwing:
// Compile() and Search() catch std::regex_error and turn it into a Status, so nothing
// thrown ever leaves it. Inputs are length-limited because std::regex backtracks and
// recurses per character.
#pragma once

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>

#include "base/result.h"

namespace rapidbyte::plugin::manifest {

class Pattern {
 public:
  /// Longest pattern source accepted.
  static constexpr std::size_t kMaxPatternLength = 1024;
  /// Longest input matched; longer values are not checked (see Search).
  static constexpr std::size_t kMaxInputLength = 1024;

  /// Compile `source` with the ECMAScript grammar. InvalidArgument with the library's
  /// reason for a bad pattern.
  static Result<std::shared_ptr<const Pattern>> Compile(std::string_view source);

  const std::string& source() const { return source_; }

  /// True when the pattern matches anywhere in `input` (JSON Schema patterns are not
  /// anchored). InvalidArgument when `input` is longer than kMaxInputLength or the regex
  /// engine gives up.
  Result<bool> Search(std::string_view input) const;

 private:
  Pattern(std::string source, std::regex regex)
      : source_(std::move(source)), regex_(std::move(regex)) {}

  std::string source_;
  std::regex regex_;
};

}  // namespace rapidbyte::plugin::manifest
