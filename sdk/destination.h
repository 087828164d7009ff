// Destination: a connector that writes streams (SPEC §4.4): Write, plus the frame loop's
// NextFrame, destination checkpoints and commit tokens (§5.5). Generate its exports with
// RB_DESTINATION (sdk/exports.h).
#pragma once

#include "sdk/connector.h"

namespace rapidbyte::sdk {

class Destination : public virtual Connector {
 public:
  /// rb_run_write: receive frames until the end; the value is the WriteSummary.
  virtual Outcome<Json> Write(const StreamContext& context) = 0;

 protected:
  /// True with a frame in `*buffer`, false at the end of the stream. UPSTREAM_FAILED and
  /// CANCELLED errors mean: roll back and return the error without committing.
  Outcome<bool> NextFrame(std::vector<std::uint8_t>* buffer) { return host::NextFrame(buffer); }
  /// A destination checkpoint (kind "dest"), sent after the data it covers is durable.
  Outcome<void> Checkpoint(const Json& checkpoint) {
    return host::Checkpoint(CheckpointKind::kDestination, connector_id(), stream_name(),
                            checkpoint);
  }
  Outcome<std::string> CommitToken() { return host::CommitToken(); }
  Outcome<bool> ReportCommit(std::string_view token) { return host::ReportCommit(token); }
};

}  // namespace rapidbyte::sdk
