// FieldReader: typed access to the keys of one YAML mapping, reporting problems with their
// field paths and, when done, every unknown key with a "did you mean" suggestion.
// Keys starting with "x-" are ignored. Values whose environment variables were missing are
// treated as absent-but-reported (never typed, never double-reported).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/problems.h"
#include "config/value.h"

namespace rapidbyte::config {

/// Path of `key` below `parent` ("source" + "use" -> "source.use").
std::string ChildPath(const std::string& parent, std::string_view key);

/// Return "'a', 'b'" style lists: "a, b, c".
std::string ListNames(const std::vector<std::string>& names);

/// Check `value` against `allowed`; report "'x' is not one of a, b (did you mean 'y'?)".
std::optional<std::size_t> ReadEnum(const Value& value, const std::string& path,
                                    const std::vector<std::string>& allowed, Problems& problems);

class FieldReader {
 public:
  /// `value` may be null (absent section: every key reads as absent). A value that is not a
  /// map is reported once.
  FieldReader(const Value* value, std::string path, std::vector<std::string> known_keys,
              Problems& problems);

  const std::string& path() const { return path_; }
  /// Return the value of a known key, or nullptr when absent or null.
  const Value* Get(std::string_view key) const;
  /// True when the key is present with an unresolved (missing-variable) value.
  bool Unresolved(std::string_view key) const;

  /// Text of a string field (plain numbers and booleans are read as their text).
  std::optional<std::string> String(std::string_view key, bool required);
  /// An integer field with bounds; `fallback` when absent.
  std::optional<std::int64_t> Int(std::string_view key, std::int64_t fallback, std::int64_t min,
                                  std::optional<std::int64_t> max = std::nullopt);
  /// A byte-size field (§2.4) with a minimum; `fallback` when absent.
  std::optional<std::uint64_t> Size(std::string_view key, std::uint64_t fallback,
                                    std::uint64_t min);
  /// An enumeration; returns the index into `allowed`, `fallback` when absent.
  std::optional<std::size_t> Enum(std::string_view key, const std::vector<std::string>& allowed,
                                  std::size_t fallback);
  /// A list of strings; nullopt when absent or invalid. Reports an empty list when
  /// `non_empty`, and duplicates.
  std::optional<std::vector<std::string>> StringList(std::string_view key, bool non_empty,
                                                     std::string_view item_noun);

  /// Report every key that is neither known nor an x- extension.
  void ReportUnknownKeys();

 private:
  const Value* value_;
  std::string path_;
  std::vector<std::string> known_;
  Problems& problems_;
};

}  // namespace rapidbyte::config
