// Column type planning: pg_type parsing and resolution, and the Arrow fallback mapping.
#include "connectors/postgres/destination/column_type.h"

#include <cstdlib>

#include "connectors/postgres/common/pg_errors.h"
#include "pgwire/copy_encoder.h"
#include "pgwire/type_map.h"
#include "sdk/host.h"

namespace rapidbyte::pgdest {
namespace {

using arrow::TypeId;

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == ' ' || c == '.' || c == '"' || c == '$';
}

// "12" -> 12; anything else (empty, non-digits, > 6 digits) -> -2.
std::int32_t ParseMod(std::string_view text) {
  if (text.empty() || text.size() > 6) return -2;
  std::int32_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return -2;
    v = v * 10 + (c - '0');
  }
  return v;
}

ColumnType Scalar(std::string ddl, std::uint32_t oid, std::int32_t mod1 = -1,
                  std::int32_t mod2 = -1) {
  return ColumnType{std::move(ddl), oid, oid, false, mod1, mod2};
}

// Insert "(mods)" where PostgreSQL expects it: after the first word of `time... with[out]
// time zone`, else at the end.
std::string WithModifiers(const std::string& canonical, const PgTypeSpec& spec) {
  if (spec.mod1 < 0) return canonical;
  std::string mods = "(" + std::to_string(spec.mod1);
  if (spec.mod2 >= 0) mods += "," + std::to_string(spec.mod2);
  mods += ")";
  const std::size_t with = canonical.find(" with");
  if (with != std::string::npos && canonical.rfind("time", 0) == 0) {
    return canonical.substr(0, with) + mods + canonical.substr(with);
  }
  return canonical + mods;
}

struct Resolved {
  std::uint32_t oid = 0;
  std::uint32_t base_oid = 0;
  std::string canonical;
  std::string base_name;
};

// Look the name up with a bound parameter; nullopt when the type does not exist here.
Result<std::optional<Resolved>> Resolve(pgwire::Connection* conn, const std::string& name) {
  static constexpr std::string_view kSql =
      "SELECT t.oid::int8, format_type(t.oid, NULL), "
      "CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END::int8, "
      "(SELECT b.typname FROM pg_type b WHERE b.oid = "
      "CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END) "
      "FROM pg_type t WHERE t.oid = to_regtype($1)";
  const pgwire::Param param = pgwire::Param::Text(name, pgwire::oid::kText);
  auto result = conn->Query(kSql, std::span<const pgwire::Param>(&param, 1), pgwire::Format::kText);
  if (!result.ok()) {
    // A name the server cannot even parse is "not a type here"; a broken session is fatal.
    if (!conn->usable()) return result.status();
    return std::optional<Resolved>();
  }
  if (result->rows.empty() || result->rows[0].size() != 4 || !result->rows[0][0] ||
      !result->rows[0][1] || !result->rows[0][2]) {
    return std::optional<Resolved>();
  }
  const auto& row = result->rows[0];
  Resolved r;
  r.oid = static_cast<std::uint32_t>(std::strtoull(row[0]->c_str(), nullptr, 10));
  r.canonical = *row[1];
  r.base_oid = static_cast<std::uint32_t>(std::strtoull(row[2]->c_str(), nullptr, 10));
  r.base_name = row[3].value_or("");
  return std::optional<Resolved>(std::move(r));
}

// True when Arrow `field` can be written into the resolved type (binary or text input).
bool Writable(const arrow::Field& field, const Resolved& type, bool is_array) {
  if (is_array != (field.type().id() == TypeId::kList)) return false;
  pgwire::TargetColumn target;
  if (is_array) {
    target.elem_oid = type.base_oid;
  } else {
    target.type_oid = type.base_oid;
    target.type_name = type.base_name;
  }
  auto encoder = pgwire::CopyBinaryEncoder::Make(arrow::Schema({field}), {target});
  return encoder.ok() || encoder.status().code() == StatusCode::kFailedPrecondition;
}

Result<ColumnType> PlanOne(pgwire::Connection* conn, const arrow::Field& field,
                           std::string_view stream) {
  const std::optional<std::string_view> pg_type = field.metadata().Get(arrow::kPgTypeKey);
  if (!pg_type) return ArrowMapping(field);
  RB_ASSIGN_OR_RETURN(ColumnType fallback, ArrowMapping(field));
  const std::optional<PgTypeSpec> spec = ParsePgType(*pg_type);
  std::optional<Resolved> resolved;
  if (spec) {
    RB_ASSIGN_OR_RETURN(resolved, Resolve(conn, spec->name));
  }
  if (!resolved || !Writable(field, *resolved, spec->is_array)) {
    sdk::host::Log(sdk::LogLevel::kWarn, "stream " + std::string(stream) + ": type " + std::string(pg_type->substr(0, 120)) +
                    (resolved ? " cannot hold Arrow " + field.type().ToString()
                              : std::string(" does not exist in the destination")) +
                    "; column " + field.name() + " created as " + fallback.ddl);
    return fallback;
  }
  ColumnType out;
  out.ddl = WithModifiers(resolved->canonical, *spec) + (spec->is_array ? "[]" : "");
  out.oid = resolved->oid;
  out.base_oid = resolved->base_oid;
  out.is_array = spec->is_array;
  out.mod1 = spec->mod1;
  out.mod2 = spec->mod2;
  return out;
}

}  // namespace

