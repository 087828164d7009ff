// The Parquet schema for an Arrow schema (SPEC §16.3): one leaf column per field (a list
// field is the 3-level LIST group around one leaf), with physical and logical types,
// definition/repetition levels and the value order its statistics follow. Portable.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "arrow/schema.h"
#include "base/result.h"
#include "parquet/format.h"

namespace rapidbyte::parquet {

/// How two physical values of a column compare (the logical type's sort order).
enum class Order : uint8_t {
  kBool,
  kSigned32,
  kSigned64,
  kUnsigned32,
  kUnsigned64,
  kFloat,
  kDouble,
  kBytes,           ///< unsigned lexicographic: strings, binary, uuid
  kSignedBigEndian, ///< two's complement big-endian: decimal as fixed_len_byte_array
};

/// One leaf column and how to fill it from its Arrow field.
struct ColumnDescriptor {
  int field_index = 0;
  std::vector<std::string> path;
  PhysicalType type = PhysicalType::kInt32;
  int32_t type_length = 0;  ///< fixed_len_byte_array width
  int16_t max_def = 0;
  int16_t max_rep = 0;
  Order order = Order::kBytes;
  bool is_list = false;
  bool list_nullable = false;  ///< lists: the list itself may be null
  /// The Arrow type of the leaf values (the item type for lists); points into the schema
  /// the ParquetSchema was made from, which must outlive it.
  const arrow::DataType* leaf_type = nullptr;
};

struct ParquetSchema {
  std::vector<SchemaElement> elements;  ///< depth-first, the root first
  std::vector<ColumnDescriptor> columns;
  /// The Arrow schema as stored (intervals become utf8 like their Parquet STRING column),
  /// for the footer's ARROW:schema.
  arrow::Schema stored_arrow_schema;
};

/// Map `schema` (which must outlive the result). Unsupported types (null, nested lists,
/// timestamp[s], decimal with a negative scale, ...) are InvalidArgument naming the field.
Result<ParquetSchema> MapSchema(const arrow::Schema& schema);

/// Bytes of the fixed_len_byte_array that holds a decimal of `precision` (1..38).
int32_t DecimalByteWidth(int32_t precision);

}  // namespace rapidbyte::parquet
