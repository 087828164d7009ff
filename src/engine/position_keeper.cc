// Checkpoint correlation and position persistence (SPEC §5.5).
#include "engine/position_keeper.h"

#include "base/log.h"
#include "plugin/host_error.h"

namespace rapidbyte::engine {

protocol::Json PositionKeeper::Request() const {
  std::lock_guard<std::mutex> lock(position_->mu);
  return position_->Stored()->Request();
}

Status PositionKeeper::OnSourceCheckpoint(SourceCheckpoint checkpoint) {
  auto covered = tracker.OnSourceCheckpoint(std::move(checkpoint));
  if (covered) return Persist(*covered, std::nullopt);
  return Status::OK();
}

Status PositionKeeper::OnDestCheckpoint(std::optional<std::uint64_t> token_seq) {
  auto confirmed = tracker.OnDestCheckpoint();
  if (confirmed) return Persist(*confirmed, token_seq);
  return Status::OK();
}

Status PositionKeeper::Persist(const SourceCheckpoint& checkpoint,
                               std::optional<std::uint64_t> token_seq) {
  std::unique_ptr<Position> next = position_->kind->FromCheckpoint(checkpoint);
  if (!next) return Status::OK();
  std::lock_guard<std::mutex> lock(position_->mu);
  next->stamp = {env_.run_id,
                 static_cast<std::int64_t>(token_seq ? *token_seq : ++position_->token_seq)};
  if (token_seq && *token_seq > position_->token_seq) position_->token_seq = *token_seq;
  Status st = Save(*next);
  if (!st.ok()) {
    return plugin::HostError(
        StatusCode::kUnavailable, protocol::ErrorCategory::kInternal, "STATE_BACKEND",
        "could not store the position of stream " + stream_ + ": " + st.message());
  }
  Log(LogLevel::kDebug, "position stored", {{"stream", stream_}, {"position", next->Describe()}});
  return Status::OK();
}

Status PositionKeeper::Save(const Position& position) {
  state::CursorRecord record = position_->row;
  position.Store(&record);
  RB_RETURN_NOT_OK(env_.state->SaveCursor(record));
  position_->row = record;
  return Status::OK();
}

}  // namespace rapidbyte::engine
