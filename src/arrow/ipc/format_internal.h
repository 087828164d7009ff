// Constants of the Arrow IPC format: flatbuffer field ids (vtable slots) of the tables in
// Schema.fbs / Message.fbs that we read and write, and their enum values. Folder-private.
#pragma once

#include <cstdint>

namespace rapidbyte::arrow::ipc::internal {

inline constexpr uint32_t kContinuation = 0xFFFFFFFFu;
inline constexpr int16_t kMetadataV4 = 3;
inline constexpr int16_t kMetadataV5 = 4;

// union MessageHeader
inline constexpr uint8_t kHeaderSchema = 1;
inline constexpr uint8_t kHeaderDictionaryBatch = 2;
inline constexpr uint8_t kHeaderRecordBatch = 3;

// table Message { version, header (union: type + value), bodyLength, custom_metadata }
inline constexpr int kMessageVersion = 0;
inline constexpr int kMessageHeaderType = 1;
inline constexpr int kMessageHeader = 2;
inline constexpr int kMessageBodyLength = 3;

// table Schema { endianness, fields, custom_metadata, features }
inline constexpr int kSchemaEndianness = 0;
inline constexpr int kSchemaFields = 1;
inline constexpr int kSchemaMetadata = 2;

// table Field { name, nullable, type (union), dictionary, children, custom_metadata }
inline constexpr int kFieldName = 0;
inline constexpr int kFieldNullable = 1;
inline constexpr int kFieldTypeType = 2;
inline constexpr int kFieldType = 3;
inline constexpr int kFieldDictionary = 4;
inline constexpr int kFieldChildren = 5;
inline constexpr int kFieldMetadata = 6;

// table KeyValue { key, value }
inline constexpr int kKeyValueKey = 0;
inline constexpr int kKeyValueValue = 1;

// table RecordBatch { length, nodes, buffers, compression, variadicBufferCounts }
inline constexpr int kBatchLength = 0;
inline constexpr int kBatchNodes = 1;
inline constexpr int kBatchBuffers = 2;
inline constexpr int kBatchCompression = 3;
inline constexpr int kBatchVariadicCounts = 4;
// struct FieldNode { length: long; null_count: long; }  struct Buffer { offset; length; }
inline constexpr uint32_t kStructSize = 16;

// union Type
enum FbType : uint8_t {
  kFbNull = 1,
  kFbInt = 2,
  kFbFloatingPoint = 3,
  kFbBinary = 4,
  kFbUtf8 = 5,
  kFbBool = 6,
  kFbDecimal = 7,
  kFbDate = 8,
  kFbTime = 9,
  kFbTimestamp = 10,
  kFbInterval = 11,
  kFbList = 12,
  kFbFixedSizeBinary = 15,
  kFbLargeBinary = 19,
  kFbLargeUtf8 = 20,
};

// Type tables: field ids and defaults.
inline constexpr int kIntBitWidth = 0;       // int, default 0
inline constexpr int kIntIsSigned = 1;       // bool, default false
inline constexpr int kFloatPrecision = 0;    // short: HALF=0, SINGLE=1, DOUBLE=2; default HALF
inline constexpr int kDecimalPrecision = 0;  // int, default 0
inline constexpr int kDecimalScale = 1;      // int, default 0
inline constexpr int kDecimalBitWidth = 2;   // int, default 128
inline constexpr int kDateUnit = 0;          // short: DAY=0, MILLISECOND=1; default MILLISECOND
inline constexpr int kTimeUnit = 0;          // short TimeUnit, default MILLISECOND
inline constexpr int kTimeBitWidth = 1;      // int, default 32
inline constexpr int kTimestampUnit = 0;     // short TimeUnit, default SECOND
inline constexpr int kTimestampTimezone = 1;
inline constexpr int kIntervalUnit = 0;  // short: YEAR_MONTH=0, DAY_TIME=1, MONTH_DAY_NANO=2
inline constexpr int kFixedSizeBinaryWidth = 0;
inline constexpr int16_t kIntervalMonthDayNano = 2;

}  // namespace rapidbyte::arrow::ipc::internal
