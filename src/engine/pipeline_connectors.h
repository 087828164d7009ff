// The connectors of a pipeline, resolved and checked against the pipeline (SPEC §2.7):
// each stage's connector found in the search locations, its manifest read, its config
// checked against the config_schema (defaults applied), its role, sync modes, write mode
// and memory floor checked. Every problem is reported together, like §2.6. Host only.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "config/pipeline.h"
#include "plugin/host_context.h"
#include "plugin/manifest/config_path.h"
#include "plugin/manifest/resolve.h"

namespace rapidbyte::engine {

/// One configured connector of the pipeline.
struct StageConnector {
  plugin::HostContext::Role role = plugin::HostContext::Role::kNone;
  std::string stage;  // "source", "destination", "transform[0]" (logs, state scope keys)
  std::string path;   // "source", "destination", "transforms[0]" (messages)
  std::string label;  // "Source", "Destination", "Transform[0]" (CLI output)
  plugin::manifest::ResolvedConnector resolved;
  nlohmann::json config;             // completed config the connector receives
  std::vector<std::string> secrets;  // values never printed
  std::vector<std::string> allowed_hosts;
  /// The directory its config names under the manifest's permissions.fs.config_path.
  std::optional<plugin::manifest::ConfigPreopen> config_preopen;
  bool bundled = false;  // found in the installation's own connector folder

  const plugin::manifest::Manifest& manifest() const { return resolved.manifest; }
};

/// A host context with `connector`'s identity, role and sandbox (SPEC §4.7, §4.8): allowed
/// hosts, TLS rule, CA files its config names, WASI environment and preopens (the manifest's
/// and the one its config names). Channels, hooks, state and cancellation are the caller's.
plugin::HostContext SandboxedHostContext(const StageConnector& connector);

struct PipelineConnectors {
  StageConnector source;
  std::vector<StageConnector> transforms;
  std::optional<StageConnector> destination;  // absent for `discover`
  /// Every secret of every connector config plus the pipeline's own.
  std::vector<std::string> secrets;
};

struct ResolveOptions {
  std::vector<plugin::manifest::SearchLocation> locations;
  /// The installation's bundled folder (to mark connectors found there).
  std::string bundled_dir;
  /// Resolve only the source (discover).
  bool source_only = false;
};

/// The default search locations of this process (RAPIDBYTE_CONNECTOR_DIR, ~/.rapidbyte/plugins,
/// the bundled folder).
ResolveOptions DefaultResolveOptions();

/// Resolve and check every connector. InvalidArgument (exit 2) listing every problem as
/// "  - <path>: message" lines under "Pipeline validation failed (N problems) in <file>:".
Result<PipelineConnectors> ResolvePipelineConnectors(const config::Pipeline& pipeline,
                                                     const ResolveOptions& options);

/// Create (with parents) every directory a connector's config names under a config_path
/// that asks for it (`"create": true`), before a run instantiates the connectors. The first
/// failure names the field, the path and the reason: "destination.config.path: could not
/// create the directory /data/lake: Permission denied".
Status CreateConfigDirectories(const PipelineConnectors& connectors);

/// The problems one stage has (for `check`, which reports them per connector): resolution,
/// role, modes, memory, config. `config_problems` gets the config-schema lines separately.
struct StageCheck {
  std::optional<StageConnector> connector;  // set when it resolved and its manifest is usable
  std::vector<std::string> connector_problems;
  std::vector<std::string> config_problems;
};
StageCheck CheckStage(const config::Pipeline& pipeline, plugin::HostContext::Role role,
                      std::size_t transform_index, const ResolveOptions& options);

}  // namespace rapidbyte::engine
