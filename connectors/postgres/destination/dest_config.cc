// Parsing of the dest-postgres config.
#include "connectors/postgres/destination/dest_config.h"

#include <string>

namespace rapidbyte::pgdest {
namespace {

Status IntInRange(const protocol::Json& config, const char* key, std::int64_t min, std::int64_t max,
                  std::int64_t* out) {
  const protocol::Json* value = protocol::GetMember(config, key);
  if (value == nullptr || value->is_null()) return Status::OK();
  if (!value->is_number_integer()) {
    return Status::InvalidArgument(std::string("config.") + key + ": must be an integer");
  }
  const std::int64_t v = value->get<std::int64_t>();
  if (v < min || v > max) {
    return Status::InvalidArgument(std::string("config.") + key + ": must be between " +
                                   std::to_string(min) + " and " + std::to_string(max) + ", got " +
                                   std::to_string(v));
  }
  *out = v;
  return Status::OK();
}

}  // namespace

const char* LoadMethodName(LoadMethod method) {
  return method == LoadMethod::kCopy ? "copy" : "insert";
}

Result<DestConfig> ParseDestConfig(const protocol::Json& config) {
  DestConfig out;
  RB_ASSIGN_OR_RETURN(out.pg, pgconn::ParsePgConfig(config));
  std::string method = "copy";
  if (const protocol::Json* v = protocol::GetMember(config, "load_method"); v && !v->is_null()) {
    if (!v->is_string()) return Status::InvalidArgument("config.load_method: must be a string");
    method = v->get<std::string>();
  }
  if (method == "copy") {
    out.load_method = LoadMethod::kCopy;
  } else if (method == "insert") {
    out.load_method = LoadMethod::kInsert;
  } else {
    return Status::InvalidArgument("config.load_method: '" + method +
                                   "' is not one of copy, insert");
  }
  RB_RETURN_NOT_OK(
      IntInRange(config, "copy_flush_bytes", 65536, std::int64_t{1} << 30, &out.copy_flush_bytes));
  std::int64_t rows = out.insert_batch_rows;
  RB_RETURN_NOT_OK(IntInRange(config, "insert_batch_rows", 1, 10000, &rows));
  out.insert_batch_rows = static_cast<int>(rows);
  return out;
}

}  // namespace rapidbyte::pgdest
