// Encoding of Schema and RecordBatch messages as Arrow flatbuffers (Schema.fbs, Message.fbs).
#include "arrow/ipc/format_internal.h"
#include "arrow/ipc/metadata_internal.h"

namespace rapidbyte::arrow::ipc::internal {

namespace {

uint8_t FbTypeOf(const DataType& t) {
  switch (t.id()) {
    case TypeId::kNull:
      return kFbNull;
    case TypeId::kBool:
      return kFbBool;
    case TypeId::kInt8:
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
    case TypeId::kUInt8:
    case TypeId::kUInt16:
    case TypeId::kUInt32:
    case TypeId::kUInt64:
      return kFbInt;
    case TypeId::kFloat32:
    case TypeId::kFloat64:
      return kFbFloatingPoint;
    case TypeId::kDecimal128:
      return kFbDecimal;
    case TypeId::kUtf8:
      return kFbUtf8;
    case TypeId::kLargeUtf8:
      return kFbLargeUtf8;
    case TypeId::kBinary:
      return kFbBinary;
    case TypeId::kLargeBinary:
      return kFbLargeBinary;
    case TypeId::kFixedSizeBinary:
      return kFbFixedSizeBinary;
    case TypeId::kDate32:
      return kFbDate;
    case TypeId::kTime64:
      return kFbTime;
    case TypeId::kTimestamp:
      return kFbTimestamp;
    case TypeId::kIntervalMonthDayNano:
      return kFbInterval;
    case TypeId::kList:
      return kFbList;
  }
  return 0;
}

// Write the type table of `t`; return its position.
int64_t EncodeTypeTable(const DataType& t, FbWriter* w) {
  w->StartTable();
  switch (t.id()) {
    case TypeId::kInt8:
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
    case TypeId::kUInt8:
    case TypeId::kUInt16:
    case TypeId::kUInt32:
    case TypeId::kUInt64: {
      const bool is_signed = t.id() <= TypeId::kInt64;
      w->AddScalar<int32_t>(kIntBitWidth, t.fixed_width() * 8);
      w->AddScalar<uint8_t>(kIntIsSigned, is_signed ? 1 : 0);
      break;
    }
    case TypeId::kFloat32:
    case TypeId::kFloat64:
      w->AddScalar<int16_t>(kFloatPrecision, t.id() == TypeId::kFloat32 ? 1 : 2);
      break;
    case TypeId::kDecimal128:
      w->AddScalar<int32_t>(kDecimalPrecision, t.precision());
      w->AddScalar<int32_t>(kDecimalScale, t.scale());
      w->AddScalar<int32_t>(kDecimalBitWidth, 128);
      break;
    case TypeId::kDate32:
      w->AddScalar<int16_t>(kDateUnit, 0);  // DAY
      break;
    case TypeId::kTime64:
      w->AddScalar<int16_t>(kTimeUnit, static_cast<int16_t>(t.unit()));
      w->AddScalar<int32_t>(kTimeBitWidth, 64);
      break;
    case TypeId::kTimestamp:
      w->AddScalar<int16_t>(kTimestampUnit, static_cast<int16_t>(t.unit()));
      if (!t.timezone().empty()) w->AddOffset(kTimestampTimezone);
      break;
    case TypeId::kIntervalMonthDayNano:
      w->AddScalar<int16_t>(kIntervalUnit, kIntervalMonthDayNano);
      break;
    case TypeId::kFixedSizeBinary:
      w->AddScalar<int32_t>(kFixedSizeBinaryWidth, t.byte_width());
      break;
    default:
      break;  // no parameters
  }
  const int64_t table = w->EndTable();
  if (t.id() == TypeId::kTimestamp && !t.timezone().empty()) {
    const int64_t slot = w->SlotOf(kTimestampTimezone);
    w->PatchOffset(slot, w->WriteString(t.timezone()));
  }
  return table;
}

// Write a vector of KeyValue tables; return its position.
int64_t EncodeMetadata(const KeyValueMetadata& md, FbWriter* w) {
  const int64_t vec = w->WriteOffsetVector(static_cast<int64_t>(md.size()));
  for (std::size_t i = 0; i < md.size(); ++i) {
    w->StartTable();
    w->AddOffset(kKeyValueKey);
    w->AddOffset(kKeyValueValue);
    const int64_t table = w->EndTable();
    const int64_t key_slot = w->SlotOf(kKeyValueKey);
    const int64_t value_slot = w->SlotOf(kKeyValueValue);
    w->PatchOffset(vec + 4 + 4 * static_cast<int64_t>(i), table);
    w->PatchOffset(key_slot, w->WriteString(md.entries()[i].key));
    w->PatchOffset(value_slot, w->WriteString(md.entries()[i].value));
  }
  return vec;
}

int64_t EncodeField(const Field& f, FbWriter* w) {
  const bool has_metadata = !f.metadata().empty();
  w->StartTable();
  w->AddOffset(kFieldName);
  w->AddScalar<uint8_t>(kFieldNullable, f.nullable() ? 1 : 0);
  w->AddScalar<uint8_t>(kFieldTypeType, FbTypeOf(f.type()));
  w->AddOffset(kFieldType);
  w->AddOffset(kFieldChildren);
  if (has_metadata) w->AddOffset(kFieldMetadata);
  const int64_t table = w->EndTable();
  const int64_t name_slot = w->SlotOf(kFieldName);
  const int64_t type_slot = w->SlotOf(kFieldType);
  const int64_t children_slot = w->SlotOf(kFieldChildren);
  const int64_t metadata_slot = has_metadata ? w->SlotOf(kFieldMetadata) : 0;

  w->PatchOffset(name_slot, w->WriteString(f.name()));
  w->PatchOffset(type_slot, EncodeTypeTable(f.type(), w));
  const bool is_list = f.type().id() == TypeId::kList;
  const int64_t children = w->WriteOffsetVector(is_list ? 1 : 0);
  w->PatchOffset(children_slot, children);
  if (is_list) w->PatchOffset(children + 4, EncodeField(f.type().item_field(), w));
  if (has_metadata) w->PatchOffset(metadata_slot, EncodeMetadata(f.metadata(), w));
  return table;
}

// Write the Message table around a header; return the header slot.
int64_t StartMessage(uint8_t header_type, int64_t body_length, FbWriter* w) {
  w->Clear();
  const int64_t root = w->ReserveOffset();
  w->StartTable();
  w->AddScalar<int16_t>(kMessageVersion, kMetadataV5);
  w->AddScalar<uint8_t>(kMessageHeaderType, header_type);
  w->AddOffset(kMessageHeader);
  w->AddScalar<int64_t>(kMessageBodyLength, body_length);
  const int64_t message = w->EndTable();
  w->PatchOffset(root, message);
  return w->SlotOf(kMessageHeader);
}

}  // namespace

void EncodeSchemaMessage(const Schema& schema, FbWriter* w) {
  const int64_t header_slot = StartMessage(kHeaderSchema, 0, w);
  const bool has_metadata = !schema.metadata().empty();
  w->StartTable();
  w->AddScalar<int16_t>(kSchemaEndianness, 0);  // Little
  w->AddOffset(kSchemaFields);
  if (has_metadata) w->AddOffset(kSchemaMetadata);
  const int64_t table = w->EndTable();
  const int64_t fields_slot = w->SlotOf(kSchemaFields);
  const int64_t metadata_slot = has_metadata ? w->SlotOf(kSchemaMetadata) : 0;
  w->PatchOffset(header_slot, table);

  const int64_t fields = w->WriteOffsetVector(schema.num_fields());
  w->PatchOffset(fields_slot, fields);
  for (int i = 0; i < schema.num_fields(); ++i) {
    w->PatchOffset(fields + 4 + 4 * int64_t{i}, EncodeField(schema.field(i), w));
  }
  if (has_metadata) w->PatchOffset(metadata_slot, EncodeMetadata(schema.metadata(), w));
}

void EncodeRecordBatchMessage(int64_t length, const std::vector<FieldNodeMeta>& nodes,
                              const std::vector<BufferMeta>& buffers, int64_t body_length,
                              FbWriter* w) {
  const int64_t header_slot = StartMessage(kHeaderRecordBatch, body_length, w);
  w->StartTable();
  w->AddScalar<int64_t>(kBatchLength, length);
  w->AddOffset(kBatchNodes);
  w->AddOffset(kBatchBuffers);
  const int64_t table = w->EndTable();
  const int64_t nodes_slot = w->SlotOf(kBatchNodes);
  const int64_t buffers_slot = w->SlotOf(kBatchBuffers);
  w->PatchOffset(header_slot, table);
  static_assert(sizeof(FieldNodeMeta) == kStructSize && sizeof(BufferMeta) == kStructSize);
  w->PatchOffset(nodes_slot, w->WriteStructVector(nodes.data(), static_cast<int64_t>(nodes.size()),
                                                  kStructSize));
  w->PatchOffset(
      buffers_slot,
      w->WriteStructVector(buffers.data(), static_cast<int64_t>(buffers.size()), kStructSize));
}

}  // namespace rapidbyte::arrow::ipc::internal
