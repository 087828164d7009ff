// Rendering of typed cursor values.
#include "engine/core/cursor_text.h"

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <limits>

#include "pgwire/civil_date.h"

namespace rapidbyte::engine {
namespace {

using protocol::Json;

// PostgreSQL's +/-infinity arrive as the type's extreme raw values (cursor.cc).
bool Infinite(std::int64_t v, std::int64_t max, std::int64_t min, std::string* out) {
  if (v != max && v != min) return false;
  *out = v == max ? "infinity" : "-infinity";
  return true;
}

// pgwire's calendar (civil_date.h) covers every int64 day count; std::chrono::year stops at
// +/-32767, which a timestamp near the int64 range passes.
std::string Date(std::int64_t days) {
  const pgwire::CivilDate date = pgwire::CivilFromDays(days);
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%04" PRId64 "-%02u-%02u", date.year, date.month, date.day);
  return buf;
}

// `ticks` of 1/`per_sec` second since the epoch, as ISO 8601 UTC.
std::string Timestamp(std::int64_t ticks, std::int64_t per_sec, int digits) {
  const std::int64_t per_day = per_sec * 86400;
  const std::int64_t days = pgwire::FloorDiv(ticks, per_day);
  const std::int64_t rest = ticks - days * per_day;
  const std::int64_t secs = rest / per_sec;
  const std::int64_t fraction = rest % per_sec;
  char buf[64];
  std::snprintf(buf, sizeof(buf), "T%02" PRId64 ":%02" PRId64 ":%02" PRId64, secs / 3600,
                secs / 60 % 60, secs % 60);
  std::string out = Date(days) + buf;
  if (fraction != 0) {
    std::snprintf(buf, sizeof(buf), ".%0*" PRId64, digits, fraction);
    out += buf;
  }
  return out + "Z";
}

bool Int(const Json& v, std::int64_t* out) {
  if (!v.is_number_integer()) return false;
  *out = v.get<std::int64_t>();
  return true;
}

}  // namespace

std::string CursorValueText(const Json& value) {
  if (!value.is_object() || value.size() != 1) return value.dump();
  const std::string& type = value.begin().key();
  const Json& v = value.begin().value();
  std::int64_t n = 0;
  std::string out;
  constexpr std::int64_t kMax64 = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t kMin64 = std::numeric_limits<std::int64_t>::min();
  if (type == "int64" && Int(v, &n)) return std::to_string(n);
  if (type == "date32" && Int(v, &n)) {
    constexpr std::int64_t kMax32 = std::numeric_limits<std::int32_t>::max();
    constexpr std::int64_t kMin32 = std::numeric_limits<std::int32_t>::min();
    return Infinite(n, kMax32, kMin32, &out) ? out : Date(n);
  }
  if (type == "timestamp_micros" && Int(v, &n)) {
    return Infinite(n, kMax64, kMin64, &out) ? out : Timestamp(n, 1'000'000, 6);
  }
  if (type == "timestamp_millis" && Int(v, &n)) {
    return Infinite(n, kMax64, kMin64, &out) ? out : Timestamp(n, 1'000, 3);
  }
  if (type == "utf8" && v.is_string()) return v.dump();
  if (type == "uuid" && v.is_string()) return v.get<std::string>();
  if (type == "decimal" && v.is_object()) {
    if (const Json* digits = protocol::GetMember(v, "value"); digits && digits->is_string()) {
      return digits->get<std::string>();
    }
  }
  return value.dump();
}

}  // namespace rapidbyte::engine
