// Arrow values -> CSV fields and JSON values.
#include "connectors/files/text_values.h"

#include <charconv>
#include <cmath>

#include "parquet/values.h"
#include "pgwire/base64.h"
#include "pgwire/civil_date.h"
#include "pgwire/numeric.h"

namespace rapidbyte::files {
namespace {

using arrow::TypeId;

constexpr std::int64_t kMicrosPerDay = 86400000000;

// `v` zero-padded to `width` characters including a minus sign, as printf's %0<width>d
// prints it (snprintf was a fifth of a CSV run's profile).
void AppendSigned(std::int64_t v, int width, std::string* out) {
  if (v >= 0) return pgwire::AppendPadded(static_cast<std::uint64_t>(v), width, out);
  out->push_back('-');
  pgwire::AppendPadded(0 - static_cast<std::uint64_t>(v), width - 1, out);
}

void AppendDate(std::int64_t days, std::string* out) {
  const pgwire::CivilDate date = pgwire::CivilFromDays(days);
  AppendSigned(date.year, 4, out);
  out->push_back('-');
  pgwire::AppendPadded(date.month, 2, out);
  out->push_back('-');
  pgwire::AppendPadded(date.day, 2, out);
}

// HH:MM:SS, then the fraction without trailing zeros (as PostgreSQL prints it).
void AppendTime(std::int64_t micros, std::string* out) {
  AppendSigned(micros / 3600000000, 2, out);
  out->push_back(':');
  AppendSigned(micros / 60000000 % 60, 2, out);
  out->push_back(':');
  AppendSigned(micros / 1000000 % 60, 2, out);
  if (std::int64_t fraction = micros % 1000000; fraction != 0) {
    int digits = 6;
    while (fraction % 10 == 0) {
      fraction /= 10;
      --digits;
    }
    out->push_back('.');
    AppendSigned(fraction, digits, out);
  }
}

std::int64_t ToMicros(std::int64_t v, arrow::TimeUnit unit) {
  switch (unit) {
    case arrow::TimeUnit::kSecond: return v * 1000000;
    case arrow::TimeUnit::kMilli: return v * 1000;
    case arrow::TimeUnit::kNano: return pgwire::FloorDiv(v, 1000);
    default: return v;
  }
}

// The text of a non-null temporal value; false for ±infinity (written as "infinity").
void AppendTemporal(const arrow::ArrayView& a, std::int64_t i, std::string* out) {
  const arrow::DataType& type = *a.type;
  if (type.id() == TypeId::kDate32) {
    const std::int32_t days = arrow::Date32Array(a).Value(i);
    if (days == INT32_MAX || days == INT32_MIN) {
      out->append(days == INT32_MAX ? "infinity" : "-infinity");
      return;
    }
    AppendDate(days, out);
    return;
  }
  const std::int64_t raw = arrow::Int64Array(a).Value(i);
  if (type.id() == TypeId::kTime64) {
    AppendTime(ToMicros(raw, type.unit()), out);
    return;
  }
  if (raw == INT64_MAX || raw == INT64_MIN) {
    out->append(raw == INT64_MAX ? "infinity" : "-infinity");
    return;
  }
  const std::int64_t micros = ToMicros(raw, type.unit());
  AppendDate(pgwire::FloorDiv(micros, kMicrosPerDay), out);
  out->push_back('T');
  AppendTime(micros - pgwire::FloorDiv(micros, kMicrosPerDay) * kMicrosPerDay, out);
  if (!type.timezone().empty()) out->push_back('Z');
}

void AppendUuid(std::string_view b, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out->push_back('-');
    out->push_back(kHex[(static_cast<unsigned char>(b[i]) >> 4) & 0xf]);
    out->push_back(kHex[static_cast<unsigned char>(b[i]) & 0xf]);
  }
}

void AppendBase64(std::string_view b, std::string* out) {
  out->append(pgwire::Base64Encode(
      std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(b.data()), b.size())));
}

template <typename T>
void AppendNumber(T v, std::string* out) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, r.ptr);
}

// Shortest round-trip text; NaN and infinities as "NaN", "Infinity", "-Infinity". Returns
// false for those (JSON needs them quoted).
template <typename T>
bool AppendFloat(T v, std::string* out) {
  if (std::isnan(v)) {
    out->append("NaN");
    return false;
  }
  if (std::isinf(v)) {
    out->append(v > 0 ? "Infinity" : "-Infinity");
    return false;
  }
  AppendNumber(v, out);
  return true;
}

// The binary/string payload of a variable-width or fixed-size slot.
std::string_view Bytes(const arrow::ArrayView& a, std::int64_t i) {
  switch (a.type->id()) {
    case TypeId::kUtf8: return arrow::StringArray(a).GetView(i);
    case TypeId::kLargeUtf8: return arrow::LargeStringArray(a).GetView(i);
    case TypeId::kBinary: return arrow::BinaryArray(a).GetView(i);
    case TypeId::kLargeBinary: return arrow::LargeBinaryArray(a).GetView(i);
    default: return arrow::FixedSizeBinaryArray(a).GetView(i);
  }
}

enum class Kind { kNumber, kString, kJson };

// Append the text of non-null value `i`; says whether JSON writes it bare (a number or
// true/false), as a string, or as JSON already (a list).
Kind AppendText(const arrow::ArrayView& a, std::int64_t i, bool uuid, std::string* out);

void AppendList(const arrow::ArrayView& a, std::int64_t i, std::string* out) {
  const arrow::ListArray list(a);
  const arrow::ArrayView& values = list.values();
  const bool uuid = a.type->item_field().extension_name() == arrow::kUuidExtension;
  out->push_back('[');
  for (std::int64_t j = list.value_offset(i); j < list.value_offset(i + 1); ++j) {
    if (j != list.value_offset(i)) out->push_back(',');
    AppendJsonValue(ColumnText{&values, uuid, false}, j, out);
  }
  out->push_back(']');
}

