// The connector's config (source-csv.manifest.json, config_schema), decoded once with errors
// that name the offending field. The host has already checked the schema and applied its
// defaults; these checks are the ones a JSON schema cannot express.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sdk/errors.h"
#include "sdk/outcome.h"

#include "csv_format.h"
#include "protocol/json.h"

namespace source_csv {

struct DeclaredColumn {
  std::string name;
  ColumnType type;
};

struct StreamConfig {
  std::size_t index = 0;                // position in config.streams, for error fields
  std::string name;                     // the pipeline's stream name (source.streams[].name)
  std::string pattern;                  // file names in `directory`, e.g. orders_*.csv
  std::vector<DeclaredColumn> columns;  // declared types; other columns are inferred
};

struct Config {
  std::string directory;
  char delimiter = ',';
  std::string null_string;
  std::int64_t infer_rows = 1000;
  std::int64_t max_batch_rows = 100000;
  std::vector<StreamConfig> streams;

  /// The entry for `stream_name` (as given, or its last `.` segment); nullptr if none.
  const StreamConfig* Find(const std::string& stream_name) const;
};

rapidbyte::sdk::Outcome<Config> ParseConfig(const rapidbyte::protocol::Json& json);

}  // namespace source_csv
