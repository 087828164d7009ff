// PostgreSQL -> Arrow type mapping (SPEC §9.1): builtin OIDs to Arrow types and value codecs,
// numeric typmods, arrays, domains, text-carried types, and the relation schema metadata.
#include "pgwire/type_map.h"

#include <cstdio>

namespace rapidbyte::pgwire {
namespace {

using arrow::DataType;

struct ScalarMapping {
  ScalarMapping(DataType t, ValueCodec c, bool cast = false, std::string_view ext = {},
                std::int32_t p = 0, std::int32_t s = 0)
      : type(std::move(t)), codec(c), cast_to_text(cast), extension(ext), precision(p), scale(s) {}
  DataType type;
  ValueCodec codec;
  bool cast_to_text;
  std::string_view extension;
  std::int32_t precision;
  std::int32_t scale;
};

// numeric's typmod is ((precision << 16) | scale) + VARHDRSZ; PostgreSQL 15 allows a scale
// in [-1000, 1000], stored as an 11-bit two's-complement field.
ScalarMapping MapNumeric(std::int32_t typmod) {
  constexpr std::int32_t kVarHdrSz = 4;
  if (typmod >= kVarHdrSz) {
    const std::int32_t raw = typmod - kVarHdrSz;
    const std::int32_t precision = (raw >> 16) & 0xffff;
    const std::int32_t scale = ((raw & 0x7ff) ^ 1024) - 1024;
    if (precision >= 1 && precision <= 38 && scale >= 0 && scale <= precision) {
      return ScalarMapping(DataType::Decimal128(precision, scale), ValueCodec::kNumericDecimal,
                           false, {}, precision, scale);
    }
  }
  return {DataType::Utf8(), ValueCodec::kNumericText};
}

ScalarMapping MapScalar(std::uint32_t type_oid, std::string_view type_name,
                        std::int32_t typmod) {
  switch (type_oid) {
    case oid::kBool: return {DataType::Bool(), ValueCodec::kBool};
    case oid::kInt2: return {DataType::Int16(), ValueCodec::kInt2};
    case oid::kInt4: return {DataType::Int32(), ValueCodec::kInt4};
    case oid::kInt8: return {DataType::Int64(), ValueCodec::kInt8};
    case oid::kFloat4: return {DataType::Float32(), ValueCodec::kFloat4};
    case oid::kFloat8: return {DataType::Float64(), ValueCodec::kFloat8};
    case oid::kNumeric: return MapNumeric(typmod);
    case oid::kText:
    case oid::kVarchar:
    case oid::kBpchar:
    case oid::kName: return {DataType::Utf8(), ValueCodec::kText};
    case oid::kBytea: return {DataType::Binary(), ValueCodec::kBytea};
    case oid::kDate: return {DataType::Date32(), ValueCodec::kDate};
    case oid::kTime: return {DataType::Time64(arrow::TimeUnit::kMicro), ValueCodec::kTime};
    case oid::kTimestamp:
      return {DataType::Timestamp(arrow::TimeUnit::kMicro), ValueCodec::kTimestamp};
    case oid::kTimestamptz:
      return {DataType::Timestamp(arrow::TimeUnit::kMicro, "UTC"), ValueCodec::kTimestamp};
    case oid::kInterval: return {DataType::IntervalMonthDayNano(), ValueCodec::kInterval};
    case oid::kUuid:
      return {DataType::FixedSizeBinary(16), ValueCodec::kUuid, false, arrow::kUuidExtension};
    case oid::kJson: return {DataType::Utf8(), ValueCodec::kText, false, arrow::kJsonExtension};
    case oid::kJsonb:
      return {DataType::Utf8(), ValueCodec::kJsonb, false, arrow::kJsonExtension};
    default: break;
  }
  // citext is an extension type without a fixed OID; its binary form is text's.
  if (type_name == "citext") return {DataType::Utf8(), ValueCodec::kText};
  // Everything else (timetz, inet, enums, ranges, composites, ...) is carried as text.
  return {DataType::Utf8(), ValueCodec::kText, true};
}

}  // namespace

Result<ColumnPlan> MapColumn(const PgColumn& column) {
  if (column.name.empty()) return Status::InvalidArgument("column without a name");
  const bool is_array = column.typcategory == 'A' && column.elem_oid != 0;
  const ScalarMapping m =
      is_array ? MapScalar(column.elem_oid, column.elem_name, column.typmod)
               : MapScalar(column.base_oid != 0 ? column.base_oid : column.type_oid,
                           column.base_name, column.typmod);
  ColumnCodec codec{m.codec, is_array, m.cast_to_text, m.precision, m.scale};
  DataType type = m.type;
  arrow::KeyValueMetadata metadata;
  if (is_array) {
    arrow::KeyValueMetadata item_metadata;
    if (!m.extension.empty()) item_metadata.Append(std::string(arrow::kExtensionNameKey),
                                                   std::string(m.extension));
    type = DataType::List(arrow::Field("item", m.type, true, std::move(item_metadata)));
  } else if (!m.extension.empty()) {
    metadata.Append(std::string(arrow::kExtensionNameKey), std::string(m.extension));
  }
  metadata.Append(std::string(arrow::kPgTypeKey), column.format_type);
  return ColumnPlan{arrow::Field(column.name, std::move(type), !column.not_null,
                                 std::move(metadata)),
                    codec};
}

Result<RelationPlan> MapRelation(std::string_view schema_name, std::string_view relation,
                                 const std::vector<PgColumn>& columns,
                                 const std::vector<std::string>& primary_key) {
  std::vector<arrow::Field> fields;
  RelationPlan plan;
  fields.reserve(columns.size());
  plan.codecs.reserve(columns.size());
  for (const PgColumn& column : columns) {
    RB_ASSIGN_OR_RETURN(ColumnPlan c, MapColumn(column));
    fields.push_back(std::move(c.field));
    plan.codecs.push_back(c.codec);
  }
  std::string key = "[";
  for (std::size_t i = 0; i < primary_key.size(); ++i) {
    if (i > 0) key += ",";
    key += JsonQuote(primary_key[i]);
  }
  key += "]";
  arrow::KeyValueMetadata metadata;
  metadata.Append(std::string(arrow::kPgRelationKey),
                  std::string(schema_name) + "." + std::string(relation));
  metadata.Append(std::string(arrow::kPgPrimaryKeyKey), std::move(key));
  plan.schema = std::make_shared<const arrow::Schema>(std::move(fields), std::move(metadata));
  RB_RETURN_NOT_OK(plan.schema->Validate());
  return plan;
}

std::string JsonQuote(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

}  // namespace rapidbyte::pgwire
