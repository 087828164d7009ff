// Arrow -> Parquet type mapping (SPEC §16.3 and docs/formats/parquet.md): integers as
// INT32/INT64 with INTEGER, decimals by precision, text as STRING (JSON for arrow.json,
// intervals as their text), uuid as UUID, times and timestamps in their unit.
#include "parquet/schema_map.h"

#include <array>

namespace rapidbyte::parquet {
namespace {

using arrow::TypeId;
using LKind = LogicalType::Kind;

struct Leaf {
  PhysicalType type;
  Order order;
  std::optional<ConvertedType> converted;
  LogicalType logical;
  int32_t type_length = 0;
};

LogicalType Integer(int8_t bits, bool is_signed) {
  LogicalType t{.kind = LKind::kInteger};
  t.bit_width = bits;
  t.is_signed = is_signed;
  return t;
}

Leaf IntLeaf(TypeId id) {
  switch (id) {
    case TypeId::kInt8: return {PhysicalType::kInt32, Order::kSigned32, ConvertedType::kInt8, Integer(8, true)};
    case TypeId::kInt16: return {PhysicalType::kInt32, Order::kSigned32, ConvertedType::kInt16, Integer(16, true)};
    case TypeId::kInt32: return {PhysicalType::kInt32, Order::kSigned32, ConvertedType::kInt32, Integer(32, true)};
    case TypeId::kInt64: return {PhysicalType::kInt64, Order::kSigned64, ConvertedType::kInt64, Integer(64, true)};
    case TypeId::kUInt8: return {PhysicalType::kInt32, Order::kUnsigned32, ConvertedType::kUint8, Integer(8, false)};
    case TypeId::kUInt16: return {PhysicalType::kInt32, Order::kUnsigned32, ConvertedType::kUint16, Integer(16, false)};
    case TypeId::kUInt32: return {PhysicalType::kInt32, Order::kUnsigned32, ConvertedType::kUint32, Integer(32, false)};
    default: return {PhysicalType::kInt64, Order::kUnsigned64, ConvertedType::kUint64, Integer(64, false)};
  }
}

Result<Leaf> DecimalLeaf(const arrow::DataType& t) {
  if (t.scale() < 0 || t.scale() > t.precision()) {
    return Status::InvalidArgument("decimal scale must be within 0..precision for Parquet");
  }
  LogicalType logical{.kind = LKind::kDecimal, .scale = t.scale(), .precision = t.precision()};
  if (t.precision() <= 9) return Leaf{PhysicalType::kInt32, Order::kSigned32, ConvertedType::kDecimal, logical};
  if (t.precision() <= 18) return Leaf{PhysicalType::kInt64, Order::kSigned64, ConvertedType::kDecimal, logical};
  return Leaf{PhysicalType::kFixedLenByteArray, Order::kSignedBigEndian, ConvertedType::kDecimal,
              logical, DecimalByteWidth(t.precision())};
}

Result<LogicalType::Unit> UnitOf(arrow::TimeUnit unit) {
  switch (unit) {
    case arrow::TimeUnit::kMilli: return LogicalType::Unit::kMillis;
    case arrow::TimeUnit::kMicro: return LogicalType::Unit::kMicros;
    case arrow::TimeUnit::kNano: return LogicalType::Unit::kNanos;
    default: return Status::InvalidArgument("time unit seconds is not supported in Parquet");
  }
}

Result<Leaf> TimeLeaf(const arrow::DataType& t) {
  RB_ASSIGN_OR_RETURN(LogicalType::Unit unit, UnitOf(t.unit()));
  const bool timestamp = t.id() == TypeId::kTimestamp;
  LogicalType logical{.kind = timestamp ? LKind::kTimestamp : LKind::kTime};
  logical.unit = unit;
  logical.adjusted_to_utc = timestamp && !t.timezone().empty();
  Leaf leaf{PhysicalType::kInt64, Order::kSigned64, std::nullopt, logical};
  // The converted types imply UTC for timestamps, so only adjusted ones carry them.
  const bool micros = unit == LogicalType::Unit::kMicros;
  if (!timestamp && micros) leaf.converted = ConvertedType::kTimeMicros;
  if (logical.adjusted_to_utc && micros) leaf.converted = ConvertedType::kTimestampMicros;
  if (logical.adjusted_to_utc && unit == LogicalType::Unit::kMillis) {
    leaf.converted = ConvertedType::kTimestampMillis;
  }
  return leaf;
}

Leaf TextLeaf(bool json) {
  return {PhysicalType::kByteArray, Order::kBytes, json ? ConvertedType::kJson : ConvertedType::kUtf8,
          LogicalType{.kind = json ? LKind::kJson : LKind::kString}};
}

Leaf FixedBinaryLeaf(const arrow::Field& field) {
  const int32_t width = field.type().byte_width();
  Leaf leaf{PhysicalType::kFixedLenByteArray, Order::kBytes, std::nullopt, {}, width};
  if (width == 16 && field.extension_name() == arrow::kUuidExtension) {
    leaf.logical.kind = LKind::kUuid;
  }
  return leaf;
}

Result<Leaf> MapLeafType(const arrow::Field& field) {
  const arrow::DataType& t = field.type();
  switch (t.id()) {
    case TypeId::kBool: return Leaf{PhysicalType::kBoolean, Order::kBool, std::nullopt, {}};
    case TypeId::kInt8: case TypeId::kInt16: case TypeId::kInt32: case TypeId::kInt64:
    case TypeId::kUInt8: case TypeId::kUInt16: case TypeId::kUInt32: case TypeId::kUInt64:
      return IntLeaf(t.id());
    case TypeId::kFloat32: return Leaf{PhysicalType::kFloat, Order::kFloat, std::nullopt, {}};
    case TypeId::kFloat64: return Leaf{PhysicalType::kDouble, Order::kDouble, std::nullopt, {}};
    case TypeId::kDecimal128: return DecimalLeaf(t);
    case TypeId::kUtf8: case TypeId::kLargeUtf8:
      return TextLeaf(field.extension_name() == arrow::kJsonExtension);
    case TypeId::kIntervalMonthDayNano: return TextLeaf(false);
    case TypeId::kBinary: case TypeId::kLargeBinary:
      return Leaf{PhysicalType::kByteArray, Order::kBytes, std::nullopt, {}};
    case TypeId::kFixedSizeBinary: return FixedBinaryLeaf(field);
    case TypeId::kDate32:
      return Leaf{PhysicalType::kInt32, Order::kSigned32, ConvertedType::kDate, LogicalType{.kind = LKind::kDate}};
    case TypeId::kTime64: case TypeId::kTimestamp: return TimeLeaf(t);
    default: return Status::InvalidArgument("type " + t.ToString() + " is not supported in Parquet");
  }
}

SchemaElement LeafElement(const std::string& name, bool nullable, const Leaf& leaf,
                          const arrow::DataType& type) {
  SchemaElement e{.type = leaf.type, .type_length = leaf.type_length,
                  .repetition = nullable ? Repetition::kOptional : Repetition::kRequired,
                  .name = name, .converted_type = leaf.converted, .logical_type = leaf.logical};
  if (leaf.logical.kind == LKind::kDecimal) {
    e.scale = type.scale();
    e.precision = type.precision();
  }
  return e;
}

// Append the elements of one field; fill its column descriptor.
Status MapField(const arrow::Field& field, ParquetSchema* out, ColumnDescriptor* col) {
  const bool list = field.type().id() == TypeId::kList;
  const arrow::Field& leaf_field = list ? field.type().item_field() : field;
  if (list && leaf_field.type().id() == TypeId::kList) {
    return Status::InvalidArgument("nested lists are not supported in Parquet output");
  }
  RB_ASSIGN_OR_RETURN(Leaf leaf, MapLeafType(leaf_field));
  col->type = leaf.type;
  col->type_length = leaf.type_length;
  col->order = leaf.order;
  col->leaf_type = &leaf_field.type();
  col->path = {field.name()};
  if (!list) {
    col->max_def = field.nullable() ? 1 : 0;
    out->elements.push_back(LeafElement(field.name(), field.nullable(), leaf, leaf_field.type()));
    return Status::OK();
  }
  col->is_list = true;
  col->list_nullable = field.nullable();
  col->max_rep = 1;
  col->max_def = static_cast<int16_t>((field.nullable() ? 1 : 0) + 1 + (leaf_field.nullable() ? 1 : 0));
  col->path.insert(col->path.end(), {"list", "element"});
  out->elements.push_back(SchemaElement{
      .repetition = field.nullable() ? Repetition::kOptional : Repetition::kRequired,
      .name = field.name(), .num_children = 1, .converted_type = ConvertedType::kList,
      .logical_type = LogicalType{.kind = LKind::kList}});
  out->elements.push_back(
      SchemaElement{.repetition = Repetition::kRepeated, .name = "list", .num_children = 1});
  out->elements.push_back(LeafElement("element", leaf_field.nullable(), leaf, leaf_field.type()));
  return Status::OK();
}

// Intervals are stored as text, so the stored Arrow schema says utf8 (metadata kept).
arrow::Field StoredField(const arrow::Field& f) {
  if (f.type().id() == TypeId::kIntervalMonthDayNano) {
    return arrow::Field(f.name(), arrow::DataType::Utf8(), f.nullable(), f.metadata());
  }
  if (f.type().id() == TypeId::kList) {
    return arrow::Field(f.name(), arrow::DataType::List(StoredField(f.type().item_field())),
                        f.nullable(), f.metadata());
  }
  return f;
}

}  // namespace

int32_t DecimalByteWidth(int32_t precision) {
  // The largest precision n bytes of two's complement hold: floor(log10(2^(8n-1) - 1)).
  static constexpr std::array<int32_t, 16> kMaxPrecision = {2,  4,  6,  9,  11, 14, 16, 18,
                                                            21, 23, 26, 28, 31, 33, 35, 38};
  for (std::size_t n = 0; n < kMaxPrecision.size(); ++n) {
    if (precision <= kMaxPrecision[n]) return static_cast<int32_t>(n + 1);
  }
  return 16;
}

Result<ParquetSchema> MapSchema(const arrow::Schema& schema) {
  ParquetSchema out;
  out.elements.push_back(SchemaElement{.name = "schema", .num_children = schema.num_fields()});
  std::vector<arrow::Field> stored;
  for (int i = 0; i < schema.num_fields(); ++i) {
    const arrow::Field& field = schema.field(i);
    ColumnDescriptor col;
    col.field_index = i;
    Status st = MapField(field, &out, &col);
    if (!st.ok()) return Status::InvalidArgument("field '" + field.name() + "': " + st.message());
    out.columns.push_back(std::move(col));
    stored.push_back(StoredField(field));
  }
  out.stored_arrow_schema = arrow::Schema(std::move(stored), schema.metadata());
  return out;
}

}  // namespace rapidbyte::parquet
