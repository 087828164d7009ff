// The parts of the Parquet file format (parquet-format 2.x, parquet.thrift) the writer emits:
// enum values as the format numbers them, and plain structs for the footer and page
// headers, serialised with the Thrift compact protocol by metadata.cc. Portable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rapidbyte::parquet {

/// "PAR1": the first and last four bytes of every file.
inline constexpr std::string_view kMagic = "PAR1";

enum class PhysicalType : int32_t {
  kBoolean = 0,
  kInt32 = 1,
  kInt64 = 2,
  kFloat = 4,
  kDouble = 5,
  kByteArray = 6,
  kFixedLenByteArray = 7,
};

enum class Repetition : int32_t { kRequired = 0, kOptional = 1, kRepeated = 2 };

enum class Encoding : int32_t { kPlain = 0, kRle = 3, kRleDictionary = 8 };

/// CompressionCodec: the codec id a PageCompressor reports.
enum class Codec : int32_t {
  kUncompressed = 0,
  kSnappy = 1,
  kGzip = 2,
  kLz4 = 5,
  kZstd = 6,
  kLz4Raw = 7,
};

enum class PageType : int32_t { kDataPage = 0, kDictionaryPage = 2 };

/// The legacy ConvertedType, still written beside the logical type for older readers.
enum class ConvertedType : int32_t {
  kUtf8 = 0,
  kList = 3,
  kDecimal = 5,
  kDate = 6,
  kTimeMicros = 8,
  kTimestampMillis = 9,
  kTimestampMicros = 10,
  kUint8 = 11,
  kUint16 = 12,
  kUint32 = 13,
  kUint64 = 14,
  kInt8 = 15,
  kInt16 = 16,
  kInt32 = 17,
  kInt64 = 18,
  kJson = 19,
};

/// The LogicalType union (one member set), with the parameters of the members we use.
struct LogicalType {
  enum class Kind : uint8_t {
    kNone,
    kString = 1,
    kList = 3,
    kDecimal = 5,
    kDate = 6,
    kTime = 7,
    kTimestamp = 8,
    kInteger = 10,
    kJson = 12,
    kUuid = 14,
  };
  /// TimeUnit union member ids.
  enum class Unit : uint8_t { kMillis = 1, kMicros = 2, kNanos = 3 };

  Kind kind = Kind::kNone;
  int32_t scale = 0;        ///< decimal
  int32_t precision = 0;    ///< decimal
  bool adjusted_to_utc = false;  ///< time, timestamp
  Unit unit = Unit::kMicros;     ///< time, timestamp
  int8_t bit_width = 0;     ///< integer
  bool is_signed = true;    ///< integer
};

struct SchemaElement {
  std::optional<PhysicalType> type{};  ///< leaves only
  int32_t type_length = 0;           ///< fixed_len_byte_array width (0: not written)
  std::optional<Repetition> repetition{};
  std::string name{};
  int32_t num_children = -1;  ///< groups only (-1: not written)
  std::optional<ConvertedType> converted_type{};
  int32_t scale = -1;      ///< decimal (-1: not written)
  int32_t precision = -1;  ///< decimal
  LogicalType logical_type{};
};

struct Statistics {
  int64_t null_count = 0;
  /// PLAIN encoding of the bounds (no length prefix), absent when no value was ordered.
  std::optional<std::string> min_value{};
  std::optional<std::string> max_value{};
};

struct ColumnMetaData {
  PhysicalType type = PhysicalType::kInt32;
  std::vector<Encoding> encodings{};
  std::vector<std::string> path_in_schema{};
  Codec codec = Codec::kUncompressed;
  int64_t num_values = 0;
  int64_t total_uncompressed_size = 0;
  int64_t total_compressed_size = 0;
  int64_t data_page_offset = 0;
  std::optional<int64_t> dictionary_page_offset{};
  Statistics statistics{};
};

struct ColumnChunk {
  int64_t file_offset = 0;
  ColumnMetaData meta_data{};
};

struct RowGroup {
  std::vector<ColumnChunk> columns{};
  int64_t total_byte_size = 0;  ///< uncompressed
  int64_t num_rows = 0;
  int64_t file_offset = 0;
  int64_t total_compressed_size = 0;
  int16_t ordinal = 0;
};

struct KeyValue {
  std::string key{};
  std::string value{};
};

struct FileMetaData {
  int32_t version = 2;
  std::vector<SchemaElement> schema{};  ///< depth-first, the root first
  int64_t num_rows = 0;
  std::vector<RowGroup> row_groups{};
  std::vector<KeyValue> key_value_metadata{};
  std::string created_by{};
  /// One TypeDefinedOrder per leaf column: min_value/max_value follow the logical type's order.
  int32_t num_leaf_columns = 0;
};

struct PageHeader {
  PageType type = PageType::kDataPage;
  int32_t uncompressed_page_size = 0;
  int32_t compressed_page_size = 0;
  int32_t num_values = 0;
  Encoding encoding = Encoding::kPlain;  ///< of the values (data page) or the dictionary
};

/// Append the compact encoding of the footer / a page header to `*out`.
void SerializeFileMetaData(const FileMetaData& meta, std::string* out);
void SerializePageHeader(const PageHeader& header, std::string* out);

}  // namespace rapidbyte::parquet
