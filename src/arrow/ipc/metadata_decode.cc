// Decoding of Message, Schema and RecordBatch flatbuffers, with every access checked and
// only the types of SPEC §9 accepted.
#include <string>

#include "arrow/ipc/format_internal.h"
#include "arrow/ipc/metadata_internal.h"

namespace rapidbyte::arrow::ipc::internal {

namespace {

constexpr int kMaxNestingDepth = 64;

Status Invalid(std::string msg) { return Status::InvalidArgument(std::move(msg)); }

// Bounds the memory that decoded strings and fields may take (flatbuffers may alias one
// string from many places).
struct Budget {
  int64_t remaining;
  Status Charge(uint64_t bytes) {
    if (bytes > static_cast<uint64_t>(remaining)) {
      return Invalid("schema metadata expands to more memory than its size allows");
    }
    remaining -= static_cast<int64_t>(bytes);
    return Status::OK();
  }
};

Result<std::string> CopyString(const FbTable& t, int id, Budget* budget) {
  RB_ASSIGN_OR_RETURN(std::optional<std::string_view> s, t.String(id));
  if (!s) return std::string();
  RB_RETURN_NOT_OK(budget->Charge(s->size() + 32));
  return std::string(*s);
}

Result<KeyValueMetadata> DecodeMetadata(const FbTable& t, int id, Budget* budget) {
  RB_ASSIGN_OR_RETURN(FbVector vec, t.Vector(id, 4));
  KeyValueMetadata md;
  for (uint32_t i = 0; i < vec.size(); ++i) {
    RB_ASSIGN_OR_RETURN(FbTable kv, vec.TableAt(i));
    RB_ASSIGN_OR_RETURN(std::string key, CopyString(kv, kKeyValueKey, budget));
    RB_ASSIGN_OR_RETURN(std::string value, CopyString(kv, kKeyValueValue, budget));
    md.Append(std::move(key), std::move(value));
  }
  return md;
}

Status Unsupported(const std::string& what) { return Invalid("unsupported Arrow type " + what); }

Result<DataType> DecodeIntType(const FbTable& t) {
  RB_ASSIGN_OR_RETURN(int32_t bits, t.Scalar<int32_t>(kIntBitWidth, 0));
  RB_ASSIGN_OR_RETURN(uint8_t is_signed, t.Scalar<uint8_t>(kIntIsSigned, 0));
  switch (bits) {
    case 8:
      return is_signed ? DataType::Int8() : DataType::UInt8();
    case 16:
      return is_signed ? DataType::Int16() : DataType::UInt16();
    case 32:
      return is_signed ? DataType::Int32() : DataType::UInt32();
    case 64:
      return is_signed ? DataType::Int64() : DataType::UInt64();
    default:
      return Unsupported("int of " + std::to_string(bits) + " bits");
  }
}

Result<TimeUnit> DecodeTimeUnit(int16_t unit) {
  if (unit < 0 || unit > 3) return Invalid("unknown time unit " + std::to_string(unit));
  return static_cast<TimeUnit>(unit);
}

// Decode the type of a field whose children (for lists) are already decoded.
Result<DataType> DecodeType(uint8_t type_type, const FbTable& t, std::vector<Field>* children) {
  switch (type_type) {
    case kFbNull:
      return DataType::Null();
    case kFbBool:
      return DataType::Bool();
    case kFbInt:
      return DecodeIntType(t);
    case kFbFloatingPoint: {
      RB_ASSIGN_OR_RETURN(int16_t precision, t.Scalar<int16_t>(kFloatPrecision, 0));
      if (precision == 1) return DataType::Float32();
      if (precision == 2) return DataType::Float64();
      return Unsupported("float16");
    }
    case kFbUtf8:
      return DataType::Utf8();
    case kFbLargeUtf8:
      return DataType::LargeUtf8();
    case kFbBinary:
      return DataType::Binary();
    case kFbLargeBinary:
      return DataType::LargeBinary();
    case kFbDecimal: {
      RB_ASSIGN_OR_RETURN(int32_t precision, t.Scalar<int32_t>(kDecimalPrecision, 0));
      RB_ASSIGN_OR_RETURN(int32_t scale, t.Scalar<int32_t>(kDecimalScale, 0));
      RB_ASSIGN_OR_RETURN(int32_t bits, t.Scalar<int32_t>(kDecimalBitWidth, 128));
      if (bits != 128) return Unsupported("decimal of " + std::to_string(bits) + " bits");
      return DataType::Decimal128(precision, scale);
    }
    case kFbDate: {
      RB_ASSIGN_OR_RETURN(int16_t unit, t.Scalar<int16_t>(kDateUnit, 1));
      if (unit != 0) return Unsupported("date64");
      return DataType::Date32();
    }
    case kFbTime: {
      RB_ASSIGN_OR_RETURN(int16_t unit, t.Scalar<int16_t>(kTimeUnit, 1));
      RB_ASSIGN_OR_RETURN(int32_t bits, t.Scalar<int32_t>(kTimeBitWidth, 32));
      if (bits != 64) return Unsupported("time32");
      RB_ASSIGN_OR_RETURN(TimeUnit u, DecodeTimeUnit(unit));
      return DataType::Time64(u);
    }
    case kFbTimestamp: {
      RB_ASSIGN_OR_RETURN(int16_t unit, t.Scalar<int16_t>(kTimestampUnit, 0));
      RB_ASSIGN_OR_RETURN(TimeUnit u, DecodeTimeUnit(unit));
      RB_ASSIGN_OR_RETURN(std::optional<std::string_view> tz, t.String(kTimestampTimezone));
      if (tz && tz->size() > 256) return Invalid("timestamp time zone longer than 256 bytes");
      return DataType::Timestamp(u, tz ? std::string(*tz) : std::string());
    }
    case kFbInterval: {
      RB_ASSIGN_OR_RETURN(int16_t unit, t.Scalar<int16_t>(kIntervalUnit, 0));
      if (unit != kIntervalMonthDayNano) return Unsupported("interval other than month_day_nano");
      return DataType::IntervalMonthDayNano();
    }
    case kFbFixedSizeBinary: {
      RB_ASSIGN_OR_RETURN(int32_t width, t.Scalar<int32_t>(kFixedSizeBinaryWidth, 0));
      return DataType::FixedSizeBinary(width);
    }
    case kFbList:
      if (children->size() != 1) {
        return Invalid("list field has " + std::to_string(children->size()) +
                       " children, expected 1");
      }
      return DataType::List(std::move((*children)[0]));
    default:
      return Unsupported("id " + std::to_string(type_type) + " (Schema.fbs Type union)");
  }
}

Result<Field> DecodeField(const FbTable& t, int depth, Budget* budget) {
  if (depth > kMaxNestingDepth) return Invalid("fields nested deeper than 64 levels");
  RB_RETURN_NOT_OK(budget->Charge(128));
  RB_ASSIGN_OR_RETURN(std::string name, CopyString(t, kFieldName, budget));
  auto in_field = [&name](const Status& st) { return st.WithContext("field '" + name + "'"); };
  auto nullable = t.Scalar<uint8_t>(kFieldNullable, 0);
  if (!nullable.ok()) return in_field(nullable.status());
  auto type_type = t.Scalar<uint8_t>(kFieldTypeType, 0);
  if (!type_type.ok()) return in_field(type_type.status());
  auto type_table = t.Table(kFieldType);
  if (!type_table.ok()) return in_field(type_table.status());
  if (!type_table->has_value()) return in_field(Invalid("type table missing"));
  auto dictionary = t.Table(kFieldDictionary);
  if (!dictionary.ok()) return in_field(dictionary.status());
  if (dictionary->has_value()) return in_field(Invalid("dictionary encoding is not supported"));

  auto children_vec = t.Vector(kFieldChildren, 4);
  if (!children_vec.ok()) return in_field(children_vec.status());
  const uint32_t expected_children = *type_type == kFbList ? 1 : 0;
  if (children_vec->size() != expected_children) {
    return in_field(Invalid("has " + std::to_string(children_vec->size()) + " children, expected " +
                            std::to_string(expected_children)));
  }
  std::vector<Field> children;
  for (uint32_t i = 0; i < children_vec->size(); ++i) {
    auto child_table = children_vec->TableAt(i);
    if (!child_table.ok()) return in_field(child_table.status());
    auto child = DecodeField(*child_table, depth + 1, budget);
    if (!child.ok()) return in_field(child.status());
    children.push_back(std::move(child).value());
  }
  auto type = DecodeType(*type_type, **type_table, &children);
  if (!type.ok()) return in_field(type.status());
  Status valid = type->Validate();
  if (!valid.ok()) return in_field(valid);
  auto metadata = DecodeMetadata(t, kFieldMetadata, budget);
  if (!metadata.ok()) return in_field(metadata.status());
  return Field(std::move(name), std::move(type).value(), *nullable != 0,
               std::move(metadata).value());
}

}  // namespace

Result<MessageInfo> DecodeMessage(const uint8_t* data, uint64_t size) {
  RB_ASSIGN_OR_RETURN(FbTable message, FbTable::Root(data, size));
  MessageInfo info;
  RB_ASSIGN_OR_RETURN(info.version, message.Scalar<int16_t>(kMessageVersion, 0));
  if (info.version != kMetadataV5 && info.version != kMetadataV4) {
    return Invalid("metadata version " + std::to_string(info.version + 1) +
                   " is not supported (need V4 or V5)");
  }
  RB_ASSIGN_OR_RETURN(info.header_type, message.Scalar<uint8_t>(kMessageHeaderType, 0));
  RB_ASSIGN_OR_RETURN(info.header, message.Table(kMessageHeader));
  if (!info.header) return Invalid("message has no header");
  RB_ASSIGN_OR_RETURN(info.body_length, message.Scalar<int64_t>(kMessageBodyLength, 0));
  if (info.body_length < 0) {
    return Invalid("negative body length " + std::to_string(info.body_length));
  }
  return info;
}

Result<Schema> DecodeSchema(const FbTable& t, uint64_t fb_size) {
  Budget budget{static_cast<int64_t>(fb_size) * 16 + 4096};
  RB_ASSIGN_OR_RETURN(int16_t endianness, t.Scalar<int16_t>(kSchemaEndianness, 0));
  if (endianness != 0) return Invalid("big-endian streams are not supported");
  RB_ASSIGN_OR_RETURN(FbVector fields_vec, t.Vector(kSchemaFields, 4));
  std::vector<Field> fields;
  fields.reserve(fields_vec.size());
  for (uint32_t i = 0; i < fields_vec.size(); ++i) {
    auto field_table = fields_vec.TableAt(i);
    if (!field_table.ok()) {
      return field_table.status().WithContext("schema field " + std::to_string(i));
    }
    auto field = DecodeField(*field_table, 0, &budget);
    if (!field.ok()) return field.status().WithContext("schema field " + std::to_string(i));
    fields.push_back(std::move(field).value());
  }
  auto metadata = DecodeMetadata(t, kSchemaMetadata, &budget);
  if (!metadata.ok()) return metadata.status().WithContext("schema metadata");
  return Schema(std::move(fields), std::move(metadata).value());
}

Result<BatchMeta> DecodeRecordBatchMeta(const FbTable& t) {
  BatchMeta meta;
  RB_ASSIGN_OR_RETURN(meta.length, t.Scalar<int64_t>(kBatchLength, 0));
  if (meta.length < 0) return Invalid("negative record batch length");
  RB_ASSIGN_OR_RETURN(std::optional<FbTable> compression, t.Table(kBatchCompression));
  if (compression) return Invalid("compressed record batch bodies are not supported");
  RB_ASSIGN_OR_RETURN(FbVector variadic, t.Vector(kBatchVariadicCounts, 8));
  if (variadic.size() != 0) return Invalid("variadic buffers are not supported");
  RB_ASSIGN_OR_RETURN(meta.nodes, t.Vector(kBatchNodes, kStructSize));
  RB_ASSIGN_OR_RETURN(meta.buffers, t.Vector(kBatchBuffers, kStructSize));
  return meta;
}

}  // namespace rapidbyte::arrow::ipc::internal
