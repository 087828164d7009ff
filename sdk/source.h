// Source: a connector that reads streams (SPEC §4.4): Discover and Read, plus frame
// emission and source checkpoints. Generate its exports with RB_SOURCE (sdk/exports.h).
#pragma once

#include "sdk/connector.h"

namespace rapidbyte::sdk {

class Source : public virtual Connector {
 public:
  /// rb_discover (no Open before it): a Catalog {"streams": [...]}. Default: no streams.
  virtual Outcome<Json> Discover(const Json& config);
  /// rb_run_read: emit the stream's frames; the value is the ReadSummary (SPEC §4.10;
  /// protocol::ReadSummary::ToJson, or an object with more fields).
  virtual Outcome<Json> Read(const StreamContext& context) = 0;

 protected:
  Outcome<void> EmitFrame(std::span<const std::uint8_t> frame) { return host::EmitFrame(frame); }
  /// A source checkpoint (a Checkpoint object with kind "source") for the current stream.
  Outcome<void> Checkpoint(const Json& checkpoint) {
    return host::Checkpoint(CheckpointKind::kSource, connector_id(), stream_name(), checkpoint);
  }
};

}  // namespace rapidbyte::sdk
