// source-postgres config parsing.
#include "connectors/postgres/source/source_config.h"

#include "sdk/config_fields.h"

namespace rapidbyte::pgsource {

sdk::Outcome<SourceConfig> ParseSourceConfig(const protocol::Json& config) {
  SourceConfig out;
  auto pg = pgconn::ParsePgConfig(config);
  if (!pg.ok()) return pg.error();
  out.pg = std::move(*pg);
  RB_TRY(sdk::fields::Int(config, "config.", "max_batch_rows", &out.max_batch_rows, 1));
  return out;
}

}  // namespace rapidbyte::pgsource
