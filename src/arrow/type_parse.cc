// Canonical type spellings back to types (see type_parse.h).
#include "arrow/type_parse.h"

#include <array>
#include <charconv>
#include <string>
#include <utility>

#include "arrow/schema.h"

namespace rapidbyte::arrow {
namespace {

constexpr int kMaxDepth = 64;

const std::array<std::pair<std::string_view, DataType (*)()>, 17> kSimple = {{
    {"null", &DataType::Null},         {"bool", &DataType::Bool},
    {"int8", &DataType::Int8},         {"int16", &DataType::Int16},
    {"int32", &DataType::Int32},       {"int64", &DataType::Int64},
    {"uint8", &DataType::UInt8},       {"uint16", &DataType::UInt16},
    {"uint32", &DataType::UInt32},     {"uint64", &DataType::UInt64},
    {"float32", &DataType::Float32},   {"float64", &DataType::Float64},
    {"utf8", &DataType::Utf8},         {"large_utf8", &DataType::LargeUtf8},
    {"binary", &DataType::Binary},     {"large_binary", &DataType::LargeBinary},
    {"date32", &DataType::Date32},
}};

bool Int(std::string_view s, int32_t* out) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

// `inner` of `prefix<inner>suffix` when `text` has that shape.
bool Between(std::string_view text, std::string_view prefix, char close, std::string_view* inner) {
  if (text.size() < prefix.size() + 1 || text.substr(0, prefix.size()) != prefix ||
      text.back() != close) {
    return false;
  }
  *inner = text.substr(prefix.size(), text.size() - prefix.size() - 1);
  return true;
}

bool Unit(std::string_view s, TimeUnit* unit) {
  for (TimeUnit u : {TimeUnit::kSecond, TimeUnit::kMilli, TimeUnit::kMicro, TimeUnit::kNano}) {
    if (s == TimeUnitSuffix(u)) {
      *unit = u;
      return true;
    }
  }
  return false;
}

Result<DataType> Parse(std::string_view text, int depth) {
  const auto bad = [&] {
    return Status::InvalidArgument("'" + std::string(text.substr(0, 200)) +
                                   "' is not an Arrow type spelling");
  };
  if (depth > kMaxDepth) return Status::InvalidArgument("list nesting deeper than 64 levels");
  for (const auto& [name, make] : kSimple) {
    if (text == name) return make();
  }
  if (text == "interval[month_day_nano]") return DataType::IntervalMonthDayNano();
  std::string_view inner;
  int32_t a = 0, b = 0;
  TimeUnit unit = TimeUnit::kSecond;
  if (Between(text, "decimal128(", ')', &inner)) {
    const std::size_t comma = inner.find(',');
    if (comma == std::string_view::npos || !Int(inner.substr(0, comma), &a) ||
        !Int(inner.substr(comma + 1), &b)) {
      return bad();
    }
    return DataType::Decimal128(a, b);
  }
  if (Between(text, "fixed_size_binary[", ']', &inner)) {
    if (!Int(inner, &a)) return bad();
    return DataType::FixedSizeBinary(a);
  }
  if (Between(text, "time64[", ']', &inner)) {
    if (!Unit(inner, &unit)) return bad();
    return DataType::Time64(unit);
  }
  if (Between(text, "timestamp[", ']', &inner)) {
    const std::size_t comma = inner.find(", ");
    if (!Unit(inner.substr(0, comma), &unit)) return bad();
    return DataType::Timestamp(
        unit, comma == std::string_view::npos ? std::string() : std::string(inner.substr(comma + 2)));
  }
  if (Between(text, "list<", '>', &inner)) {
    RB_ASSIGN_OR_RETURN(DataType item, Parse(inner, depth + 1));
    return DataType::List(std::move(item));
  }
  return bad();
}

}  // namespace

Result<DataType> ParseDataType(std::string_view text) {
  RB_ASSIGN_OR_RETURN(DataType type, Parse(text, 0));
  RB_RETURN_NOT_OK(type.Validate());
  return type;
}

}  // namespace rapidbyte::arrow
