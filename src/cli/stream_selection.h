// Pattern streams for the commands that run or plan a pipeline (`run`, `run --dry-run`,
// `check`): expand `name: public.*` against the source's catalog, log what each pattern
// became, and turn problems into the command's error and exit code.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/pipeline.h"
#include "config/stream_patterns.h"

namespace rapidbyte::cli {

/// The pipeline with its patterns expanded (itself when it has none). On failure prints the
/// error to stderr, sets `exit_code` (2 invalid pipeline, 1 the source's discover failed)
/// and returns nullopt. Each pattern's matches are logged at info, warnings at warn.
std::optional<config::Pipeline> ExpandStreamsForCommand(const config::Pipeline& pipeline,
                                                        int* exit_code);

}  // namespace rapidbyte::cli
