// The plan of a run (issue #22 item 3): `rapidbyte run --dry-run` and `check --plan`. Per
// stream: what would be read (the stored position, the source's row estimate) and what the
// destination would do (create a table with its DDL, alter columns under the evolution
// policy, append, upsert on a key, replace through a staging table). Nothing is read from a
// table and nothing is written: the source is asked only for its catalog, the destination
// plans through rb_validate with read-only catalog queries, and a missing SQLite state file
// is not created.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "cli/commands.h"

namespace rapidbyte::cli {

struct PlanOutcome {
  int exit_code = 0;        // 0 planned, 1 a stream would fail or a connector failed, 2 invalid
  std::string text;         // human form (empty for exit 2: the error went to stderr)
  nlohmann::json document;  // JSON form
};

/// Compute the plan of `pipeline_path`.
PlanOutcome PlanPipeline(const std::string& pipeline_path);


}  // namespace rapidbyte::cli
