// Writing a pipeline file for the user (`rapidbyte init`, `discover --yaml`): streams chosen
// from the source's catalog with suggested cursors and primary keys, connector configs as
// the user gave them (secrets only as ${VARS}), rendered as commented YAML that `check`
// accepts. Host only; no I/O.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "config/value.h"

namespace rapidbyte::cli {

struct ScaffoldStream {
  std::string name;                  // "schema.table"
  std::string kind;                  // "table", "view", ...
  std::string cursor;                // suggested cursor column; empty: full refresh
  std::vector<std::string> key;      // the source's primary key; may be empty
};

struct Scaffold {
  std::string comment;  // the header comment, one or more lines without '#'
  std::string name;     // pipeline name
  std::string source_use = "source-postgres";
  config::Value source_config = config::Value::Map();
  std::vector<ScaffoldStream> streams;
  std::string dest_use = "dest-postgres";
  config::Value dest_config = config::Value::Map();
  std::string write_mode = "append";  // append | replace | upsert
};

/// The catalog's relations chosen by `selection` (names or globs: `schema.table`, or
/// `table` in `default_schema`; empty: every relation). A selection entry that matches
/// nothing is InvalidArgument naming it and listing what the source has.
Result<std::vector<ScaffoldStream>> ChooseStreams(const nlohmann::json& catalog,
                                                  const std::vector<std::string>& selection,
                                                  const std::string& default_schema);

/// `upsert` when every stream has a primary key, else `append`.
std::string DefaultWriteMode(const std::vector<ScaffoldStream>& streams);

/// InvalidArgument when `write_mode` cannot serve `streams` (upsert without a key).
Status CheckWriteMode(const std::vector<ScaffoldStream>& streams, const std::string& write_mode);

/// The pipeline file. Incremental streams (where a cursor is suggested) except under
/// replace; `primary_key` on each stream under upsert; comments say why.
std::string RenderScaffold(const Scaffold& scaffold);

/// A YAML scalar: plain when that reads back as the same string, else double-quoted.
std::string YamlScalar(std::string_view text);

/// A comma-separated flag value split into trimmed, non-empty items.
std::vector<std::string> SplitList(std::string_view text);

}  // namespace rapidbyte::cli
