// Binary PostgreSQL values -> their text form (see binary_to_text.h).
#include "pgwire/binary_to_text.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#include "pgwire/civil_date.h"
#include "pgwire/numeric.h"
#include "pgwire/type_map.h"
#include "pgwire/wire_buffer.h"

namespace rapidbyte::pgwire {
namespace {

const std::uint8_t* Data(std::string_view v) {
  return reinterpret_cast<const std::uint8_t*>(v.data());
}

Status Malformed(std::string_view what) {
  return Status::InvalidArgument("malformed binary " + std::string(what) + " value");
}

Status Expect(std::string_view v, std::size_t n, std::string_view what) {
  return v.size() == n ? Status::OK() : Malformed(what);
}

template <typename T>
void AppendNumber(T v, std::string* out) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, static_cast<std::size_t>(r.ptr - buf));
}

Status Int2(std::string_view v, std::string* out) {
  RB_RETURN_NOT_OK(Expect(v, 2, "int2"));
  AppendNumber(static_cast<std::int16_t>(LoadU16(Data(v))), out);
  return Status::OK();
}

Status Int4(std::string_view v, std::string* out) {
  RB_RETURN_NOT_OK(Expect(v, 4, "int4"));
  AppendNumber(static_cast<std::int32_t>(LoadU32(Data(v))), out);
  return Status::OK();
}

Status Int8(std::string_view v, std::string* out) {
  RB_RETURN_NOT_OK(Expect(v, 8, "int8"));
  AppendNumber(static_cast<std::int64_t>(LoadU64(Data(v))), out);
  return Status::OK();
}

// Shortest text that reads back as the same value; the spellings float8in accepts for the
// special values.
template <typename F>
void AppendFloat(F f, std::string* out) {
  if (std::isnan(f)) {
    out->append("NaN");
  } else if (std::isinf(f)) {
    out->append(f > 0 ? "Infinity" : "-Infinity");
  } else {
    AppendNumber(f, out);
  }
}

// float4 (F = float, uint32 bits) and float8 (double, uint64).
template <typename F>
Status Float(std::string_view v, std::string* out) {
  RB_RETURN_NOT_OK(Expect(v, sizeof(F), "float"));
  F f;
  if constexpr (sizeof(F) == 4) {
    const std::uint32_t bits = LoadU32(Data(v));
    std::memcpy(&f, &bits, 4);
  } else {
    const std::uint64_t bits = LoadU64(Data(v));
    std::memcpy(&f, &bits, 8);
  }
  AppendFloat(f, out);
  return Status::OK();
}

Status Bool(std::string_view v, std::string* out) {
  RB_RETURN_NOT_OK(Expect(v, 1, "bool"));
  out->push_back(v[0] != 0 ? 't' : 'f');
  return Status::OK();
}

Status Numeric(std::string_view v, std::string* out) {
  NumericView n;
  RB_RETURN_NOT_OK(ParseNumeric(Bytes(Data(v), v.size()), &n));
  const std::size_t at = out->size();
  out->resize(at + static_cast<std::size_t>(NumericTextLength(n)));
  out->resize(at + static_cast<std::size_t>(NumericToText(n, out->data() + at)));
  return Status::OK();
}

Status Text(std::string_view v, std::string* out) {
  out->append(v);
  return Status::OK();
}

Status Jsonb(std::string_view v, std::string* out) {
  if (v.empty() || v[0] != 1) return Malformed("jsonb");
  out->append(v.substr(1));
  return Status::OK();
}

constexpr char kHex[] = "0123456789abcdef";

void AppendHex(std::string_view v, std::string* out) {
  for (const char c : v) {
    const auto b = static_cast<unsigned char>(c);
    out->push_back(kHex[b >> 4]);
    out->push_back(kHex[b & 15]);
  }
}

Status Bytea(std::string_view v, std::string* out) {
  out->append("\\x");
  AppendHex(v, out);
  return Status::OK();
}

Status Uuid(std::string_view v, std::string* out) {
  RB_RETURN_NOT_OK(Expect(v, 16, "uuid"));
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out->push_back('-');
    AppendHex(v.substr(i, 1), out);
  }
  return Status::OK();
}

