// The engine link of one stage: frames, the source gate and the commit protocol (SPEC
// §5.3-5.5). Checkpoints and metrics are in stage_link_reports.cc.
#include "engine/stage_link.h"

namespace rapidbyte::engine {

using plugin::HostContext;

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
  if (stage_.is_source()) {
    attempt_.positions.tracker.OnSourceFrame(info.seq);
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
  if (stage_.is_destination()) {
    attempt_.positions.tracker.OnDestReceived(info.src_seq);
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
  if (stage_.is_destination()) attempt_.gate.Open(false);
}

void StageLink::SyncEndOfStream() {
  if (stage_.SawEndOfStream()) attempt_.positions.tracker.OnDestEndOfStream();
}

Result<std::string> StageLink::CommitToken() {
  if (!stage_.is_destination()) return EngineLink::CommitToken();
  SyncEndOfStream();
  return attempt_.positions.CommitToken(*attempt_.cancel);
}

Result<bool> StageLink::ReportCommit(const std::string& token_json) {
  if (!stage_.is_destination()) return EngineLink::ReportCommit(token_json);
  RB_ASSIGN_OR_RETURN(const bool complete, attempt_.positions.ReportCommit(token_json));
  if (complete) attempt_.gate.Open(true);  // the source must not run (SPEC §5.5)
  return complete;
}

Result<std::string> StageLink::CommittedPosition() {
  if (!stage_.is_source()) return EngineLink::CommittedPosition();
  return attempt_.positions.Committed();
}

}  // namespace rapidbyte::engine
