// `rapidbyte init` and the YAML form of `discover` (issue #22 item 2).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "config/pipeline.h"

namespace rapidbyte::cli {

struct InitOptions {
  std::string output = "pipeline.yaml";
  std::string name;         // default "<source db>_to_<destination db>"
  std::string source;       // postgres://user@host[:port]/db[?schema=s]
  std::string destination;  // same form
  std::string source_password_env = "SOURCE_PGPASSWORD";
  std::string dest_password_env = "DEST_PGPASSWORD";
  std::string dest_schema = "raw";
  std::string streams;     // comma-separated names or patterns; empty: all (or ask)
  std::string write_mode;  // empty: upsert when every stream has a key, else append (or ask)
  bool yes = false;        // never ask, even on a terminal
  bool force = false;      // overwrite `output`
};

/// `discover --yaml [--streams LIST]`.
struct DiscoverYamlOptions {
  bool enabled = false;
  std::string streams;
};

/// `rapidbyte init`: exit 0 with the file written, 2 for bad flags, 1 when the source
/// cannot be read.
int RunInitCommand(InitOptions options);

/// The pipeline `discover --yaml` prints: the file's source config as written, its
/// destination (or a template with ${DEST_*} variables), the streams `streams_flag` chooses.
Result<std::string> DiscoverYaml(const std::string& pipeline_path, const config::Pipeline& pipeline,
                                 const nlohmann::json& catalog, const std::string& streams_flag);

}  // namespace rapidbyte::cli
