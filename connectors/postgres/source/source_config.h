// The source-postgres config (SPEC §7.1): the shared connection properties plus the row cap
// of a batch. Defaults come from the manifest (the host applies them); the values here only
// matter when a host hands over a config without them.
#pragma once

#include <cstdint>

#include "base/result.h"
#include "connectors/postgres/common/pg_config.h"
#include "protocol/json.h"

namespace rapidbyte::pgsource {

struct SourceConfig {
  pgconn::PgConfig pg;
  std::int64_t max_batch_rows = 100'000;
};

/// Parse the `config.json` object; errors name the property.
sdk::Outcome<SourceConfig> ParseSourceConfig(const protocol::Json& config);

}  // namespace rapidbyte::pgsource