Kind AppendText(const arrow::ArrayView& a, std::int64_t i, bool uuid, std::string* out) {
  switch (a.type->id()) {
    case TypeId::kBool:
      out->append(arrow::BooleanArray(a).Value(i) ? "true" : "false");
      return Kind::kNumber;
    case TypeId::kInt8: AppendNumber(arrow::Int8Array(a).Value(i), out); return Kind::kNumber;
    case TypeId::kInt16: AppendNumber(arrow::Int16Array(a).Value(i), out); return Kind::kNumber;
    case TypeId::kInt32: AppendNumber(arrow::Int32Array(a).Value(i), out); return Kind::kNumber;
    case TypeId::kInt64: AppendNumber(arrow::Int64Array(a).Value(i), out); return Kind::kNumber;
    case TypeId::kUInt8: AppendNumber(arrow::UInt8Array(a).Value(i), out); return Kind::kNumber;
    case TypeId::kUInt16: AppendNumber(arrow::UInt16Array(a).Value(i), out); return Kind::kNumber;
    case TypeId::kUInt32: AppendNumber(arrow::UInt32Array(a).Value(i), out); return Kind::kNumber;
    case TypeId::kUInt64: AppendNumber(arrow::UInt64Array(a).Value(i), out); return Kind::kNumber;
    case TypeId::kFloat32:
      return AppendFloat(arrow::Float32Array(a).Value(i), out) ? Kind::kNumber : Kind::kString;
    case TypeId::kFloat64:
      return AppendFloat(arrow::Float64Array(a).Value(i), out) ? Kind::kNumber : Kind::kString;
    case TypeId::kDecimal128: {
      char buf[64];
      const std::int32_t n =
          pgwire::Decimal128ToText(arrow::Decimal128Array(a).Value(i), a.type->scale(), buf);
      out->append(buf, static_cast<std::size_t>(n));
      return Kind::kNumber;
    }
    case TypeId::kUtf8:
    case TypeId::kLargeUtf8:
      out->append(Bytes(a, i));
      return Kind::kString;
    case TypeId::kFixedSizeBinary:
      if (uuid && a.type->byte_width() == 16) {
        AppendUuid(Bytes(a, i), out);
        return Kind::kString;
      }
      AppendBase64(Bytes(a, i), out);
      return Kind::kString;
    case TypeId::kBinary:
    case TypeId::kLargeBinary:
      AppendBase64(Bytes(a, i), out);
      return Kind::kString;
    case TypeId::kDate32:
    case TypeId::kTime64:
    case TypeId::kTimestamp:
      AppendTemporal(a, i, out);
      return Kind::kString;
    case TypeId::kIntervalMonthDayNano:
      parquet::AppendIntervalText(arrow::IntervalArray(a).Value(i), out);
      return Kind::kString;
    case TypeId::kList:
      AppendList(a, i, out);
      return Kind::kJson;
    default:
      return Kind::kJson;  // null type: nothing appended; callers checked IsNull first
  }
}

bool NeedsCsvQuotes(std::string_view text, std::string_view null_value) {
  if (text == null_value) return true;
  for (char c : text) {
    if (c == ',' || c == '"' || c == '\n' || c == '\r') return true;
  }
  return false;
}

}  // namespace

void AppendJsonString(std::string_view text, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  std::size_t run = 0;  // start of the bytes copied as they are
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(text.substr(run, i - run));
    run = i + 1;
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 0xf]);
    }
  }
  out->append(text.substr(run));
  out->push_back('"');
}

void AppendJsonValue(const ColumnText& column, std::int64_t row, std::string* out) {
  const arrow::ArrayView& a = *column.array;
  if (a.IsNull(row) || a.type->id() == TypeId::kNull) {
    out->append("null");
    return;
  }
  const TypeId id = a.type->id();
  if (id == TypeId::kUtf8 || id == TypeId::kLargeUtf8) {
    AppendJsonString(Bytes(a, row), out);  // no copy through a scratch string
    return;
  }
  const std::size_t start = out->size();
  if (AppendText(a, row, column.uuid, out) == Kind::kString) {
    const std::string text = out->substr(start);  // base64, dates, uuids: no escapes needed
    out->resize(start);
    AppendJsonString(text, out);
  }
}

void AppendCsvField(const ColumnText& column, std::int64_t row, std::string_view null_value,
                    std::string* out) {
  const arrow::ArrayView& a = *column.array;
  if (a.IsNull(row) || a.type->id() == TypeId::kNull) {
    out->append(null_value);
    return;
  }
  const std::size_t start = out->size();
  const TypeId id = a.type->id();
  std::string_view text;
  if (id == TypeId::kUtf8 || id == TypeId::kLargeUtf8) {
    text = Bytes(a, row);
  } else {
    AppendText(a, row, column.uuid, out);
    text = std::string_view(*out).substr(start);
  }
  if (!NeedsCsvQuotes(text, null_value)) {
    if (start == out->size()) out->append(text);
    return;
  }
  // Text rendered into `out` is quoted through a copy; a string's bytes go straight in.
  std::string copy;
  if (start != out->size()) {
    copy.assign(text);
    text = copy;
    out->resize(start);
  }
  out->push_back('"');
  for (std::size_t q; (q = text.find('"')) != std::string_view::npos; text.remove_prefix(q + 1)) {
    out->append(text.substr(0, q + 1));
    out->push_back('"');  // a quote is doubled
  }
  out->append(text);
  out->push_back('"');
}

}  // namespace rapidbyte::files
