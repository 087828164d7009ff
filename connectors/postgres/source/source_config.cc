// source-postgres config parsing.
#include "connectors/postgres/source/source_config.h"

namespace rapidbyte::pgsource {

Result<SourceConfig> ParseSourceConfig(const protocol::Json& config) {
  SourceConfig out;
  RB_ASSIGN_OR_RETURN(out.pg, pgconn::ParsePgConfig(config));
  if (const protocol::Json* rows = protocol::GetMember(config, "max_batch_rows")) {
    if (!rows->is_number_integer() || rows->get<std::int64_t>() < 1) {
      return Status::InvalidArgument("config.max_batch_rows: must be an integer >= 1");
    }
    out.max_batch_rows = rows->get<std::int64_t>();
  }
  return out;
}

}  // namespace rapidbyte::pgsource
