// Attempt bookkeeping: hooks, checkpoint correlation, commit tokens, the source gate and the
// root cause (SPEC §5.2-5.6).
#include "engine/attempt_state.h"

#include <signal.h>

#include <algorithm>

#include "base/log.h"
#include "engine/stream_context.h"
#include "plugin/fault_hooks.h"
#include "plugin/host_error.h"
#include "plugin/limits.h"
#include "protocol/messages.h"

namespace rapidbyte::engine {
namespace {

using plugin::HostContext;
using protocol::ConnectorError;
using protocol::ErrorCategory;
using protocol::Json;

Status HostFailure(std::string_view code, std::string message) {
  return plugin::HostError(StatusCode::kInvalidArgument, protocol::ErrorCategory::kInternal, code,
                           std::move(message));
}

// "int64" for {"int64": 5}: the CursorValue's variant name.
std::string CursorTypeOf(const Json& value) {
  if (value.is_object() && value.size() == 1) return value.begin().key();
  return "";
}

// The body of a payload envelope: the `payload` object when present, else the document.
const Json& Body(const Json& doc) {
  return doc.contains("payload") && doc["payload"].is_object() ? doc["payload"] : doc;
}

}  // namespace

ConnectorError ErrorFromStatus(const Status& status) {
  ConnectorError error = ConnectorError::Make(ErrorCategory::kInternal, "INTERNAL", status.message());
  if (const auto* d = dynamic_cast<const plugin::HostErrorDetail*>(status.detail().get())) {
    error = ConnectorError::Make(d->category, d->code, status.message());
  }
  return error;
}

AttemptState::AttemptState(const RunEnv& env_in, const config::StreamSpec& stream_in,
                           int attempt_in, StreamPosition* position_in, StreamLive* live_in)
    : env(env_in),
      stream(stream_in),
      name(StreamName(stream_in)),
      attempt(attempt_in),
      position(position_in),
      live(live_in),
      cancel(std::make_shared<plugin::CancellationToken>()) {
  const auto capacity = static_cast<std::size_t>(env.pipeline->resources.max_inflight_batches);
  const PipelineConnectors& c = *env.connectors;
  auto add_stage = [&](HostContext::Role role, std::string label, const StageConnector* connector,
                       std::shared_ptr<const plugin::Module> module) {
    auto stage = std::make_unique<Stage>();
    stage->role = role;
    stage->label = std::move(label);
    stage->connector = connector;
    stage->module = std::move(module);
    stage->state_store = std::make_unique<ConnectorStateStore>(
        env.state, env.pipeline->name, name, connector->stage + ":" + connector->manifest().id);
    stages.push_back(std::move(stage));
  };
  add_stage(HostContext::Role::kSource, "Source", &c.source, env.source_module);
  for (std::size_t i = 0; i < c.transforms.size(); ++i) {
    add_stage(HostContext::Role::kTransform, c.transforms[i].label, &c.transforms[i],
              env.transform_modules[i]);
  }
  add_stage(HostContext::Role::kDestination, "Destination", &*c.destination, env.dest_module);
  // One channel between each pair of neighbouring stages.
  for (std::size_t i = 0; i + 1 < stages.size(); ++i) {
    paths.push_back(std::make_unique<FramePath>(env.codec, capacity, cancel));
    stages[i]->output = paths.back().get();
    stages[i + 1]->input = paths.back().get();
  }
}

void AttemptState::RecordError(const Stage& stage, ConnectorError error, bool host_side,
                               bool consequence) {
  StageError e{stage.label, std::move(error), host_side, consequence, ++order_};
  if (consequence) {
    Log(LogLevel::kDebug, "also failed as a consequence: " + e.Describe(), {{"stream", name}});
  }
  {
    std::lock_guard<std::mutex> lock(errors_mu_);
    errors_.push_back(std::move(e));
  }
  std::lock_guard<std::mutex> lock(mu);
  if (!consequence) any_failure = true;
  changed.notify_all();
}

void AttemptState::StageDone() {
  std::lock_guard<std::mutex> lock(mu);
  ++done_count;
  changed.notify_all();
}

void AttemptState::OpenSourceGate(bool complete) {
  std::lock_guard<std::mutex> lock(mu);
  gate_open_ = true;
  stream_complete_ = stream_complete_ || complete;
  changed.notify_all();
}

bool AttemptState::WaitSourceGate(bool* complete) {
  std::unique_lock<std::mutex> lock(mu);
  while (!gate_open_ && !cancel->cancelled()) {
    changed.wait_for(lock, std::chrono::milliseconds(50));
  }
  *complete = stream_complete_;
  return gate_open_ && !stream_complete_ && !cancel->cancelled();
}

void AttemptState::CancelAttempt() {
  cancel->Cancel();
  tracker.Interrupt();
  std::lock_guard<std::mutex> lock(mu);
  changed.notify_all();
}

void AttemptState::ForceStopAll() {
  for (auto& stage : stages) {
    std::lock_guard<std::mutex> lock(stage->instance_mu);
    if (stage->instance != nullptr) stage->instance->ForceStop();
  }
}

Json AttemptState::CursorInfo() {
  if (stream.sync_mode != config::SyncMode::kIncremental) return nullptr;
  std::lock_guard<std::mutex> lock(position->mu);
  const state::CursorRecord& c = position->cursor;
  Json info = {{"cursor_field", *stream.cursor_field},
               {"cursor_type", nullptr},
               {"last_value", nullptr},
               {"boundary", nullptr}};
  if (!c.cursor_value.empty()) {
    info["cursor_type"] = c.cursor_type;
    info["last_value"] = protocol::ParseJson(c.cursor_value).value_or(Json());
    if (!c.cursor_boundary.empty()) {
      info["boundary"] = protocol::ParseJson(c.cursor_boundary).value_or(Json());
    }
  }
  return info;
}

HostContext AttemptState::MakeHostContext(Stage& stage) {
  const StageConnector& c = *stage.connector;
  const config::ResourcesSpec& r = env.pipeline->resources;
  HostContext ctx = SandboxedHostContext(c);
  ctx.stream = name;
  ctx.cancel = cancel;
  ctx.max_frame_bytes = std::max(r.max_batch_bytes, r.max_record_bytes) + (1u << 20);
  ctx.state = stage.state_store.get();

  if (stage.output != nullptr) ctx.output = &stage.output->channel();
  if (stage.input != nullptr) ctx.input = &stage.input->channel();
  stage.link = std::make_unique<StageLink>(*this, stage);
  ctx.engine = stage.link.get();
  return ctx;
}

Status StageLink::OnEmit(plugin::Frame* frame) {
  if (stage_.output == nullptr) return Status::OK();
  std::uint64_t src_seq = FramePath::kOwnSeq;
  if (stage_.role == HostContext::Role::kTransform) {
    // Frames a transform emits cover the inputs it has finished (SPEC §5.5).
    src_seq = stage_.finished_src.load();
  }
  FrameInfo info;
  Status st = stage_.output->OnEmit(frame, src_seq, &info);
  if (!st.ok()) {
    attempt_.RecordError(stage_, ErrorFromStatus(st), true, false);
    return st;
  }
  if (stage_.role == HostContext::Role::kSource) {
    attempt_.tracker.OnSourceFrame(info.seq);
    attempt_.live->rows_read += info.rows;
    attempt_.live->bytes_read += info.bytes;
  }
  return Status::OK();
}

Status StageLink::OnReceive(plugin::Frame* frame) {
  if (stage_.input == nullptr) return Status::OK();
  FrameInfo info;
  Status st = stage_.input->OnReceive(frame, &info);
  if (!st.ok()) {
    attempt_.RecordError(stage_, ErrorFromStatus(st), true, false);
    return st;
  }
  if (IsDestination()) {
    attempt_.tracker.OnDestReceived(info.src_seq);
    attempt_.live->rows_written += info.rows;
    attempt_.live->bytes_written += info.bytes;
  } else {
    // Asking for the next frame finishes the previous one.
    stage_.finished_src = stage_.last_received_src.load();
    stage_.last_received_src = info.src_seq;
  }
  return Status::OK();
}

void StageLink::OnFirstInput() {
  if (IsDestination()) attempt_.OpenSourceGate(false);
}

Status StageLink::Checkpoint(int kind, const Json& doc) {
  return attempt_.OnCheckpoint(stage_, kind, doc);
}

Status StageLink::Metric(const Json& doc) { return attempt_.OnMetric(stage_, doc); }

Result<std::string> StageLink::CommitToken() {
  if (!IsDestination()) return EngineLink::CommitToken();
  return attempt_.OnCommitToken(stage_);
}

Result<bool> StageLink::ReportCommit(const std::string& token_json) {
  if (!IsDestination()) return EngineLink::ReportCommit(token_json);
  return attempt_.OnReportCommit(token_json);
}

void AttemptState::SyncDestEndOfStream(Stage& stage) {
  std::lock_guard<std::mutex> lock(stage.instance_mu);
  if (stage.instance != nullptr && stage.instance->host().saw_end_of_stream) tracker.OnDestEndOfStream();
}

Status AttemptState::OnCheckpoint(Stage& stage, int kind, const Json& doc) {
  const Json& body = Body(doc);
  if (body.contains("stream") && body["stream"].is_string()) {
    const std::string s = body["stream"].get<std::string>();
    if (!s.empty() && s != name) {
      return HostFailure("INVALID_CHECKPOINT", "checkpoint names stream '" + s + "', but this instance works on '" + name + "'");
    }
  }
  switch (kind) {
    case 0: {
      auto checkpoint = SourceCheckpoint::FromJson(doc);
      if (!checkpoint.ok()) return HostFailure("INVALID_CHECKPOINT", checkpoint.status().message());
      stage.checkpoints++;
      auto covered = tracker.OnSourceCheckpoint(std::move(*checkpoint));
      if (covered) return Persist(*covered, std::nullopt);
      return Status::OK();
    }
    case 1: {
      // The destination has committed; test builds can crash or fail here (§11.21, §11.62).
      if (plugin::FaultHitForTest(plugin::FaultPoint::kKillBeforeCursorPersist)) raise(SIGKILL);
      if (plugin::FaultHitForTest(plugin::FaultPoint::kFailDestCheckpoint)) {
        return HostFailure("FAULT_INJECTED",
                           "destination checkpoint refused by the fail_dest_checkpoint fault hook");
      }
      SyncDestEndOfStream(stage);
      stage.checkpoints++;
      if (body.contains("records_processed") && body["records_processed"].is_number_integer()) {
        stage.committed_records = body["records_processed"].get<std::uint64_t>();
      }
      std::optional<std::uint64_t> token_seq;
      if (body.contains("commit_token") && body["commit_token"].is_object() &&
          body["commit_token"].contains("seq") && body["commit_token"]["seq"].is_number_unsigned()) {
        token_seq = body["commit_token"]["seq"].get<std::uint64_t>();
      }
      auto confirmed = tracker.OnDestCheckpoint();
      if (confirmed) return Persist(*confirmed, token_seq);
      return Status::OK();
    }
    default:
      // A transform checkpoint: every input received so far is reflected in its output.
      stage.finished_src = stage.last_received_src.load();
      Log(LogLevel::kDebug, "transform checkpoint", {{"stream", name}, {"stage", stage.label}});
      return Status::OK();
  }
}

Status AttemptState::OnMetric(Stage& stage, const Json& doc) {
  // The latest value per stream, stage and name is kept for the result (`metrics` of each
  // stream in --output json) and logged at debug level. Progress and the counters of the
  // result use the engine's own frame counts, which cannot be wrong about what crossed a
  // channel.
  auto metric = protocol::Metric::FromJson(Body(doc));
  if (!metric.ok()) return HostFailure("INVALID_METRIC", metric.status().message());
  const bool counter = metric->kind == protocol::Metric::Kind::kCounter;
  // Bounded per stream (all stages together): a connector reporting ever new names would
  // otherwise grow the engine's memory without end.
  if (!live->SetMetric(stage.connector->stage + "." + metric->name,
                       counter ? static_cast<double>(metric->counter) : metric->number,
                       plugin::limits::kMaxMetricNames)) {
    return HostFailure("INVALID_METRIC",
                       "metric '" + metric->name + "' would be distinct metric name number " +
                           std::to_string(plugin::limits::kMaxMetricNames + 1) + " of stream " +
                           name + "; at most " + std::to_string(plugin::limits::kMaxMetricNames) +
                           " are kept");
  }
  if (!LogEnabled(LogLevel::kDebug)) return Status::OK();
  const std::string value = counter ? std::to_string(metric->counter) : std::to_string(metric->number);
  Log(LogLevel::kDebug, "metric",
      {{"stream", name}, {"stage", stage.connector->stage}, {"name", metric->name}, {"value", value}});
  return Status::OK();
}

Status AttemptState::Persist(const SourceCheckpoint& checkpoint,
                             std::optional<std::uint64_t> token_seq) {
  if (stream.sync_mode != config::SyncMode::kIncremental || !checkpoint.has_position()) {
    return Status::OK();
  }
  std::lock_guard<std::mutex> lock(position->mu);
  state::CursorRecord record = position->cursor;
  record.cursor_field = checkpoint.cursor_field.empty() ? *stream.cursor_field : checkpoint.cursor_field;
  record.cursor_type = CursorTypeOf(checkpoint.cursor_value);
  record.cursor_value = checkpoint.cursor_value.dump();
  record.cursor_boundary = checkpoint.cursor_boundary.is_null() ? "" : checkpoint.cursor_boundary.dump();
  record.position_run_id = env.run_id;
  record.position_seq = static_cast<std::int64_t>(token_seq ? *token_seq : ++position->token_seq);
  if (token_seq && *token_seq > position->token_seq) position->token_seq = *token_seq;
  Status st = env.state->SaveCursor(record);
  if (!st.ok()) {
    return plugin::HostError(
        StatusCode::kUnavailable, protocol::ErrorCategory::kInternal, "STATE_BACKEND",
        "could not store the position of stream " + name + ": " + st.message());
  }
  position->cursor = record;
  Log(LogLevel::kDebug, "position stored",
      {{"stream", name}, {"cursor_field", record.cursor_field}, {"cursor_value", record.cursor_value}});
  return Status::OK();
}

Result<std::string> AttemptState::OnCommitToken(Stage& stage) {
  SyncDestEndOfStream(stage);
  if (!tracker.dest_end_of_stream()) {
    // The position must end exactly at the last covered frame: wait until the source says
    // what follows it (SPEC §5.5).
    const auto waited = tracker.WaitForSourceAfter(tracker.last_received_src_seq(),
                                                   [this] { return cancel->cancelled(); });
    if (waited != CheckpointTracker::WaitResult::kReady) return Status::Cancelled("attempt cancelled");
  }
  const auto covered = tracker.CoveredPosition();
  std::lock_guard<std::mutex> lock(position->mu);
  Json pos = nullptr;
  if (covered && covered->has_position() && stream.sync_mode == config::SyncMode::kIncremental) {
    pos = {{"cursor_field", covered->cursor_field.empty() ? *stream.cursor_field : covered->cursor_field},
           {"cursor_type", CursorTypeOf(covered->cursor_value)},
           {"cursor_value", covered->cursor_value},
           {"cursor_boundary", covered->cursor_boundary}};
  }
  Json token = {{"state_id", position->cursor.state_id},
                {"run_id", env.run_id},
                {"seq", ++position->token_seq},
                {"stream", name},
                {"position", pos},
                {"final", tracker.dest_end_of_stream()}};
  return token.dump();
}

Result<bool> AttemptState::OnReportCommit(const std::string& token_json) {
  if (token_json.empty()) return false;
  // The token comes back from the destination (its commit record): untrusted, so every field
  // is read with a typed lookup that cannot throw on a field of the wrong type.
  std::string why = "not a JSON object";
  const std::optional<Json> parsed = protocol::ParseJson(token_json, &why);
  if (!parsed || !parsed->is_object()) {
    return HostFailure("INVALID_COMMIT_TOKEN", "the reported commit token is " + why);
  }
  const Json& token = *parsed;
  std::string token_state_id;
  std::string token_stream;
  protocol::GetString(token, "state_id", &token_state_id);
  protocol::GetString(token, "stream", &token_stream);
  std::lock_guard<std::mutex> lock(position->mu);
  state::CursorRecord& stored = position->cursor;
  if (token_state_id != stored.state_id || token_stream != name) {
    Log(LogLevel::kInfo, "ignoring a commit record from before a state reset", {{"stream", name}});
    return false;
  }
  std::int64_t run_id = 0;
  std::int64_t seq = 0;
  protocol::GetInt(token, "run_id", &run_id);
  protocol::GetInt(token, "seq", &seq);
  const bool newer = std::make_pair(run_id, seq) >
                     std::make_pair(stored.position_run_id, stored.position_seq);
  const bool replace = env.pipeline->destination->write_mode == config::WriteMode::kReplace;
  const Json& pos = token.contains("position") ? token["position"] : Json();
  if (!replace && newer && pos.is_object() && stream.sync_mode == config::SyncMode::kIncremental) {
    state::CursorRecord record = stored;
    record.cursor_field = *stream.cursor_field;
    record.cursor_type.clear();
    protocol::GetString(pos, "cursor_field", &record.cursor_field);
    protocol::GetString(pos, "cursor_type", &record.cursor_type);
    record.cursor_value = pos.contains("cursor_value") ? pos["cursor_value"].dump() : "";
    record.cursor_boundary =
        pos.contains("cursor_boundary") && !pos["cursor_boundary"].is_null() ? pos["cursor_boundary"].dump() : "";
    record.position_run_id = run_id;
    record.position_seq = seq;
    Status st = env.state->SaveCursor(record);
    if (!st.ok()) {
      return plugin::HostError(StatusCode::kUnavailable, protocol::ErrorCategory::kInternal,
                               "STATE_BACKEND", st.message());
    }
    stored = record;
    Log(LogLevel::kInfo, "adopted the destination's committed position",
        {{"stream", name}, {"cursor_value", record.cursor_value}});
  }
  if (run_id == env.run_id && static_cast<std::uint64_t>(seq) > position->token_seq) {
    position->token_seq = static_cast<std::uint64_t>(seq);
  }
  bool final_token = false;
  protocol::GetBool(token, "final", &final_token);
  const bool complete = final_token && run_id == env.run_id;
  if (complete) OpenSourceGate(true);  // the source must not run (SPEC §5.5)
  return complete;
}

AttemptResult AttemptState::Finish() {
  AttemptResult r;
  r.dest_exactly_once = dest_exactly_once.load();
  std::vector<StageError> errors;
  {
    std::lock_guard<std::mutex> lock(errors_mu_);
    errors = errors_;
  }
  std::sort(errors.begin(), errors.end(),
            [](const StageError& a, const StageError& b) { return a.order < b.order; });
  for (auto& e : errors) {
    if (!r.root_cause && !e.consequence) {
      r.root_cause = e;
    } else {
      r.consequences.push_back(e);
    }
  }
  bool all_ok = true;
  for (const auto& s : stages) all_ok = all_ok && s->ok;
  r.cancelled = cancelled_by_run && !all_ok;
  // A cancel or timeout that arrives after every stage succeeded (say, while a connector is
  // closing) finds the stream's work committed: the result stands.
  if (!r.root_cause && r.cancelled) {
    const bool timeout = env.control->reason() == RunControl::Reason::kTimeout;
    StageError e;
    e.stage = "Run";
    e.error = ConnectorError::Make(timeout ? ErrorCategory::kInternal : ErrorCategory::kCancelled,
                                   timeout ? "TIMEOUT" : "CANCELLED",
                                   timeout ? "run exceeded resources.timeout_seconds (" +
                                                 std::to_string(env.pipeline->resources.timeout_seconds) + " s)"
                                           : "run cancelled");
    e.host_side = true;
    r.root_cause = e;
  }
  if (!r.root_cause && !errors.empty()) r.root_cause = errors.front();
  r.ok = all_ok && !r.root_cause;

  const ChannelStats& first = paths.front()->stats();
  const ChannelStats& last = paths.back()->stats();
  r.records_read = first.rows;
  r.bytes_read = first.bytes;
  r.batches_emitted = first.frames;
  r.records_delivered = last.rows;
  r.bytes_delivered = last.bytes;
  for (const auto& p : paths) {
    const ChannelStats& s = p->stats();
    if (env.codec != Codec::kNone) {
      r.compressed_bytes += s.compressed_bytes;
      r.uncompressed_bytes += s.bytes;
    }
    r.compress_secs += static_cast<double>(s.compress_ns) / 1e9;
    r.decompress_secs += static_cast<double>(s.decompress_ns) / 1e9;
  }
  for (const auto& s : stages) {
    const Json& sum = s->summary;
    auto num = [&](const char* key) -> std::uint64_t {
      return sum.is_object() && sum.contains(key) && sum[key].is_number_unsigned() ? sum[key].get<std::uint64_t>() : 0;
    };
    auto perf = [&](const char* key) -> double {
      return sum.is_object() && sum.contains("perf") && sum["perf"].is_object() && sum["perf"].contains(key) &&
                     sum["perf"][key].is_number()
                 ? sum["perf"][key].get<double>()
                 : 0.0;
    };
    switch (s->role) {
      case HostContext::Role::kSource:
        r.source_secs += s->total_secs;
        r.records_skipped += num("records_skipped");
        r.source_connect += perf("connect_secs");
        r.source_query += perf("query_secs");
        r.source_fetch += perf("fetch_secs");
        r.checkpoints += s->checkpoints;
        break;
      case HostContext::Role::kDestination:
        r.dest_secs += s->total_secs;
        r.dest_vm_setup += s->vm_setup_secs;
        r.dest_recv += s->run_secs;
        r.dest_wait += s->wait_secs;
        r.dest_connect += perf("connect_secs");
        r.dest_flush += perf("flush_secs");
        r.dest_commit += perf("commit_secs");
        r.checkpoints += s->checkpoints;
        if (s->ok) {
          r.records_written = num("records_written");
          r.records_failed = num("records_failed");
          r.batches_written = num("batches_written");
          r.bytes_written = s->report_complete ? 0 : r.bytes_delivered;
        } else {
          r.records_written = s->committed_records;
        }
        break;
      default:
        r.transform_secs += s->total_secs;
        break;
    }
  }
  return r;
}

}  // namespace rapidbyte::engine
