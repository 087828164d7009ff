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

/// StreamContext for `stage` (the destination gets checkpoint intervals of 0 for a
/// full_refresh stream written with append: one transaction, SPEC §2.3). `cursor_info` is
/// a CursorInfo object or null.
nlohmann::json StreamContextJson(const config::Pipeline& pipeline, const config::StreamSpec& stream,
                                 plugin::HostContext::Role stage, std::int64_t run_id, int attempt,
                                 const nlohmann::json& cursor_info);

}  // namespace rapidbyte::engine