// `YYYY-MM-DD` of `days` since 2000-01-01, and whether it is BC (astronomical year <= 0;
// PostgreSQL prints year 0 as `0001 BC`).
bool AppendCivilDate(std::int64_t days, std::string* out) {
  const CivilDate date = CivilFromDays(days + 10957);
  const bool bc = date.year <= 0;
  AppendPadded(static_cast<std::uint64_t>(bc ? 1 - date.year : date.year), 4, out);
  out->push_back('-');
  AppendPadded(date.month, 2, out);
  out->push_back('-');
  AppendPadded(date.day, 2, out);
  return bc;
}

// `HH:MM:SS.ffffff` of a non-negative count of microseconds (hours may exceed 24).
void AppendClock(std::uint64_t micros, std::string* out) {
  AppendPadded(micros / 3600000000, 2, out);
  out->push_back(':');
  AppendPadded(micros / 60000000 % 60, 2, out);
  out->push_back(':');
  AppendPadded(micros / 1000000 % 60, 2, out);
  out->push_back('.');
  AppendPadded(micros % 1000000, 6, out);
}

Status Date(std::string_view v, std::string* out) {
  RB_RETURN_NOT_OK(Expect(v, 4, "date"));
  const auto days = static_cast<std::int32_t>(LoadU32(Data(v)));
  if (days == std::numeric_limits<std::int32_t>::max()) {
    out->append("infinity");
  } else if (days == std::numeric_limits<std::int32_t>::min()) {
    out->append("-infinity");
  } else if (AppendCivilDate(days, out)) {
    out->append(" BC");
  }
  return Status::OK();
}

Status Time(std::string_view v, std::string* out) {
  RB_RETURN_NOT_OK(Expect(v, 8, "time"));
  const auto micros = static_cast<std::int64_t>(LoadU64(Data(v)));
  if (micros < 0) return Malformed("time");
  AppendClock(static_cast<std::uint64_t>(micros), out);
  return Status::OK();
}

template <bool kWithZone>
Status Timestamp(std::string_view v, std::string* out) {
  RB_RETURN_NOT_OK(Expect(v, 8, "timestamp"));
  const auto micros = static_cast<std::int64_t>(LoadU64(Data(v)));
  if (micros == std::numeric_limits<std::int64_t>::max()) {
    out->append("infinity");
    return Status::OK();
  }
  if (micros == std::numeric_limits<std::int64_t>::min()) {
    out->append("-infinity");
    return Status::OK();
  }
  constexpr std::int64_t kDay = 86400000000;
  const std::int64_t days = FloorDiv(micros, kDay);
  const bool bc = AppendCivilDate(days, out);
  out->push_back(' ');
  AppendClock(static_cast<std::uint64_t>(micros - days * kDay), out);
  // Explicit UTC: the value must not depend on the session's TimeZone. (timestamp input
  // would ignore an offset, so it gets none.)
  if constexpr (kWithZone) out->append("+00");
  if (bc) out->append(" BC");
  return Status::OK();
}

// `<months> mons <days> days [-]HH:MM:SS.ffffff`: each part carries its own sign, as in
// PostgreSQL's own output, so every combination of signs reads back unchanged.
Status Interval(std::string_view v, std::string* out) {
  RB_RETURN_NOT_OK(Expect(v, 16, "interval"));
  const auto micros = static_cast<std::int64_t>(LoadU64(Data(v)));
  const auto days = static_cast<std::int32_t>(LoadU32(Data(v) + 8));
  const auto months = static_cast<std::int32_t>(LoadU32(Data(v) + 12));
  AppendNumber(months, out);
  out->append(" mons ");
  AppendNumber(days, out);
  out->append(" days ");
  std::uint64_t magnitude = static_cast<std::uint64_t>(micros);
  if (micros < 0) {
    out->push_back('-');
    magnitude = 0 - magnitude;
  }
  AppendClock(magnitude, out);
  return Status::OK();
}