std::optional<PgTypeSpec> ParsePgType(std::string_view text) {
  PgTypeSpec spec;
  if (text.size() > 200) return std::nullopt;
  if (text.size() > 2 && text.substr(text.size() - 2) == "[]") {
    spec.is_array = true;
    text.remove_suffix(2);
  }
  std::string name;
  const std::size_t open = text.find('(');
  if (open != std::string_view::npos) {
    const std::size_t close = text.find(')', open);
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view mods = text.substr(open + 1, close - open - 1);
    const std::size_t comma = mods.find(',');
    spec.mod1 = ParseMod(mods.substr(0, comma));
    if (comma != std::string_view::npos) spec.mod2 = ParseMod(mods.substr(comma + 1));
    if (spec.mod1 < 0 || spec.mod2 < -1) return std::nullopt;
    name = std::string(text.substr(0, open)) + std::string(text.substr(close + 1));
  } else {
    name = std::string(text);
  }
  if (name.empty() || name.front() == ' ' || name.back() == ' ') return std::nullopt;
  for (char c : name) {
    if (!IsNameChar(c)) return std::nullopt;
  }
  spec.name = std::move(name);
  return spec;
}

Result<ColumnType> ArrowMapping(const arrow::Field& field) {
  namespace oid = pgwire::oid;
  const arrow::DataType& type = field.type();
  switch (type.id()) {
    case TypeId::kInt8:
    case TypeId::kInt16:
    case TypeId::kUInt8:
      return Scalar("smallint", oid::kInt2);
    case TypeId::kInt32:
    case TypeId::kUInt16:
      return Scalar("integer", oid::kInt4);
    case TypeId::kInt64:
    case TypeId::kUInt32:
      return Scalar("bigint", oid::kInt8);
    case TypeId::kUInt64:
      return Scalar("numeric(20,0)", oid::kNumeric, 20, 0);
    case TypeId::kFloat32:
      return Scalar("real", oid::kFloat4);
    case TypeId::kFloat64:
      return Scalar("double precision", oid::kFloat8);
    case TypeId::kBool:
      return Scalar("boolean", oid::kBool);
    case TypeId::kDecimal128:
      if (type.scale() < 0 || type.scale() > type.precision()) break;
      return Scalar(
          "numeric(" + std::to_string(type.precision()) + "," + std::to_string(type.scale()) + ")",
          oid::kNumeric, type.precision(), type.scale());
    case TypeId::kUtf8:
    case TypeId::kLargeUtf8:
      if (field.extension_name() == arrow::kJsonExtension) return Scalar("jsonb", oid::kJsonb);
      return Scalar("text", oid::kText);
    case TypeId::kBinary:
    case TypeId::kLargeBinary:
      return Scalar("bytea", oid::kBytea);
    case TypeId::kFixedSizeBinary:
      if (field.extension_name() == arrow::kUuidExtension && type.byte_width() == 16) {
        return Scalar("uuid", oid::kUuid);
      }
      return Scalar("bytea", oid::kBytea);
    case TypeId::kDate32:
      return Scalar("date", oid::kDate);
    case TypeId::kTime64:
      return Scalar("time", oid::kTime);
    case TypeId::kTimestamp:
      return type.timezone().empty() ? Scalar("timestamp", oid::kTimestamp)
                                     : Scalar("timestamptz", oid::kTimestamptz);
    case TypeId::kIntervalMonthDayNano:
      return Scalar("interval", oid::kInterval);
    case TypeId::kList: {
      if (type.item_type().id() == TypeId::kList) break;
      RB_ASSIGN_OR_RETURN(ColumnType item, ArrowMapping(type.item_field()));
      item.ddl += "[]";
      item.is_array = true;
      return item;
    }
    default:
      break;
  }
  return pgconn::Fail(pgconn::ErrorCategory::kSchema, "UNSUPPORTED_ARROW_TYPE",
                      "field " + field.name() + " has Arrow type " + type.ToString() +
                          ", which dest-postgres cannot store");
}

Status WarmTypeLookup(pgwire::Connection* conn) {
  return Resolve(conn, "bigint").status();
}

Result<std::vector<ColumnType>> PlanColumnTypes(pgwire::Connection* conn,
                                                const arrow::Schema& schema,
                                                std::string_view stream) {
  std::vector<ColumnType> out;
  out.reserve(static_cast<std::size_t>(schema.num_fields()));
  for (const arrow::Field& field : schema.fields()) {
    RB_ASSIGN_OR_RETURN(ColumnType type, PlanOne(conn, field, stream));
    out.push_back(std::move(type));
  }
  return out;
}

}  // namespace rapidbyte::pgdest
