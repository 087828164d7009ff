// Transform: a connector between source and destination (SPEC §4.4, §5.5): Transform reads
// frames with NextFrame and emits its own, finishing each input frame before asking for the
// next. Process does the work. Generate its exports with RB_TRANSFORM (sdk/exports.h).
#pragma once

#include "sdk/connector.h"

namespace rapidbyte::sdk {

class Transform : public virtual Connector {
 public:
  /// rb_run_transform: the value is the TransformSummary. (Not named Transform: that is
  /// the class.)
  virtual Outcome<Json> Process(const StreamContext& context) = 0;

 protected:
  Outcome<bool> NextFrame(std::vector<std::uint8_t>* buffer) { return host::NextFrame(buffer); }
  Outcome<void> EmitFrame(std::span<const std::uint8_t> frame) { return host::EmitFrame(frame); }
  Outcome<void> Checkpoint(const Json& checkpoint) {
    return host::Checkpoint(CheckpointKind::kTransform, connector_id(), stream_name(), checkpoint);
  }
};

}  // namespace rapidbyte::sdk
