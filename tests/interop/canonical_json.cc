// Canonical JSON of rapidbyte's decoded Arrow data (mirror of arrow_json.mjs).
#include "tests/interop/canonical_json.h"

#include <string>

namespace rapidbyte::arrow::interop {

namespace {

using nlohmann::json;

std::string Hex(const uint8_t* p, int64_t n) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(static_cast<std::size_t>(n) * 2);
  for (int64_t i = 0; i < n; ++i) {
    out += kDigits[p[i] >> 4];
    out += kDigits[p[i] & 15];
  }
  return out;
}

std::string Hex(std::string_view s) {
  return Hex(reinterpret_cast<const uint8_t*>(s.data()), static_cast<int64_t>(s.size()));
}

json Metadata(const KeyValueMetadata& md) {
  json out = json::array();
  for (const KeyValue& kv : md.entries()) out.push_back(json::array({kv.key, kv.value}));
  return out;
}

json Value(const ArrayView& a, int64_t i) {
  if (a.IsNull(i)) return nullptr;
  const DataType& t = *a.type;
  switch (t.id()) {
    case TypeId::kNull:
      return nullptr;
    case TypeId::kBool:
      return BooleanArray(a).Value(i);
    case TypeId::kInt8:
      return std::to_string(Int8Array(a).Value(i));
    case TypeId::kInt16:
      return std::to_string(Int16Array(a).Value(i));
    case TypeId::kInt32:
    case TypeId::kDate32:
      return std::to_string(Int32Array(a).Value(i));
    case TypeId::kInt64:
    case TypeId::kTime64:
    case TypeId::kTimestamp:
      return std::to_string(Int64Array(a).Value(i));
    case TypeId::kUInt8:
      return std::to_string(UInt8Array(a).Value(i));
    case TypeId::kUInt16:
      return std::to_string(UInt16Array(a).Value(i));
    case TypeId::kUInt32:
      return std::to_string(UInt32Array(a).Value(i));
    case TypeId::kUInt64:
      return std::to_string(UInt64Array(a).Value(i));
    case TypeId::kFloat32:
    case TypeId::kFloat64:
    case TypeId::kDecimal128:
    case TypeId::kIntervalMonthDayNano:
    case TypeId::kFixedSizeBinary: {
      const int64_t w = t.fixed_width();
      return Hex(a.values + (a.offset + i) * w, w);
    }
    case TypeId::kUtf8:
      return std::string(StringArray(a).GetView(i));
    case TypeId::kLargeUtf8:
      return std::string(LargeStringArray(a).GetView(i));
    case TypeId::kBinary:
      return Hex(BinaryArray(a).GetView(i));
    case TypeId::kLargeBinary:
      return Hex(LargeBinaryArray(a).GetView(i));
    case TypeId::kList: {
      ListArray l(a);
      json out = json::array();
      for (int64_t j = l.value_offset(i); j < l.value_offset(i + 1); ++j) {
        out.push_back(Value(l.values(), j));
      }
      return out;
    }
  }
  return "?";
}

}  // namespace

json SchemaToJson(const Schema& schema) {
  json fields = json::array();
  for (const Field& f : schema.fields()) {
    fields.push_back({{"name", f.name()},
                      {"type", f.type().ToString()},
                      {"nullable", f.nullable()},
                      {"metadata", Metadata(f.metadata())}});
  }
  return {{"fields", fields}, {"metadata", Metadata(schema.metadata())}};
}

json BatchToJson(const RecordBatch& batch) {
  json columns = json::array();
  for (int c = 0; c < batch.num_columns(); ++c) {
    json values = json::array();
    for (int64_t i = 0; i < batch.num_rows(); ++i) values.push_back(Value(batch.column(c), i));
    columns.push_back(std::move(values));
  }
  return {{"rows", batch.num_rows()}, {"columns", columns}};
}

json StreamToJson(const Schema& schema, std::span<const RecordBatch> batches) {
  json out = {{"schema", SchemaToJson(schema)}, {"batches", json::array()}};
  for (const RecordBatch& b : batches) out["batches"].push_back(BatchToJson(b));
  return out;
}

}  // namespace rapidbyte::arrow::interop
