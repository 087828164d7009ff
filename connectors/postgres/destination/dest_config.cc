// Parsing of the dest-postgres config.
#include "connectors/postgres/destination/dest_config.h"

#include "sdk/config_fields.h"

#include <string>

namespace rapidbyte::pgdest {

const char* LoadMethodName(LoadMethod method) {
  return method == LoadMethod::kCopy ? "copy" : "insert";
}

sdk::Outcome<DestConfig> ParseDestConfig(const protocol::Json& config) {
  namespace fields = sdk::fields;
  DestConfig out;
  auto pg = pgconn::ParsePgConfig(config);
  if (!pg.ok()) return pg.error();
  out.pg = std::move(*pg);
  RB_TRY(fields::Enum<LoadMethod>(config, "config.", "load_method",
                                  {{"copy", LoadMethod::kCopy}, {"insert", LoadMethod::kInsert}},
                                  &out.load_method));
  RB_TRY(fields::Int(config, "config.", "copy_flush_bytes", &out.copy_flush_bytes, 65536,
                     std::int64_t{1} << 30));
  std::int64_t rows = out.insert_batch_rows;
  RB_TRY(fields::Int(config, "config.", "insert_batch_rows", &rows, 1, 10000));
  out.insert_batch_rows = static_cast<int>(rows);
  RB_TRY(fields::Bool(config, "config.", "soft_delete", &out.soft_delete));
  return out;
}

}  // namespace rapidbyte::pgdest
