// What a stage reports to the engine: checkpoints (SPEC §5.5) and metrics (SPEC §10.2).
#include <signal.h>

#include "base/log.h"
#include "engine/stage_link.h"
#include "plugin/fault_hooks.h"
#include "plugin/host_error.h"
#include "plugin/limits.h"

#include "protocol/messages.h"

namespace rapidbyte::engine {
namespace {

using protocol::Json;

Status HostFailure(std::string_view code, std::string message) {
  return plugin::HostError(StatusCode::kInvalidArgument, protocol::ErrorCategory::kInternal, code,
                           std::move(message));
}

// The body of a payload envelope: the `payload` object when present, else the document.
const Json& Body(const Json& doc) {
  return doc.contains("payload") && doc["payload"].is_object() ? doc["payload"] : doc;
}

}  // namespace

Status StageLink::Checkpoint(int kind, const Json& doc) {
  const Json& body = Body(doc);
  if (body.contains("stream") && body["stream"].is_string()) {
    const std::string s = body["stream"].get<std::string>();
    if (!s.empty() && s != attempt_.name) {
      return HostFailure("INVALID_CHECKPOINT", "checkpoint names stream '" + s +
                                                   "', but this instance works on '" +
                                                   attempt_.name + "'");
    }
  }
  switch (kind) {
    case 0:
      return OnSourceCheckpoint(doc);
    case 1:
      return OnDestinationCheckpoint(body);
    default:
      // A transform checkpoint: every input received so far is reflected in its output.
      stage_.finished_src = stage_.last_received_src.load();
      Log(LogLevel::kDebug, "transform checkpoint",
          {{"stream", attempt_.name}, {"stage", stage_.label}});
      return Status::OK();
  }
}

Status StageLink::OnSourceCheckpoint(const Json& doc) {
  auto checkpoint = SourceCheckpoint::FromJson(doc);
  if (!checkpoint.ok()) return HostFailure("INVALID_CHECKPOINT", checkpoint.status().message());
  stage_.checkpoints++;
  return attempt_.positions.OnSourceCheckpoint(std::move(*checkpoint));
}

Status StageLink::OnDestinationCheckpoint(const Json& body) {
  // The destination has committed; test builds can crash or fail here (§11.21, §11.62).
  if (plugin::FaultHitForTest(plugin::FaultPoint::kKillBeforeCursorPersist)) raise(SIGKILL);
  if (plugin::FaultHitForTest(plugin::FaultPoint::kFailDestCheckpoint)) {
    return HostFailure("FAULT_INJECTED",
                       "destination checkpoint refused by the fail_dest_checkpoint fault hook");
  }
  SyncEndOfStream();
  stage_.checkpoints++;
  if (body.contains("records_processed") && body["records_processed"].is_number_integer()) {
    stage_.committed_records = body["records_processed"].get<std::uint64_t>();
  }
  std::optional<std::uint64_t> token_seq;
  if (body.contains("commit_token") && body["commit_token"].is_object() &&
      body["commit_token"].contains("seq") && body["commit_token"]["seq"].is_number_unsigned()) {
    token_seq = body["commit_token"]["seq"].get<std::uint64_t>();
  }
  return attempt_.positions.OnDestCheckpoint(token_seq);
}

Status StageLink::Metric(const Json& doc) {
  // The latest value per stream, stage and name is kept for the result (`metrics` of each
  // stream in --output json) and logged at debug level. Progress and the counters of the
  // result use the engine's own frame counts, which cannot be wrong about what crossed a
  // channel; only the source's records_estimate feeds progress (its total and ETA).
  auto metric = protocol::Metric::FromJson(Body(doc));
  if (!metric.ok()) return HostFailure("INVALID_METRIC", metric.status().message());
  const bool counter = metric->kind == protocol::Metric::Kind::kCounter;
  const std::string& name = attempt_.name;
  // Bounded per stream (all stages together): a connector reporting ever new names would
  // otherwise grow the engine's memory without end.
  if (!attempt_.live->SetMetric(stage_.connector->stage + "." + metric->name,
                                counter ? static_cast<double>(metric->counter) : metric->number,
                                plugin::limits::kMaxMetricNames)) {
    return HostFailure("INVALID_METRIC",
                       "metric '" + metric->name + "' would be distinct metric name number " +
                           std::to_string(plugin::limits::kMaxMetricNames + 1) + " of stream " +
                           name + "; at most " + std::to_string(plugin::limits::kMaxMetricNames) +
                           " are kept");
  }
  if (counter && stage_.is_source() && metric->name == "records_estimate") {
    attempt_.live->SetEstimate(metric->counter);  // progress shows a total and an ETA
  }
  if (!LogEnabled(LogLevel::kDebug)) return Status::OK();
  const std::string value =
      counter ? std::to_string(metric->counter) : std::to_string(metric->number);
  Log(LogLevel::kDebug, "metric",
      {{"stream", name},
       {"stage", stage_.connector->stage},
       {"name", metric->name},
       {"value", value}});
  return Status::OK();
}

}  // namespace rapidbyte::engine
