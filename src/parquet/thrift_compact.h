// A Thrift compact-protocol encoder with just what the Parquet metadata needs: structs, fields
// with delta-encoded ids, i8/i32/i64 (zigzag varints), bool, binary/string and lists. Written
// from the Thrift compact protocol specification; there is no decoder (the writer never reads
// metadata back). Portable; no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rapidbyte::parquet::thrift {

/// Compact-protocol type nibbles.
enum class CType : uint8_t {
  kBoolTrue = 1,
  kBoolFalse = 2,
  kByte = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,
};

/// Appends one compact-encoded value (usually a struct) to a string. Field ids within a
/// struct must increase (the Parquet structs are written in id order); nesting is tracked
/// so each struct's ids are deltas from its own previous field. Not thread-safe.
class CompactWriter {
 public:
  explicit CompactWriter(std::string* out) : out_(out) {}

  /// Start a struct (the top-level value, a nested field's value or a list element).
  void BeginStruct() { last_ids_.push_back(0); }
  /// Write the stop byte and leave the struct.
  void EndStruct();

  void FieldI8(int16_t id, int8_t v);
  void FieldI16(int16_t id, int16_t v);
  void FieldI32(int16_t id, int32_t v);
  void FieldI64(int16_t id, int64_t v);
  void FieldBool(int16_t id, bool v);
  void FieldBinary(int16_t id, std::string_view v);
  /// A struct-valued field: writes the header and enters the struct (end it with EndStruct).
  void FieldStruct(int16_t id) {
    FieldHeader(id, CType::kStruct);
    BeginStruct();
  }
  /// A list-valued field; then write `size` elements (I32 / Binary / BeginStruct...).
  void FieldList(int16_t id, CType element, int64_t size) {
    FieldHeader(id, CType::kList);
    ListHeader(element, size);
  }
  void ListHeader(CType element, int64_t size);

  /// Bare values, for list elements.
  void I32(int32_t v) { Varint(ZigZag(v)); }
  void Binary(std::string_view v);

  /// Unsigned LEB128 and zigzag mapping, exposed for tests.
  void Varint(uint64_t v);
  static uint64_t ZigZag(int64_t v) {
    return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
  }

 private:
  void FieldHeader(int16_t id, CType type);

  std::string* out_;
  std::vector<int16_t> last_ids_;
};

}  // namespace rapidbyte::parquet::thrift
