// One-shot connector calls outside a run (SPEC §4.4): a fresh instance for `discover`
// (rb_discover) or `check` (rb_validate), then rb_close. No channels, no compression; state
// is a throwaway in-memory store.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "engine/pipeline_connectors.h"
#include "plugin/connector_loader.h"
#include "plugin/instance.h"

namespace rapidbyte::engine {

/// Load `connector`'s native code for its role (cache in `cache_dir`, empty: the default).
/// Errors name the stage's `use` path and the connector.
Result<plugin::LoadedConnector> LoadStageConnector(const StageConnector& connector,
                                                   const std::string& cache_dir);

/// Call `which` on a fresh instance with `request` and return the envelope's data; a
/// connector error becomes a Status whose message is the error's display form. The instance
/// gets resources.max_memory, and every call into it resources.timeout_seconds (when 0,
/// plugin::limits::kOneShotCallDeadline): a connector that spins fails the command with
/// code TIMEOUT instead of hanging it.
Result<nlohmann::json> CallOnce(const StageConnector& connector, std::shared_ptr<const plugin::Module> module,
                                plugin::Export which, const nlohmann::json& request,
                                const config::ResourcesSpec& resources);

}  // namespace rapidbyte::engine
