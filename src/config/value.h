// Value: the pipeline document as a tree, after YAML parsing and before typing.
// Scalars keep their text, whether they were plain (unquoted), where they came from in
// the file, and which environment variables were substituted into them, so that typing
// follows the YAML core schema on the final text and messages name the variables.
//
// Ownership: a Value owns its children. Not thread-safe; build once, then read.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rapidbyte::config {

/// A 1-based position in the pipeline file (0 when unknown).
struct Mark {
  int line = 0;
  int column = 0;
};

struct MapEntry;

class Value {
 public:
  enum class Kind { kNull, kScalar, kMap, kList };

  Value() = default;
  static Value Scalar(std::string text, bool plain, Mark mark = {});
  static Value Null(Mark mark = {});
  static Value Map(Mark mark = {});
  static Value List(Mark mark = {});

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_scalar() const { return kind_ == Kind::kScalar; }
  bool is_map() const { return kind_ == Kind::kMap; }
  bool is_list() const { return kind_ == Kind::kList; }
  Mark mark() const { return mark_; }

  /// Scalar text (after environment substitution).
  const std::string& text() const { return text_; }
  void set_text(std::string text) { text_ = std::move(text); }
  /// True for a plain (unquoted) scalar; quoted scalars are always strings.
  bool plain() const { return plain_; }

  /// Names of the environment variables whose values were substituted into this scalar.
  /// Messages name them beside the value; coming from the environment does not make a
  /// value secret (secret keys, x-secret and URL passwords do: config/redact.h).
  const std::vector<std::string>& env_vars() const { return env_vars_; }
  void add_env_var(std::string name) { env_vars_.push_back(std::move(name)); }
  bool from_env() const { return !env_vars_.empty(); }
  /// True when a ${...} reference was replaced (by a variable's value or its default): the
  /// result is still typed, but an empty result is the empty string, not null.
  bool substituted() const { return substituted_; }
  void set_substituted() { substituted_ = true; }
  /// True when a referenced variable was missing; such a value is not typed or checked
  /// further (the missing variable is reported once, on its own).
  bool unresolved() const { return unresolved_; }
  void set_unresolved() { unresolved_ = true; }

  const std::vector<MapEntry>& entries() const { return entries_; }
  std::vector<MapEntry>& mutable_entries() { return entries_; }
  /// Return the value of `key` in a map, or nullptr when absent (or not a map).
  const Value* Find(std::string_view key) const;

  const std::vector<Value>& items() const { return items_; }
  std::vector<Value>& mutable_items() { return items_; }

  /// Return how a message shows this value: 'text' in quotes (a URL's password as ***),
  /// followed, for a value that came from the environment, by "(the value of ${NAME})".
  /// Only for values that are not secret; secret keys are typed elsewhere (config_check).
  std::string Describe() const;
  /// Return `shown` (the value as a message prints it, e.g. a parsed number) followed by
  /// " (the value of ${NAME}, ...)" when the value came from the environment.
  std::string WithOrigin(std::string shown) const;
  /// Return "a map", "a list", "null" or Describe().
  std::string DescribeKind() const;

 private:
  Kind kind_ = Kind::kNull;
  std::string text_;
  bool plain_ = true;
  bool unresolved_ = false;
  bool substituted_ = false;
  std::vector<std::string> env_vars_;
  std::vector<MapEntry> entries_;
  std::vector<Value> items_;
  Mark mark_;
};

struct MapEntry {
  std::string key;
  Mark key_mark;
  Value value;
};

}  // namespace rapidbyte::config
