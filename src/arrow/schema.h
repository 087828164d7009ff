// Field and Schema with ordered key/value metadata, and the metadata keys rapidbyte uses
// (Arrow extension names, pg_type, pg_relation, pg_primary_key; SPEC §9.1). Portable.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "arrow/type.h"

namespace rapidbyte::arrow {

/// Arrow's reserved field-metadata keys for extension types.
inline constexpr std::string_view kExtensionNameKey = "ARROW:extension:name";
inline constexpr std::string_view kExtensionMetadataKey = "ARROW:extension:metadata";
/// Canonical extension names: uuid (fixed_size_binary[16]) and json (utf8).
inline constexpr std::string_view kUuidExtension = "arrow.uuid";
inline constexpr std::string_view kJsonExtension = "arrow.json";
/// Field metadata: the PostgreSQL `format_type` text of the source column.
inline constexpr std::string_view kPgTypeKey = "pg_type";
/// Schema metadata: `schema.table`, and the primary key as a JSON array of column names.
inline constexpr std::string_view kPgRelationKey = "pg_relation";
inline constexpr std::string_view kPgPrimaryKeyKey = "pg_primary_key";

struct KeyValue {
  std::string key;
  std::string value;
  friend bool operator==(const KeyValue&, const KeyValue&) = default;
};

/// Ordered key/value pairs, as in the IPC metadata. Order is significant for equality;
/// keys are expected to be unique (Set() replaces, Append() does not check).
class KeyValueMetadata {
 public:
  KeyValueMetadata() = default;
  KeyValueMetadata(std::initializer_list<KeyValue> entries) : entries_(entries) {}

  /// Return the value of the first entry with `key`, if any.
  std::optional<std::string_view> Get(std::string_view key) const;
  /// Replace the value of `key`, or append it.
  void Set(std::string_view key, std::string_view value);
  void Append(std::string key, std::string value) {
    entries_.push_back({std::move(key), std::move(value)});
  }

  const std::vector<KeyValue>& entries() const { return entries_; }
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

  friend bool operator==(const KeyValueMetadata&, const KeyValueMetadata&) = default;

 private:
  std::vector<KeyValue> entries_;
};

/// A named, typed column. Value type; thread-compatible.
class Field {
 public:
  Field(std::string name, DataType type, bool nullable = true, KeyValueMetadata metadata = {})
      : name_(std::move(name)),
        type_(std::move(type)),
        nullable_(nullable),
        metadata_(std::move(metadata)) {}

  const std::string& name() const { return name_; }
  const DataType& type() const { return type_; }
  bool nullable() const { return nullable_; }
  const KeyValueMetadata& metadata() const { return metadata_; }
  KeyValueMetadata& mutable_metadata() { return metadata_; }

  /// Return the Arrow extension name (`arrow.uuid`, ...) or "" when there is none.
  std::string_view extension_name() const {
    return metadata_.Get(kExtensionNameKey).value_or(std::string_view{});
  }
  /// Return a copy with metadata key `key` set to `value` (for chaining in schemas).
  Field With(std::string_view key, std::string_view value) const;
  /// Return a copy tagged with the Arrow extension name `name`.
  Field WithExtension(std::string_view name) const { return With(kExtensionNameKey, name); }

  /// `name: type` plus ` not null` for non-nullable fields.
  std::string ToString() const;

  friend bool operator==(const Field&, const Field&) = default;

 private:
  std::string name_;
  DataType type_;
  bool nullable_ = true;
  KeyValueMetadata metadata_;
};

/// An ordered list of fields plus schema-level metadata. Value type; thread-compatible.
class Schema {
 public:
  Schema() = default;
  explicit Schema(std::vector<Field> fields, KeyValueMetadata metadata = {})
      : fields_(std::move(fields)), metadata_(std::move(metadata)) {}

  const std::vector<Field>& fields() const { return fields_; }
  const Field& field(int i) const { return fields_[static_cast<std::size_t>(i)]; }
  int num_fields() const { return static_cast<int>(fields_.size()); }
  const KeyValueMetadata& metadata() const { return metadata_; }
  KeyValueMetadata& mutable_metadata() { return metadata_; }

  /// Return the index of the first field named `name`, or -1.
  int GetFieldIndex(std::string_view name) const;

  /// Check every field's type (DataType::Validate); errors name the field.
  Status Validate() const;

  /// One line per field, then the metadata.
  std::string ToString() const;

  /// Equal fields (names, types, nullability, metadata, in order) and equal metadata: the
  /// check the engine applies between a stream's frames.
  friend bool operator==(const Schema&, const Schema&) = default;

 private:
  std::vector<Field> fields_;
  KeyValueMetadata metadata_;
};

}  // namespace rapidbyte::arrow
