// Fresh-instance calls for discover and check.
#include "engine/connector_call.h"

#include "base/log.h"
#include "engine/attempt_state.h"
#include "plugin/translate/cache.h"
#include "protocol/messages.h"
#include "state/state_backend.h"

namespace rapidbyte::engine {

Result<plugin::LoadedConnector> LoadStageConnector(const StageConnector& c,
                                                   const std::string& cache_dir_in) {
  std::string cache_dir = cache_dir_in;
  if (cache_dir.empty()) {
    RB_ASSIGN_OR_RETURN(cache_dir, plugin::translate::DefaultCacheDir());
  }
  plugin::translate::ConnectorRoles roles;
  roles.source = c.role == plugin::HostContext::Role::kSource;
  roles.destination = c.role == plugin::HostContext::Role::kDestination;
  roles.transform = c.role == plugin::HostContext::Role::kTransform;
  auto loaded = plugin::LoadConnector(c.resolved, roles, cache_dir, c.bundled);
  if (!loaded.ok()) {
    return Status(loaded.status().code(), c.path + ".use: could not load connector " + c.manifest().Label() +
                                              ": " + loaded.status().message());
  }
  if (loaded->translate_ms > 0) {
    Log(LogLevel::kInfo, "translated connector to native code",
        {{"connector", c.manifest().id}, {"ms", std::to_string(static_cast<long long>(loaded->translate_ms))}});
  }
  return loaded;
}

Result<nlohmann::json> CallOnce(const StageConnector& c, std::shared_ptr<const plugin::Module> module,
                                plugin::Export which, const nlohmann::json& request,
                                const config::ResourcesSpec& resources) {
  RB_ASSIGN_OR_RETURN(std::unique_ptr<state::StateBackend> scratch, state::OpenInMemoryStateBackend());
  ConnectorStateStore store(scratch.get(), "check", "", c.stage + ":" + c.manifest().id);
  plugin::HostContext ctx = SandboxedHostContext(c);
  ctx.cancel = std::make_shared<plugin::CancellationToken>();
  ctx.state = &store;
  plugin::InstanceOptions options;
  options.max_memory = resources.max_memory;
  RB_ASSIGN_OR_RETURN(std::unique_ptr<plugin::Instance> instance,
                      plugin::Instance::Create(std::move(module), std::move(ctx), options));
  if (resources.timeout_seconds > 0) {
    instance->SetCallDeadline(std::chrono::seconds(resources.timeout_seconds),
                              "resources.timeout_seconds");
  } else {
    instance->SetCallDeadline(plugin::limits::kOneShotCallDeadline,
                              "the limit for " + std::string(plugin::ExportName(which)) +
                                  " when resources.timeout_seconds is 0");
  }
  auto response = instance->CallJson(which, request.dump());
  if (!instance->trapped()) {
    instance->SetCallDeadline(plugin::limits::kCloseDeadline, "the limit for rb_close");
    (void)instance->Close();
  }
  RB_RETURN_NOT_OK(response.status());
  RB_ASSIGN_OR_RETURN(protocol::Envelope envelope, protocol::Envelope::Parse(*response));
  if (!envelope.ok) return Status::Unavailable(envelope.error.Display());
  return envelope.data;
}

}  // namespace rapidbyte::engine