BinaryToText::Fn ScalarPrinter(const TargetColumn& c) {
  switch (c.type_oid) {
    case oid::kBool: return Bool;
    case oid::kInt2: return Int2;
    case oid::kInt4: return Int4;
    case oid::kInt8: return Int8;
    case oid::kFloat4: return Float<float>;
    case oid::kFloat8: return Float<double>;
    case oid::kNumeric: return Numeric;
    case oid::kText:
    case oid::kVarchar:
    case oid::kBpchar:
    case oid::kName:
    case oid::kJson: return Text;
    case oid::kJsonb: return Jsonb;
    case oid::kBytea: return Bytea;
    case oid::kUuid: return Uuid;
    case oid::kDate: return Date;
    case oid::kTime: return Time;
    case oid::kTimestamp: return Timestamp<false>;
    case oid::kTimestamptz: return Timestamp<true>;
    case oid::kInterval: return Interval;
    default: return c.type_name == "citext" ? Text : nullptr;
  }
}

// array_out's rule: quote empty elements, `NULL` in any case, and anything holding a
// delimiter, brace, quote, backslash or white space.
bool NeedsQuotes(std::string_view e) {
  if (e.empty()) return true;
  if (e.size() == 4 && (e[0] | 0x20) == 'n' && (e[1] | 0x20) == 'u' && (e[2] | 0x20) == 'l' &&
      (e[3] | 0x20) == 'l') {
    return true;
  }
  for (const char c : e) {
    switch (c) {
      case '{': case '}': case ',': case '"': case '\\':
      case ' ': case '\t': case '\n': case '\r': case '\v': case '\f': return true;
      default: break;
    }
  }
  return false;
}

// One-dimensional binary array (array_send) -> `{e1,"e 2",NULL}`.
Status Array(BinaryToText::Fn element, std::string_view v, std::string* out) {
  if (v.size() < 12) return Malformed("array");
  const auto ndim = static_cast<std::int32_t>(LoadU32(Data(v)));
  if (ndim == 0) {
    out->append("{}");
    return Status::OK();
  }
  if (ndim != 1 || v.size() < 20 || LoadU32(Data(v) + 16) != 1) return Malformed("array");
  const auto count = static_cast<std::int32_t>(LoadU32(Data(v) + 12));
  if (count < 0) return Malformed("array");
  std::size_t at = 20;
  std::string text;
  out->push_back('{');
  for (std::int32_t i = 0; i < count; ++i) {
    if (v.size() - at < 4) return Malformed("array");
    const auto len = static_cast<std::int32_t>(LoadU32(Data(v) + at));
    at += 4;
    if (i > 0) out->push_back(',');
    if (len == -1) {
      out->append("NULL");
      continue;
    }
    if (len < 0 || v.size() - at < static_cast<std::size_t>(len)) return Malformed("array");
    text.clear();
    RB_RETURN_NOT_OK(element(v.substr(at, static_cast<std::size_t>(len)), &text));
    at += static_cast<std::size_t>(len);
    if (!NeedsQuotes(text)) {
      out->append(text);
      continue;
    }
    out->push_back('"');
    for (const char c : text) {
      if (c == '"' || c == '\\') out->push_back('\\');
      out->push_back(c);
    }
    out->push_back('"');
  }
  out->push_back('}');
  return at == v.size() ? Status::OK() : Malformed("array");
}

}  // namespace

Result<BinaryToText> BinaryToText::For(const TargetColumn& column) {
  if (column.elem_oid != 0) {
    const Fn element = ScalarPrinter(TargetColumn{column.elem_oid, 0, {}});
    if (element != nullptr) return BinaryToText(nullptr, element);
  } else if (const Fn scalar = ScalarPrinter(column); scalar != nullptr) {
    return BinaryToText(scalar, nullptr);
  }
  return Status::InvalidArgument("no text form for PostgreSQL type " +
                                 std::to_string(column.type_oid) +
                                 (column.type_name.empty() ? "" : " (" + column.type_name + ")"));
}

Status BinaryToText::Append(std::string_view value, std::string* out) const {
  return scalar_ != nullptr ? scalar_(value, out) : Array(element_, value, out);
}

}  // namespace rapidbyte::pgwire
