// Putting one stream attempt together and running it (SPEC §5.2-5.6); the pieces are in
// their own files (see attempt_state.h).
#include "engine/attempt_state.h"

#include <algorithm>
#include <thread>

#include "base/log.h"
#include "engine/attempt_tally.h"
#include "engine/stage_link.h"
#include "engine/stage_runner.h"
#include "engine/stream_context.h"
#include "plugin/host_error.h"

namespace rapidbyte::engine {

using plugin::HostContext;
using protocol::ConnectorError;
using protocol::ErrorCategory;

ConnectorError ErrorFromStatus(const Status& status) {
  ConnectorError error =
      ConnectorError::Make(ErrorCategory::kInternal, "INTERNAL", status.message());
  if (const auto* d = dynamic_cast<const plugin::HostErrorDetail*>(status.detail().get())) {
    error = ConnectorError::Make(d->category, d->code, status.message());
  }
  return error;
}

AttemptState::AttemptState(const RunEnv& env_in, const config::StreamSpec& stream_in,
                           int attempt_in, StreamPosition* position, StreamLive* live_in)
    : env(env_in),
      stream(stream_in),
      name(StreamName(stream_in)),
      attempt(attempt_in),
      live(live_in),
      cancel(std::make_shared<plugin::CancellationToken>()),
      errors(name),
      positions(env_in, name, position) {
  const PipelineConnectors& c = *env.connectors;
  AddStage(HostContext::Role::kSource, "Source", &c.source, env.source_module);
  for (std::size_t i = 0; i < c.transforms.size(); ++i) {
    AddStage(HostContext::Role::kTransform, c.transforms[i].label, &c.transforms[i],
             env.transform_modules[i]);
  }
  AddStage(HostContext::Role::kDestination, "Destination", &*c.destination, env.dest_module);
  // One channel between each pair of neighbouring stages.
  const auto capacity = static_cast<std::size_t>(env.pipeline->resources.max_inflight_batches);
  for (std::size_t i = 0; i + 1 < stages.size(); ++i) {
    paths.push_back(std::make_unique<FramePath>(env.codec, capacity, cancel));
    stages[i]->output = paths.back().get();
    stages[i + 1]->input = paths.back().get();
  }
}

void AttemptState::AddStage(HostContext::Role role, std::string label,
                            const StageConnector* connector,
                            std::shared_ptr<const plugin::Module> module) {
  auto stage = std::make_unique<Stage>();
  stage->role = role;
  stage->label = std::move(label);
  stage->connector = connector;
  stage->module = std::move(module);
  stage->state_store = std::make_unique<ConnectorStateStore>(
      env.state, env.pipeline->name, name, connector->stage + ":" + connector->manifest().id);
  stages.push_back(std::move(stage));
}

void AttemptState::RecordError(const Stage& stage, ConnectorError error, bool host_side,
                               bool consequence) {
  errors.Record(stage.label, std::move(error), host_side, consequence);
  supervisor.ErrorRecorded(consequence);
}

void AttemptState::CancelAttempt() {
  cancel->Cancel();
  positions.tracker.Interrupt();
  gate.Wake();
}

void AttemptState::ForceStopAll() {
  for (auto& stage : stages) {
    std::lock_guard<std::mutex> lock(stage->instance_mu);
    if (stage->instance != nullptr) stage->instance->ForceStop();
  }
}

HostContext AttemptState::MakeHostContext(Stage& stage) {
  const StageConnector& c = *stage.connector;
  const config::ResourcesSpec& r = env.pipeline->resources;
  HostContext ctx = SandboxedHostContext(c);
  ctx.stream = name;
  ctx.cancel = cancel;
  if (env.control != nullptr) ctx.stop_requested = env.control->stop_flag();
  ctx.max_frame_bytes = std::max(r.max_batch_bytes, r.max_record_bytes) + (1u << 20);
  ctx.state = stage.state_store.get();

  if (stage.output != nullptr) ctx.output = &stage.output->channel();
  if (stage.input != nullptr) ctx.input = &stage.input->channel();
  stage.link = std::make_unique<StageLink>(*this, stage);
  ctx.engine = stage.link.get();
  return ctx;
}

AttemptResult AttemptState::Run(const std::shared_ptr<AttemptState>& self) {
  // Stages in start order: destination, transforms, source (SPEC §4.4). Each thread holds
  // the state, so a thread that has to be abandoned never touches freed memory.
  std::vector<std::thread> threads;
  for (std::size_t i = stages.size(); i-- > 0;) {
    threads.emplace_back([self, i] { RunStage(*self, *self->stages[i]); });
  }
  AttemptSupervisor::Actions actions;
  actions.cancel = [this] { CancelAttempt(); };
  actions.force_stop = [this] { ForceStopAll(); };
  const bool stopped = supervisor.Supervise(
      stages.size(), std::chrono::seconds(env.pipeline->resources.cancel_grace_seconds),
      *env.control, actions);
  for (auto& t : threads) {
    if (stopped) {
      t.join();
    } else {
      t.detach();  // the shared state outlives it; the CLI exits after reporting
    }
  }
  if (!stopped) {
    Log(LogLevel::kError, "a connector thread could not be stopped; abandoning it",
        {{"stream", name}});
  }
  return Finish();
}

AttemptResult AttemptState::Finish() {
  AttemptResult r;
  r.dest_exactly_once = dest_exactly_once.load();
  AttemptErrors::Ending ending;
  ending.all_ok = std::all_of(stages.begin(), stages.end(), [](const auto& s) { return s->ok; });
  ending.cancelled_by_run = supervisor.cancelled_by_run();
  ending.timeout = env.control->reason() == RunControl::Reason::kTimeout;
  ending.timeout_seconds = env.pipeline->resources.timeout_seconds;
  errors.Decide(ending, &r);
  TallyAttempt(stages, paths, env.codec, &r);
  return r;
}

}  // namespace rapidbyte::engine
