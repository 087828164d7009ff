// The per-connector checks of `rapidbyte check` (SPEC §3.3): `<Role> connector` and
// `<Role> config` (resolution, manifest, checksum, role, modes, memory, native code; the
// config schema), and the live check: rb_validate on a fresh instance (SPEC §4.4) turned
// into an overall line plus one line per stream. Host only.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/check_report.h"
#include "config/pipeline.h"
#include "engine/pipeline_connectors.h"
#include "plugin/module.h"

namespace rapidbyte::cli {

/// One stage's static checks and, when they passed, what its live check needs.
struct StageOutcome {
  std::string label;  // "Source", "Transform[0]", "Destination"
  CheckLine connector_line;
  CheckLine config_line;
  /// Set when the connector resolved (its secrets are known even if other checks failed).
  std::optional<engine::StageConnector> connector;
  /// Set when the native code loaded.
  std::shared_ptr<const plugin::Module> module;

  /// Why the live check cannot run ("" when it can).
  std::string SkipReason() const;
};

/// "Source", "Dest" or "Transform[i]": the prefix of the connector and config lines.
std::string StagePrefix(plugin::HostContext::Role role, std::size_t transform_index);
/// "Source", "Destination" or "Transform[i]": the live check's label.
std::string StageLabel(plugin::HostContext::Role role, std::size_t transform_index);

/// Resolve and check one stage's connector and config, and load its native code.
StageOutcome CheckStageConnector(const config::Pipeline& pipeline, plugin::HostContext::Role role,
                                 std::size_t transform_index,
                                 const engine::ResolveOptions& options);

/// Run rb_validate for a stage whose static checks passed: the ValidateRequest carries the
/// config and a StreamContext per stream. Connector errors become FAILED lines.
std::vector<CheckLine> ValidateStage(const config::Pipeline& pipeline, const StageOutcome& stage);

/// The lines for one ValidationResult (SPEC §4.10): the overall line (status and message
/// from the checks that are not about a stream, e.g. the connection) and one line per
/// stream. `streams` are the pipeline's stream names in order; a stream the connector did
/// not report is SKIPPED when the overall check failed.
std::vector<CheckLine> ValidationLines(const std::string& label, const nlohmann::json& result,
                                       const std::vector<std::string>& streams);

}  // namespace rapidbyte::cli
