// AttemptState: everything one stream attempt shares between its stage threads and its
// supervisor — the stages, the channels, the checkpoint tracker, the errors seen so far and
// the gate that holds the source back until the destination is ready (SPEC §4.4, §5.5).
// Owned through a shared_ptr so that a thread the supervisor had to abandon never touches
// freed memory.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/connector_state.h"
#include "engine/core/checkpoint_tracker.h"
#include "engine/frame_path.h"
#include "engine/stream_attempt.h"
#include "plugin/instance.h"
#include "protocol/json.h"

namespace rapidbyte::engine {

/// One stage of the attempt and what its thread found out.
struct Stage {
  plugin::HostContext::Role role = plugin::HostContext::Role::kNone;
  std::string label;  // "Source", "Destination", "Transform[0]"
  const StageConnector* connector = nullptr;
  std::shared_ptr<const plugin::Module> module;
  FramePath* input = nullptr;
  FramePath* output = nullptr;
  std::unique_ptr<ConnectorStateStore> state_store;
  std::unique_ptr<plugin::EngineLink> link;  // what the instance's host functions call

  // Set by the stage's thread before it reports done.
  bool ok = false;
  protocol::Json summary;  // the run call's summary, null when it failed
  bool report_complete = false;
  double vm_setup_secs = 0, run_secs = 0, total_secs = 0, wait_secs = 0;

  // The live instance, for ForceStop from the supervisor.
  std::mutex instance_mu;
  plugin::Instance* instance = nullptr;

  // Coverage marks of a transform (SPEC §5.5) and a destination's committed rows.
  std::atomic<std::uint64_t> last_received_src{0};
  std::atomic<std::uint64_t> finished_src{0};
  std::atomic<std::uint64_t> committed_records{0};
  std::atomic<std::uint64_t> checkpoints{0};
};

class AttemptState {
 public:
  AttemptState(const RunEnv& env, const config::StreamSpec& stream, int attempt,
               StreamPosition* position, StreamLive* live);

  const RunEnv& env;
  const config::StreamSpec& stream;
  const std::string name;
  const int attempt;
  StreamPosition* const position;
  StreamLive* const live;
  std::shared_ptr<plugin::CancellationToken> cancel;
  std::vector<std::unique_ptr<FramePath>> paths;  // paths[0] carries the source's frames
  std::vector<std::unique_ptr<Stage>> stages;     // source, transforms..., destination
  CheckpointTracker tracker;
  std::atomic<bool> dest_exactly_once{false};

  // Supervisor state, under mu.
  std::mutex mu;
  std::condition_variable changed;
  std::size_t done_count = 0;
  bool any_failure = false;
  bool cancelled_by_run = false;

  /// Record a stage's error (any thread). A non-consequence wakes the supervisor.
  void RecordError(const Stage& stage, protocol::ConnectorError error, bool host_side,
                   bool consequence);
  /// The stage's thread has finished.
  void StageDone();
  /// The destination is ready (first next_batch or report_commit); `complete`: the stream
  /// already completed in this run and the source must not run.
  void OpenSourceGate(bool complete);
  /// Source side: wait for the gate. False when the attempt was cancelled or the stream is
  /// already complete (then *complete is set).
  bool WaitSourceGate(bool* complete);
  void CancelAttempt();
  void ForceStopAll();
  AttemptResult Finish();

  /// The host context of `stage`; its engine link (stage.link) is created here.
  plugin::HostContext MakeHostContext(Stage& stage);
  /// The CursorInfo JSON for the source (null unless incremental).
  protocol::Json CursorInfo();

 private:
  friend class StageLink;
  Status OnCheckpoint(Stage& stage, int kind, const protocol::Json& doc);
  Status OnMetric(Stage& stage, const protocol::Json& doc);
  Result<std::string> OnCommitToken(Stage& stage);
  Result<bool> OnReportCommit(const std::string& token_json);
  /// Persist a source checkpoint's position (incremental streams), seq from a commit token
  /// when there is one.
  Status Persist(const SourceCheckpoint& checkpoint, std::optional<std::uint64_t> token_seq);
  void SyncDestEndOfStream(Stage& stage);

  std::atomic<std::uint64_t> order_{0};
  std::mutex errors_mu_;
  std::vector<StageError> errors_;
  // Source gate, under mu.
  bool gate_open_ = false;
  bool stream_complete_ = false;
};

/// The engine as one stage's instance sees it (plugin::EngineLink): sequence numbers,
/// compression and coverage on the frame path, checkpoint correlation, metrics, and for the
/// destination the source gate and the commit protocol.
class StageLink final : public plugin::EngineLink {
 public:
  StageLink(AttemptState& attempt, Stage& stage) : attempt_(attempt), stage_(stage) {}

  Status OnEmit(plugin::Frame* frame) override;
  Status OnReceive(plugin::Frame* frame) override;
  void OnFirstInput() override;
  Status Checkpoint(int kind, const protocol::Json& doc) override;
  Status Metric(const protocol::Json& doc) override;
  Result<std::string> CommitToken() override;
  Result<bool> ReportCommit(const std::string& token_json) override;

 private:
  bool IsDestination() const { return stage_.role == plugin::HostContext::Role::kDestination; }

  AttemptState& attempt_;
  Stage& stage_;
};

/// The error a failed host-side Status stands for (HostErrorDetail category and code).
protocol::ConnectorError ErrorFromStatus(const Status& status);

}  // namespace rapidbyte::engine
