// One stage's thread (SPEC §4.4, §5.2, §5.6).
#include "engine/stage_runner.h"

#include <chrono>

#include "base/log.h"
#include "engine/stream_context.h"
#include "protocol/messages.h"

namespace rapidbyte::engine {
namespace {

using Clock = std::chrono::steady_clock;
using plugin::HostContext;
using protocol::ConnectorError;
using protocol::ErrorCategory;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

plugin::Export RunExport(HostContext::Role role) {
  switch (role) {
    case HostContext::Role::kSource: return plugin::Export::kRunRead;
    case HostContext::Role::kDestination: return plugin::Export::kRunWrite;
    default: return plugin::Export::kRunTransform;
  }
}

// Whether an error a stage returned is a consequence of another stage's failure or of
// cancellation (SPEC §5.6).
bool IsConsequence(const AttemptState& attempt, const HostContext& ctx, const ConnectorError& e) {
  return ctx.saw_upstream_failure || attempt.cancel->cancelled() ||
         e.category == ErrorCategory::kCancelled || e.code == "UPSTREAM_FAILED" ||
         e.code == "CANCELLED" || e.code == "CHANNEL_CLOSED";
}

// Turn a call's outcome into the envelope's data, recording any error. Returns nullopt on
// failure.
std::optional<protocol::Json> Outcome(AttemptState& attempt, Stage& stage, plugin::Instance& instance,
                                      const Result<std::string>& response) {
  HostContext& ctx = instance.host();
  if (ctx.first_violation) {
    attempt.RecordError(stage, ErrorFromStatus(*ctx.first_violation), true, false);
    return std::nullopt;
  }
  if (!response.ok()) {
    // Traps and forced stops after cancellation are consequences of the cancellation.
    const bool after_cancel = attempt.cancel->cancelled();
    attempt.RecordError(stage, ErrorFromStatus(response.status()), true, after_cancel);
    return std::nullopt;
  }
  auto envelope = protocol::Envelope::Parse(*response);
  if (!envelope.ok()) {
    attempt.RecordError(stage, ConnectorError::Make(ErrorCategory::kInternal, "INVALID_RESPONSE",
                                                    envelope.status().message()),
                        true, false);
    return std::nullopt;
  }
  if (!envelope->ok) {
    const bool consequence = IsConsequence(attempt, ctx, envelope->error);
    attempt.RecordError(stage, envelope->error, false, consequence);
    return std::nullopt;
  }
  return envelope->data;
}

void Publish(Stage& stage, plugin::Instance* instance) {
  std::lock_guard<std::mutex> lock(stage.instance_mu);
  stage.instance = instance;
}

// rb_open; the features the connector claims are logged for the manifest conformance check
// (SPEC §4.2). False when it failed (recorded).
bool OpenStage(AttemptState& attempt, Stage& stage, plugin::Instance& instance) {
  const RunEnv& env = attempt.env;
  const std::string open_request =
      OpenContextJson(*stage.connector, env.pipeline->name, env.run_id).dump();
  auto opened =
      Outcome(attempt, stage, instance, instance.CallJson(plugin::Export::kOpen, open_request));
  if (!opened) return false;
  auto info = protocol::OpenInfo::FromJson(*opened);
  if (!info.ok()) return true;
  std::string features;
  for (const auto& f : info->features) {
    features += (features.empty() ? "" : ",") + f;
    if (stage.is_destination() && f == "exactly_once") attempt.dest_exactly_once = true;
  }
  Log(LogLevel::kDebug, "connector opened",
      {{"stream", attempt.name},
       {"stage", stage.label},
       {"connector", stage.connector->manifest().id},
       {"features", features}});
  return true;
}

// The run call. True when it succeeded (a destination only after end-of-stream, or when
// its commit record showed the stream already complete, SPEC §5.2).
bool RunCall(AttemptState& attempt, Stage& stage, plugin::Instance& instance) {
  const RunEnv& env = attempt.env;
  // rb_open ran under the setup deadline; the work itself is bounded only by
  // resources.timeout_seconds, which the run's supervisor enforces.
  instance.SetCallDeadline(std::chrono::milliseconds(0), "");
  const protocol::Json start = stage.is_source() ? attempt.positions.Request() : protocol::Json();
  const std::string request =
      StreamContextJson(*env.pipeline, attempt.stream, stage.role, env.run_id, attempt.attempt,
                        start, attempt.positions.resumable(),
                        env.control != nullptr && env.control->follow())
          .dump();
  const auto run_start = Clock::now();
  auto data = Outcome(attempt, stage, instance, instance.CallJson(RunExport(stage.role), request));
  stage.run_secs = SecondsSince(run_start);
  if (!data) return false;
  stage.summary = *data;
  const HostContext& ctx = instance.host();
  if (!stage.is_destination() || ctx.saw_end_of_stream) return true;
  stage.report_complete = ctx.commit_reported && !ctx.received_input;
  if (stage.report_complete) return true;
  attempt.RecordError(
      stage,
      ConnectorError::Make(ErrorCategory::kInternal, "PROTOCOL_VIOLATION",
                           "the destination returned success before the end of the stream"),
      true, attempt.cancel->cancelled());
  return false;
}

// Open, (for the source) wait at the gate, run. True when the stage succeeded.
bool OpenAndRun(AttemptState& attempt, Stage& stage, plugin::Instance& instance) {
  if (!OpenStage(attempt, stage, instance)) return false;
  if (stage.is_source()) {
    bool complete = false;
    const bool run = attempt.gate.Wait(*attempt.cancel, &complete);
    if (complete) {
      stage.ok = true;  // the destination's commit record says the stream is done
      stage.report_complete = true;
    }
    if (!run) return false;
  }
  return RunCall(attempt, stage, instance);
}

// Tell the neighbours (SPEC §5.3): end-of-stream or upstream failure downstream, and
// cancellation upstream.
void TellNeighbours(AttemptState& attempt, Stage& stage, bool ok) {
  if (stage.output != nullptr) {
    if (ok) {
      stage.output->channel().Finish();
    } else {
      stage.output->channel().FailProducer();
    }
  }
  if (stage.is_source() && ok) attempt.positions.tracker.OnSourceReturned();
  if ((!ok || stage.report_complete) && stage.input != nullptr)
    stage.input->channel().FailConsumer();
}

// Log the connector's peak memory and call rb_close.
void CloseStage(AttemptState& attempt, Stage& stage, plugin::Instance& instance) {
  // Linear memory never shrinks, so this is the connector's peak (docs/performance.md).
  Log(LogLevel::kDebug, "connector memory",
      {{"stream", attempt.name},
       {"stage", stage.connector->stage},
       {"linear_memory_mib", std::to_string(instance.memory_bytes() >> 20)}});
  if (instance.trapped()) return;
  // The stage's outcome is decided; rb_close only releases what the connector holds, so a
  // connector that does not return in time is stopped and the outcome stands.
  instance.SetCallDeadline(plugin::limits::kCloseDeadline, "the limit for rb_close");
  auto closed = instance.Close();
  if (closed.ok() && *closed != 0) {
    Log(LogLevel::kWarn, "Connector close returned error code: " + std::to_string(*closed),
        {{"stream", attempt.name}, {"stage", stage.connector->stage}});
  } else if (!closed.ok()) {
    Log(LogLevel::kWarn, "Connector close failed; the stream's outcome stands",
        {{"stream", attempt.name},
         {"stage", stage.connector->stage},
         {"error", closed.status().message()}});
  }
}

}  // namespace

void RunStage(AttemptState& attempt, Stage& stage) {
  const auto start = Clock::now();
  plugin::InstanceOptions options;
  options.max_memory = attempt.env.pipeline->resources.max_memory;
  auto created = plugin::Instance::Create(stage.module, attempt.MakeHostContext(stage), options);
  std::unique_ptr<plugin::Instance> instance;
  bool ok = false;
  if (!created.ok()) {
    attempt.RecordError(stage, ErrorFromStatus(created.status()), true, attempt.cancel->cancelled());
  } else {
    instance = std::move(*created);
    Publish(stage, instance.get());
    stage.vm_setup_secs = SecondsSince(start);
    ok = OpenAndRun(attempt, stage, *instance);
    stage.wait_secs = static_cast<double>(instance->host().input_wait_ns) / 1e9;
  }
  if (stage.report_complete) ok = true;
  stage.ok = ok;
  TellNeighbours(attempt, stage, ok);
  if (instance) CloseStage(attempt, stage, *instance);
  Publish(stage, nullptr);
  instance.reset();
  stage.total_secs = SecondsSince(start);
  attempt.supervisor.StageDone();
}

}  // namespace rapidbyte::engine
