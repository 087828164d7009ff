// Arrow values -> JSON for dead-letter records.
#include "connectors/postgres/destination/row_json.h"

#include <cmath>
#include <cstdio>

#include "pgwire/base64.h"
#include "pgwire/civil_date.h"
#include "pgwire/numeric.h"

namespace rapidbyte::pgdest {
namespace {

using arrow::TypeId;
using protocol::Json;

// `YYYY-MM-DD` (astronomical year) of `days` since 1970-01-01.
std::string DateText(std::int64_t days) {
  const pgwire::CivilDate date = pgwire::CivilFromDays(days);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04lld-%02u-%02u", static_cast<long long>(date.year),
                date.month, date.day);
  return buf;
}

std::string TimeText(std::int64_t micros) {
  char buf[32];
  std::snprintf(
      buf, sizeof(buf), "%02lld:%02lld:%02lld.%06lld", static_cast<long long>(micros / 3600000000),
      static_cast<long long>(micros / 60000000 % 60), static_cast<long long>(micros / 1000000 % 60),
      static_cast<long long>(micros % 1000000));
  return buf;
}

std::int64_t ToMicros(std::int64_t v, arrow::TimeUnit unit) {
  switch (unit) {
    case arrow::TimeUnit::kSecond:
      return v * 1000000;
    case arrow::TimeUnit::kMilli:
      return v * 1000;
    case arrow::TimeUnit::kNano:
      return v / 1000;
    case arrow::TimeUnit::kMicro:
    default:
      return v;
  }
}

Json Float(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return v;
}

std::string Uuid(std::string_view b) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[(static_cast<unsigned char>(b[i]) >> 4) & 0xf];
    out += kHex[static_cast<unsigned char>(b[i]) & 0xf];
  }
  return out;
}

Json Base64(std::string_view b) {
  return pgwire::Base64Encode(
      std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(b.data()), b.size()));
}

Json Value(const arrow::ArrayView& a, std::int64_t i, bool uuid);

// jsonb cannot hold U+0000, and a NUL in text is a common reason for a row to land in the
// dead-letter table; it is shown as U+FFFD.
Json Text(std::string_view v) {
  if (v.find('\0') == std::string_view::npos) return std::string(v);
  std::string out;
  for (char c : v) {
    if (c == '\0') {
      out += "\xEF\xBF\xBD";
    } else {
      out += c;
    }
  }
  return out;
}

Json Temporal(const arrow::ArrayView& a, std::int64_t i) {
  const arrow::DataType& type = *a.type;
  if (type.id() == TypeId::kDate32) {
    const std::int32_t days = arrow::Date32Array(a).Value(i);
    if (days == INT32_MAX) return "infinity";
    if (days == INT32_MIN) return "-infinity";
    return DateText(days);
  }
  const std::int64_t raw = arrow::Int64Array(a).Value(i);
  if (type.id() == TypeId::kTime64) return TimeText(ToMicros(raw, type.unit()));
  if (raw == INT64_MAX) return "infinity";
  if (raw == INT64_MIN) return "-infinity";
  const std::int64_t micros = ToMicros(raw, type.unit());
  std::int64_t days = micros / 86400000000;
  std::int64_t rest = micros % 86400000000;
  if (rest < 0) {
    rest += 86400000000;
    --days;
  }
  return DateText(days) + "T" + TimeText(rest) + (type.timezone().empty() ? "" : "Z");
}

Json Value(const arrow::ArrayView& a, std::int64_t i, bool uuid) {
  if (a.IsNull(i)) return nullptr;
  const arrow::DataType& type = *a.type;
  switch (type.id()) {
    case TypeId::kBool:
      return arrow::BooleanArray(a).Value(i);
    case TypeId::kInt8:
      return arrow::Int8Array(a).Value(i);
    case TypeId::kInt16:
      return arrow::Int16Array(a).Value(i);
    case TypeId::kInt32:
      return arrow::Int32Array(a).Value(i);
    case TypeId::kInt64:
      return arrow::Int64Array(a).Value(i);
    case TypeId::kUInt8:
      return arrow::UInt8Array(a).Value(i);
    case TypeId::kUInt16:
      return arrow::UInt16Array(a).Value(i);
    case TypeId::kUInt32:
      return arrow::UInt32Array(a).Value(i);
    case TypeId::kUInt64:
      return arrow::UInt64Array(a).Value(i);
    case TypeId::kFloat32:
      return Float(arrow::Float32Array(a).Value(i));
    case TypeId::kFloat64:
      return Float(arrow::Float64Array(a).Value(i));
    case TypeId::kDecimal128: {
      char buf[64];
      const std::int32_t n =
          pgwire::Decimal128ToText(arrow::Decimal128Array(a).Value(i), type.scale(), buf);
      return std::string(buf, static_cast<std::size_t>(n));
    }
    case TypeId::kUtf8:
      return Text(arrow::StringArray(a).GetView(i));
    case TypeId::kLargeUtf8:
      return Text(arrow::LargeStringArray(a).GetView(i));
    case TypeId::kBinary:
      return Base64(arrow::BinaryArray(a).GetView(i));
    case TypeId::kLargeBinary:
      return Base64(arrow::LargeBinaryArray(a).GetView(i));
    case TypeId::kFixedSizeBinary: {
      const std::string_view b = arrow::FixedSizeBinaryArray(a).GetView(i);
      return uuid && b.size() == 16 ? Json(Uuid(b)) : Base64(b);
    }
    case TypeId::kDate32:
    case TypeId::kTime64:
    case TypeId::kTimestamp:
      return Temporal(a, i);
    case TypeId::kIntervalMonthDayNano: {
      const arrow::MonthDayNano v = arrow::IntervalArray(a).Value(i);
      return Json{{"months", v.months}, {"days", v.days}, {"nanoseconds", v.nanoseconds}};
    }
    case TypeId::kList: {
      const arrow::ListArray list(a);
      Json items = Json::array();
      const bool item_uuid = type.item_field().extension_name() == arrow::kUuidExtension;
      for (std::int64_t j = list.value_offset(i); j < list.value_offset(i + 1); ++j) {
        items.push_back(Value(list.values(), j, item_uuid));
      }
      return items;
    }
    default:
      return nullptr;
  }
}

}  // namespace

protocol::Json RowToJson(const arrow::RecordBatch& batch, std::int64_t row) {
  Json out = Json::object();
  for (int c = 0; c < batch.num_columns(); ++c) {
    const arrow::Field& field = batch.schema().field(c);
    out[field.name()] =
        Value(batch.column(c), row, field.extension_name() == arrow::kUuidExtension);
  }
  return out;
}

}  // namespace rapidbyte::pgdest
