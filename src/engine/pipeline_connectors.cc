// Resolving and checking the connectors of a pipeline (SPEC §2.7).
#include "engine/pipeline_connectors.h"

#include <filesystem>

#include "config/env_subst.h"
#include "config/problems.h"
#include "plugin/connector_loader.h"
#include "plugin/manifest/allowed_hosts.h"
#include "plugin/manifest/config_check.h"
#include "plugin/manifest/role_checks.h"

namespace rapidbyte::engine {
namespace {

using plugin::HostContext;
namespace mf = plugin::manifest;

struct StageSpec {
  const config::ConnectorRef* use = nullptr;
  const config::Value* config = nullptr;
  mf::Role role = mf::Role::kSource;
  std::string stage, path, label;
};

StageSpec SpecFor(const config::Pipeline& p, HostContext::Role role, std::size_t index) {
  StageSpec spec;
  switch (role) {
    case HostContext::Role::kSource:
      spec = {&p.source.use, &p.source.config, mf::Role::kSource, "source", "source", "Source"};
      break;
    case HostContext::Role::kDestination:
      spec = {&p.destination->use, &p.destination->config, mf::Role::kDestination,
              "destination", "destination", "Destination"};
      break;
    default: {
      const std::string i = std::to_string(index);
      spec = {&p.transforms[index].use, &p.transforms[index].config, mf::Role::kTransform,
              "transform[" + i + "]", "transforms[" + i + "]", "Transform[" + i + "]"};
    }
  }
  return spec;
}

bool SamePath(const std::string& a, const std::string& b) {
  std::error_code ec;
  return !a.empty() && !b.empty() && std::filesystem::equivalent(a, b, ec);
}

HostContext::TlsPolicy TlsPolicyOf(mf::TlsPolicy p) {
  switch (p) {
    case mf::TlsPolicy::kRequired: return HostContext::TlsPolicy::kRequired;
    case mf::TlsPolicy::kForbidden: return HostContext::TlsPolicy::kForbidden;
    default: return HostContext::TlsPolicy::kOptional;
  }
}

// Certificate files a connector may name in rb_host_net_start_tls: string values of config
// keys that mention a certificate or CA.
void CollectCaFiles(const nlohmann::json& config, std::vector<std::string>* out) {
  if (!config.is_object()) return;
  for (const auto& [key, value] : config.items()) {
    if (value.is_object()) CollectCaFiles(value, out);
    if (!value.is_string()) continue;
    if (key.find("cert") != std::string::npos || key.find("ca") == 0) {
      out->push_back(value.get<std::string>());
    }
  }
}

}  // namespace

HostContext SandboxedHostContext(const StageConnector& c) {
  HostContext ctx;
  ctx.connector_id = c.manifest().id;
  ctx.connector_version = c.manifest().version;
  ctx.stage = c.stage;
  ctx.role = c.role;
  ctx.wasi.allowed_env = c.manifest().permissions.env_allowed_vars;
  for (const auto& p : c.manifest().permissions.fs_preopens) ctx.wasi.preopens.push_back({p.path, p.write});
  if (const auto& granted = c.config_preopen) {
    ctx.wasi.preopens.push_back({granted->path, granted->write});
  }
  ctx.allowed_hosts = c.allowed_hosts;
  ctx.tls_policy = TlsPolicyOf(c.manifest().permissions.network.tls);
  CollectCaFiles(c.config, &ctx.allowed_ca_files);
  return ctx;
}

ResolveOptions DefaultResolveOptions() {
  ResolveOptions options;
  auto bundled = plugin::BundledConnectorDir();
  if (bundled.ok()) options.bundled_dir = *bundled;
  options.locations = mf::DefaultSearchLocations(config::ProcessEnvironment(), options.bundled_dir);
  return options;
}

StageCheck CheckStage(const config::Pipeline& pipeline, HostContext::Role role,
                      std::size_t transform_index, const ResolveOptions& options) {
  StageCheck check;
  const StageSpec spec = SpecFor(pipeline, role, transform_index);
  auto resolved = mf::ResolveConnector(*spec.use, options.locations, spec.path + ".use");
  if (!resolved.ok()) {
    check.connector_problems.push_back(resolved.status().message());
    return check;
  }
  config::Problems problems;
  mf::CheckRole(resolved->manifest, spec.role, spec.path + ".use", problems);
  if (role == HostContext::Role::kSource) {
    mf::CheckSyncModes(resolved->manifest, pipeline.source.streams, problems);
  }
  if (role == HostContext::Role::kDestination) {
    mf::CheckWriteMode(resolved->manifest, pipeline.destination->write_mode, problems);
  }
  mf::CheckMinMemory(resolved->manifest, pipeline.resources.max_memory, problems);
  check.connector_problems = problems.lines();

  mf::ConfigCheck config =
      mf::CheckConnectorConfig(resolved->manifest.config_schema.get(), *spec.config, spec.path + ".config");
  auto config_preopen = mf::ConfigPathPreopen(resolved->manifest, config.config,
                                              spec.path + ".config", config.problems);
  check.config_problems = config.problems;

  StageConnector c;
  c.role = role;
  c.stage = spec.stage;
  c.path = spec.path;
  c.label = spec.label;
  c.allowed_hosts = mf::AllowedHosts(resolved->manifest, config.config);
  c.config_preopen = std::move(config_preopen);
  c.config = std::move(config.config);
  c.secrets = std::move(config.secrets);
  c.bundled = SamePath(resolved->location.path, options.bundled_dir);
  c.resolved = std::move(*resolved);
  check.connector = std::move(c);
  return check;
}

Status CreateConfigDirectories(const PipelineConnectors& connectors) {
  std::vector<const StageConnector*> stages = {&connectors.source};
  for (const auto& t : connectors.transforms) stages.push_back(&t);
  if (connectors.destination) stages.push_back(&*connectors.destination);
  for (const StageConnector* c : stages) {
    const auto& granted = c->config_preopen;
    if (!granted || !granted->create) continue;
    std::error_code ec;
    std::filesystem::create_directories(granted->path, ec);
    if (ec) {
      return Status::FailedPrecondition(granted->field_path + ": could not create the directory " +
                                        granted->path + ": " + ec.message());
    }
  }
  return Status::OK();
}

Result<PipelineConnectors> ResolvePipelineConnectors(const config::Pipeline& pipeline,
                                                     const ResolveOptions& options) {
  std::vector<std::string> problems;
  PipelineConnectors out;
  out.secrets = pipeline.secrets;
  auto take = [&](StageCheck check) -> std::optional<StageConnector> {
    problems.insert(problems.end(), check.connector_problems.begin(), check.connector_problems.end());
    problems.insert(problems.end(), check.config_problems.begin(), check.config_problems.end());
    if (check.connector) {
      out.secrets.insert(out.secrets.end(), check.connector->secrets.begin(),
                         check.connector->secrets.end());
    }
    return std::move(check.connector);
  };
  auto source = take(CheckStage(pipeline, HostContext::Role::kSource, 0, options));
  if (source) out.source = std::move(*source);
  if (!options.source_only) {
    for (std::size_t i = 0; i < pipeline.transforms.size(); ++i) {
      auto t = take(CheckStage(pipeline, HostContext::Role::kTransform, i, options));
      if (t) out.transforms.push_back(std::move(*t));
    }
    if (pipeline.destination) {
      out.destination = take(CheckStage(pipeline, HostContext::Role::kDestination, 0, options));
    }
  }
  if (!problems.empty()) {
    const std::size_t n = problems.size();
    std::string message = "Pipeline validation failed (" + std::to_string(n) +
                          (n == 1 ? " problem" : " problems") + ") in " +
                          std::filesystem::path(pipeline.file).filename().string() + ":";
    for (const auto& p : problems) message += "\n  - " + p;
    return Status::InvalidArgument(message);
  }
  return out;
}

}  // namespace rapidbyte::engine
