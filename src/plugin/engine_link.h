// EngineLink: the one interface through which the host functions of an instance reach the
// engine (SPEC §13.2) — frames on the batch path, checkpoints, metrics and the commit
// protocol. The engine implements it once per stage of an attempt (engine::StageLink); tests
// implement what they need. Every method has a default, so an instance without an engine
// (a one-shot `check` or `discover` call, a plugin-host test) behaves sensibly: frames pass
// unchanged, metrics are dropped, checkpoints and commit tokens are refused.
//
// Called on the instance's thread while the guest is paused in a host function.
#pragma once

#include <string>

#include "base/result.h"
#include "plugin/frame_channel.h"
#include "protocol/json.h"

namespace rapidbyte::plugin {

class EngineLink {
 public:
  virtual ~EngineLink() = default;

  /// Check a frame from rb_host_emit_batch before anything else sees it (IPC framing,
  /// schema). A failure fails the call with the Status's HostErrorDetail (else INVALID_IPC).
  virtual Status ValidateFrame(const Frame& frame);
  /// After the checks of emit, before the frame is queued (sequence numbers, compression).
  virtual Status OnEmit(Frame* frame);
  /// Exactly once per frame taken from the input, before the guest sees it (decompression,
  /// coverage).
  virtual Status OnReceive(Frame* frame);
  /// The first rb_host_next_batch or rb_host_report_commit of a consumer: the upstream
  /// source may start (SPEC §4.4).
  virtual void OnFirstInput();

  /// A checkpoint of `kind` (RB_CHECKPOINT_*), parsed once by the host function (within the
  /// limits of protocol::ParseJson).
  virtual Status Checkpoint(int kind, const protocol::Json& doc);
  /// A metric document, parsed and checked for shape and size by the host function.
  virtual Status Metric(const protocol::Json& doc);

  /// Commit protocol (SPEC §5.5): the token covering everything received so far (may block,
  /// honouring cancellation: a Cancelled status maps to RB_CANCELLED).
  virtual Result<std::string> CommitToken();
  /// The token from the destination's commit record (empty: none); true when the stream is
  /// already complete.
  virtual Result<bool> ReportCommit(const std::string& token_json);
  /// For sources: the stream's committed position as JSON text ("null" when none), the one a
  /// destination has durably committed. A cdc source confirms no more than this to its
  /// server (SPEC §14.3).
  virtual Result<std::string> CommittedPosition();

  /// The link of an instance without an engine: every default above.
  static EngineLink* None();
};

}  // namespace rapidbyte::plugin
