// Cursor types, CursorValue encoding and the server text of stored cursor values.
#include "connectors/postgres/source/cursor.h"

#include <cinttypes>
#include <cstdio>
#include <limits>
#include <vector>

#include "pgwire/civil_date.h"
#include "pgwire/numeric.h"
#include "pgwire/sha256.h"

namespace rapidbyte::pgsource {
namespace {

namespace oid = pgwire::oid;

// PostgreSQL's binary epoch (2000-01-01) relative to Arrow's (1970-01-01).
constexpr std::int64_t kEpochDays = 10957;
constexpr std::int64_t kEpochMicros = kEpochDays * 86'400'000'000LL;

std::int64_t SignedBigEndian(pgwire::Bytes wire) {
  std::uint64_t v = 0;
  for (std::uint8_t b : wire) v = (v << 8) | b;
  const unsigned bits = static_cast<unsigned>(wire.size()) * 8;
  if (bits < 64 && (v >> (bits - 1)) != 0) v |= ~std::uint64_t{0} << bits;  // sign-extend
  return static_cast<std::int64_t>(v);
}

Status BadLength(std::string_view type, std::size_t len) {
  return Status::DataLoss("cursor value of type " + std::string(type) + " has " +
                          std::to_string(len) + " bytes");
}

// "YYYY-MM-DD" plus the era suffix PostgreSQL expects for years before 1.
std::string DateText(std::int64_t days, std::string* era) {
  const pgwire::CivilDate date = pgwire::CivilFromDays(days);
  std::int64_t y = date.year;
  if (y <= 0) {
    y = 1 - y;
    *era = " BC";
  }
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04" PRId64 "-%02u-%02u", y, date.month, date.day);
  return buf;
}

std::string TimestampText(std::int64_t micros, bool with_time_zone) {
  std::int64_t days = micros / 86'400'000'000LL;
  std::int64_t rem = micros % 86'400'000'000LL;
  if (rem < 0) {
    rem += 86'400'000'000LL;
    --days;
  }
  std::string era;
  std::string out = DateText(days, &era);
  const std::int64_t secs = rem / 1'000'000;
  char buf[48];
  std::snprintf(buf, sizeof buf, " %02d:%02d:%02d.%06d", static_cast<int>(secs / 3600),
                static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60),
                static_cast<int>(rem % 1'000'000));
  out += buf;
  if (with_time_zone) out += "+00";
  return out + era;
}

std::string UuidText(pgwire::Bytes b) {
  const std::string hex = pgwire::HexEncode(b);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

// The payload of a single-key CursorValue object {"<name>": payload}, or nullptr.
const protocol::Json* Variant(const protocol::Json& value, CursorType type) {
  if (!value.is_object() || value.size() != 1) return nullptr;
  return protocol::GetMember(value, CursorTypeName(type));
}

}  // namespace

std::string_view CursorTypeName(CursorType type) {
  switch (type) {
    case CursorType::kInt64:
      return "int64";
    case CursorType::kDecimal:
      return "decimal";
    case CursorType::kDate32:
      return "date32";
    case CursorType::kTimestampMicros:
      return "timestamp_micros";
    case CursorType::kUtf8:
      return "utf8";
    case CursorType::kUuid:
    default:
      return "uuid";
  }
}

std::string_view SupportedCursorTypes() {
  return "smallint, integer, bigint, numeric, date, timestamp, timestamptz, text, varchar, "
         "char, name, citext, uuid";
}

std::optional<CursorColumn> CursorColumnFor(const pgwire::PgColumn& column) {
  const std::uint32_t b = column.base_oid;
  CursorColumn out;
  out.base_oid = b;
  if (b == oid::kInt2 || b == oid::kInt4 || b == oid::kInt8) {
    out.type = CursorType::kInt64;
  } else if (b == oid::kNumeric) {
    out.type = CursorType::kDecimal;
  } else if (b == oid::kDate) {
    out.type = CursorType::kDate32;
  } else if (b == oid::kTimestamp || b == oid::kTimestamptz) {
    out.type = CursorType::kTimestampMicros;
    out.with_time_zone = b == oid::kTimestamptz;
  } else if (b == oid::kText || b == oid::kVarchar || b == oid::kBpchar || b == oid::kName ||
             column.base_name == "citext") {
    out.type = CursorType::kUtf8;
  } else if (b == oid::kUuid) {
    out.type = CursorType::kUuid;
  } else {
    return std::nullopt;
  }
  return out;
}

Result<protocol::Json> CursorValueFromWire(const CursorColumn& column, pgwire::Bytes wire) {
  const std::string_view name = CursorTypeName(column.type);
  switch (column.type) {
    case CursorType::kInt64: {
      if (wire.size() != 2 && wire.size() != 4 && wire.size() != 8) {
        return BadLength(name, wire.size());
      }
      return protocol::Json{{"int64", SignedBigEndian(wire)}};
    }
    case CursorType::kDecimal: {
      pgwire::NumericView n;
      RB_RETURN_NOT_OK(pgwire::ParseNumeric(wire, &n));
      std::vector<char> text(static_cast<std::size_t>(pgwire::NumericTextLength(n)) + 1);
      const std::int64_t len = pgwire::NumericToText(n, text.data());
      return protocol::Json{
          {"decimal",
           {{"value", std::string(text.data(), static_cast<std::size_t>(len))},
            {"scale", n.kind == pgwire::NumericView::Kind::kFinite ? n.dscale : 0}}}};
    }
    case CursorType::kDate32: {
      if (wire.size() != 4) return BadLength(name, wire.size());
      const std::int64_t raw = SignedBigEndian(wire);
      const bool infinite = raw == std::numeric_limits<std::int32_t>::max() ||
                            raw == std::numeric_limits<std::int32_t>::min();
      return protocol::Json{{"date32", infinite ? raw : raw + kEpochDays}};
    }
    case CursorType::kTimestampMicros: {
      if (wire.size() != 8) return BadLength(name, wire.size());
      const std::int64_t raw = SignedBigEndian(wire);
      const bool infinite = raw == std::numeric_limits<std::int64_t>::max() ||
                            raw == std::numeric_limits<std::int64_t>::min();
      return protocol::Json{{"timestamp_micros", infinite ? raw : raw + kEpochMicros}};
    }
    case CursorType::kUtf8:
      return protocol::Json{
          {"utf8", std::string(reinterpret_cast<const char*>(wire.data()), wire.size())}};
    case CursorType::kUuid:
    default:
      if (wire.size() != 16) return BadLength(name, wire.size());
      return protocol::Json{{"uuid", UuidText(wire)}};
  }
}

Result<std::string> CursorServerText(const CursorColumn& column, const protocol::Json& value) {
  const protocol::Json* v = Variant(value, column.type);
  if (column.type == CursorType::kTimestampMicros && v == nullptr && value.is_object()) {
    // Millisecond cursors written by other sources still name an instant.
    if (const protocol::Json* ms = protocol::GetMember(value, "timestamp_millis")) {
      if (ms->is_number_integer()) {
        return TimestampText(ms->get<std::int64_t>() * 1000, column.with_time_zone);
      }
    }
  }
  const std::string mismatch = "stored cursor value " + protocol::Dump(value) +
                               " is not a " + std::string(CursorTypeName(column.type)) + " value";
  if (v == nullptr) return Status::FailedPrecondition(mismatch);
  switch (column.type) {
    case CursorType::kInt64:
      if (!v->is_number_integer()) return Status::FailedPrecondition(mismatch);
      return std::to_string(v->get<std::int64_t>());
    case CursorType::kDecimal: {
      std::string text;
      if (!v->is_object() || !protocol::GetString(*v, "value", &text)) {
        return Status::FailedPrecondition(mismatch);
      }
      return text;
    }
    case CursorType::kDate32: {
      if (!v->is_number_integer()) return Status::FailedPrecondition(mismatch);
      const std::int64_t days = v->get<std::int64_t>();
      if (days == std::numeric_limits<std::int32_t>::max()) return std::string("infinity");
      if (days == std::numeric_limits<std::int32_t>::min()) return std::string("-infinity");
      std::string era;
      std::string text = DateText(days, &era);
      return text + era;
    }
    case CursorType::kTimestampMicros: {
      if (!v->is_number_integer()) return Status::FailedPrecondition(mismatch);
      const std::int64_t micros = v->get<std::int64_t>();
      if (micros == std::numeric_limits<std::int64_t>::max()) return std::string("infinity");
      if (micros == std::numeric_limits<std::int64_t>::min()) return std::string("-infinity");
      return TimestampText(micros, column.with_time_zone);
    }
    case CursorType::kUtf8:
    case CursorType::kUuid:
    default:
      if (!v->is_string()) return Status::FailedPrecondition(mismatch);
      return v->get<std::string>();
  }
}

}  // namespace rapidbyte::pgsource
