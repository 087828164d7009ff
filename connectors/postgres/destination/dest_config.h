// DestConfig: the config of dest-postgres (SPEC §8.1): the shared connection properties plus
// the load method and its tuning knobs, and soft_delete for cdc mirrors (§14.5). The host has
// applied the manifest's defaults; parsing re-checks what the code depends on. Portable.
#pragma once

#include <cstdint>

#include "base/result.h"
#include "connectors/postgres/common/pg_config.h"

#include "protocol/json.h"

namespace rapidbyte::pgdest {

enum class LoadMethod { kCopy, kInsert };

struct DestConfig {
  pgconn::PgConfig pg;
  LoadMethod load_method = LoadMethod::kCopy;
  std::int64_t copy_flush_bytes = 4194304;
  int insert_batch_rows = 1000;
  /// cdc mirrors keep deleted rows, with _rb_deleted_at set (SPEC §14.5).
  bool soft_delete = false;
};

/// "copy" or "insert".
const char* LoadMethodName(LoadMethod method);

/// Read the config object (the `config.json` of an OpenContext). Errors are InvalidArgument
/// naming the property and the allowed values.
sdk::Outcome<DestConfig> ParseDestConfig(const protocol::Json& config);

}  // namespace rapidbyte::pgdest
