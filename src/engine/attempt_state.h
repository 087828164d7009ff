// AttemptState: one stream attempt, put together from pieces with one job each, shared by
// its stage threads and its supervisor (SPEC §4.4, §5.2-5.6):
//   stages and frame paths   the connectors of the attempt and the channels between them
//   AttemptSupervisor        when to cancel the attempt and force-stop its connectors
//   AttemptErrors            every error in order, and the root cause
//   SourceGate               holds the source until the destination is ready
//   PositionKeeper           checkpoint correlation, position persistence, commit tokens
//   StageLink                what one stage's host functions call (plugin::EngineLink)
// Owned through a shared_ptr so that a thread the supervisor had to abandon never touches
// freed memory.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "engine/attempt_errors.h"
#include "engine/attempt_supervisor.h"
#include "engine/position_keeper.h"
#include "engine/source_gate.h"
#include "engine/stage.h"
#include "engine/stream_attempt.h"

namespace rapidbyte::engine {

class AttemptState {
 public:
  AttemptState(const RunEnv& env, const config::StreamSpec& stream, int attempt,
               StreamPosition* position, StreamLive* live);

  const RunEnv& env;
  const config::StreamSpec& stream;
  const std::string name;
  const int attempt;
  StreamLive* const live;
  std::shared_ptr<plugin::CancellationToken> cancel;
  std::vector<std::unique_ptr<FramePath>> paths;  // paths[0] carries the source's frames
  std::vector<std::unique_ptr<Stage>> stages;     // source, transforms..., destination
  std::atomic<bool> dest_exactly_once{false};

  AttemptSupervisor supervisor;
  AttemptErrors errors;
  SourceGate gate;
  PositionKeeper positions;

  /// Record a stage's error (any thread). A non-consequence makes the supervisor cancel.
  void RecordError(const Stage& stage, protocol::ConnectorError error, bool host_side,
                   bool consequence);
  /// Cancel the attempt: stages see -3, waiters (gate, commit tokens) wake.
  void CancelAttempt();
  void ForceStopAll();
  /// Run the stage threads under the supervisor until they are done; the result.
  AttemptResult Run(const std::shared_ptr<AttemptState>& self);

  /// The host context of `stage`; its engine link (stage.link) is created here.
  plugin::HostContext MakeHostContext(Stage& stage);

 private:
  void AddStage(plugin::HostContext::Role role, std::string label, const StageConnector* connector,
                std::shared_ptr<const plugin::Module> module);
  AttemptResult Finish();
};

/// The error a failed host-side Status stands for (HostErrorDetail category and code).
protocol::ConnectorError ErrorFromStatus(const Status& status);

}  // namespace rapidbyte::engine
