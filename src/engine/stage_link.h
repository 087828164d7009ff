// StageLink: the engine as one stage's instance sees it — the plugin::EngineLink the host
// functions call, and the only way the plugin layer reaches the engine (SPEC §13.2). It
// routes each call to the piece of the attempt that owns it: sequence numbers, compression
// and coverage to the stage's FramePaths, checkpoints and commit tokens to the
// PositionKeeper, the destination's first input to the SourceGate, metrics to StreamLive,
// and every host-detected problem to the error record.
#pragma once

#include <string>

#include "engine/attempt_state.h"

namespace rapidbyte::engine {

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
  Result<std::string> CommittedPosition() override;

 private:
  Status OnSourceCheckpoint(const protocol::Json& doc);
  Status OnDestinationCheckpoint(const protocol::Json& body);
  /// The destination's instance has taken end-of-stream: tell the tracker.
  void SyncEndOfStream();

  AttemptState& attempt_;
  Stage& stage_;
};

}  // namespace rapidbyte::engine
