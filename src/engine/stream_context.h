// The JSON documents the engine sends to connectors (SPEC §4.10): OpenContext,
// ValidateRequest and StreamContext, built from the pipeline and the stream's stored state.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "config/pipeline.h"
#include "engine/pipeline_connectors.h"

namespace rapidbyte::engine {

nlohmann::json OpenContextJson(const StageConnector& connector, const std::string& pipeline,
                               std::int64_t run_id);

/// The stream's name as connectors and results see it: "schema.table".
std::string StreamName(const config::StreamSpec& stream);

/// StreamContext for `stage`. `cursor_info` is the position the source starts from
/// (Position::Request: a CursorInfo object or null). `resumable`: whether the stream's kind
/// of position lets a run resume; a destination appending a stream that cannot (full
/// refresh) gets checkpoint intervals of 0: one transaction, SPEC §2.3.
nlohmann::json StreamContextJson(const config::Pipeline& pipeline, const config::StreamSpec& stream,
                                 plugin::HostContext::Role stage, std::int64_t run_id, int attempt,
                                 const nlohmann::json& cursor_info, bool resumable,
                                 bool follow = false);

}  // namespace rapidbyte::engine
