// The defaults of EngineLink: what an instance without an engine gets.
#include "plugin/engine_link.h"

#include "plugin/host_error.h"

namespace rapidbyte::plugin {

Status EngineLink::ValidateFrame(const Frame&) { return Status::OK(); }
Status EngineLink::OnEmit(Frame*) { return Status::OK(); }
Status EngineLink::OnReceive(Frame*) { return Status::OK(); }
void EngineLink::OnFirstInput() {}

Status EngineLink::Checkpoint(int, const protocol::Json&) {
  return HostError(StatusCode::kFailedPrecondition, protocol::ErrorCategory::kInternal,
                   "INVALID_CHECKPOINT", "checkpoints are not accepted here");
}

Status EngineLink::Metric(const protocol::Json&) { return Status::OK(); }

Result<std::string> EngineLink::CommitToken() {
  return HostError(StatusCode::kFailedPrecondition, protocol::ErrorCategory::kInternal,
                   "UNSUPPORTED", "commit tokens are only available during a run");
}

Result<bool> EngineLink::ReportCommit(const std::string&) {
  return HostError(StatusCode::kFailedPrecondition, protocol::ErrorCategory::kInternal,
                   "UNSUPPORTED", "commit reports are only available during a run");
}

Result<std::string> EngineLink::CommittedPosition() {
  return HostError(StatusCode::kFailedPrecondition, protocol::ErrorCategory::kInternal,
                   "UNSUPPORTED", "committed positions are only available during a run");
}

EngineLink* EngineLink::None() {
  static EngineLink none;  // stateless: shared by every instance without an engine
  return &none;
}

}  // namespace rapidbyte::plugin
