// Loading a pipeline file (SPEC §2.2 steps 1-5): read, parse, substitute the environment,
// type, apply defaults and validate, collecting every problem.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "config/env_subst.h"
#include "config/pipeline.h"

namespace rapidbyte::config {

/// Which sections a command needs. Sections a command does not need are neither validated
/// nor substituted, so their variables need not be set.
enum class LoadPurpose {
  kRun,       // everything; destination required
  kCheck,     // same as kRun
  kDiscover,  // version, pipeline, source.use, source.config
  kState,     // version, pipeline, state
  // kState plus source.streams and the default schema (source.config.schema), to name
  // streams as `run` does (`state reset --stream`); nothing else of source is read.
  kStateStreams,
};

struct LoadOptions {
  LoadPurpose purpose = LoadPurpose::kRun;
  EnvLookup env;  // defaults to the process environment
};

/// The outcome of loading: a pipeline, or a headline with every problem.
struct LoadResult {
  std::optional<Pipeline> pipeline;
  /// "Failed to read pipeline file: ...", "Invalid YAML at ...", or
  /// "Pipeline validation failed (N problems) in <file>:".
  std::string headline;
  std::vector<std::string> problems;
  /// Warnings, also when loading succeeded.
  std::vector<std::string> warnings;

  bool ok() const { return pipeline.has_value(); }
  /// The whole report: headline, then "  - problem" lines.
  std::string Message() const;
  /// InvalidArgument with Message(), or OK.
  Status ToStatus() const;
};

/// Load from a file path.
LoadResult LoadPipelineFile(const std::string& path, const LoadOptions& options = {});

/// Load from text; `file` names the document in messages.
LoadResult LoadPipelineText(std::string_view text, std::string_view file,
                            const LoadOptions& options = {});

}  // namespace rapidbyte::config
