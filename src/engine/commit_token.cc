// Commit tokens (SPEC §5.5): minting one for an exactly-once destination, and adopting the
// position of the token a destination reports from its commit record.
#include "base/log.h"
#include "engine/position_keeper.h"
#include "plugin/host_error.h"

namespace rapidbyte::engine {

using protocol::Json;

Result<std::string> PositionKeeper::CommitToken(const plugin::CancellationToken& cancel) {
  if (!tracker.dest_end_of_stream()) {
    // The position must end exactly at the last covered frame: wait until the source says
    // what follows it (SPEC §5.5).
    const auto waited = tracker.WaitForSourceAfter(tracker.last_received_src_seq(),
                                                   [&cancel] { return cancel.cancelled(); });
    if (waited != CheckpointTracker::WaitResult::kReady)
      return Status::Cancelled("attempt cancelled");
  }
  const auto covered = tracker.CoveredPosition();
  std::unique_ptr<Position> position;
  if (covered) position = position_->kind->FromCheckpoint(*covered);
  std::lock_guard<std::mutex> lock(position_->mu);
  Json token = {{"state_id", position_->row.state_id},
                {"run_id", env_.run_id},
                {"seq", ++position_->token_seq},
                {"stream", stream_},
                {"position", position ? position->Token() : Json()},
                {"final", tracker.dest_end_of_stream()}};
  return token.dump();
}

Result<bool> PositionKeeper::ReportCommit(const std::string& token_json) {
  if (token_json.empty()) return false;
  // The token comes back from the destination (its commit record): untrusted, so every field
  // is read with a typed lookup that cannot throw on a field of the wrong type.
  std::string why = "not a JSON object";
  const std::optional<Json> parsed = protocol::ParseJson(token_json, &why);
  if (!parsed || !parsed->is_object()) {
    return plugin::HostError(StatusCode::kInvalidArgument, protocol::ErrorCategory::kInternal,
                             "INVALID_COMMIT_TOKEN", "the reported commit token is " + why);
  }
  const Json& token = *parsed;
  std::string token_state_id;
  std::string token_stream;
  protocol::GetString(token, "state_id", &token_state_id);
  protocol::GetString(token, "stream", &token_stream);
  std::lock_guard<std::mutex> lock(position_->mu);
  if (token_state_id != position_->row.state_id || token_stream != stream_) {
    Log(LogLevel::kInfo, "ignoring a commit record from before a state reset",
        {{"stream", stream_}});
    return false;
  }
  PositionStamp stamp;
  protocol::GetInt(token, "run_id", &stamp.run_id);
  protocol::GetInt(token, "seq", &stamp.seq);
  // In replace mode a rerun rewrites the whole table: only `final` counts (SPEC §5.5).
  const bool replace = env_.pipeline->destination->write_mode == config::WriteMode::kReplace;
  const Json* member = protocol::GetMember(token, "position");
  std::unique_ptr<Position> committed =
      position_->kind->FromToken(member != nullptr ? *member : Json(), stamp);
  if (!replace && committed && committed->IsNewerThan(*position_->Stored())) {
    Status st = Save(*committed);
    if (!st.ok()) {
      return plugin::HostError(StatusCode::kUnavailable, protocol::ErrorCategory::kInternal,
                               "STATE_BACKEND", st.message());
    }
    Log(LogLevel::kInfo, "adopted the destination's committed position",
        {{"stream", stream_}, {"position", committed->Describe()}});
  }
  if (stamp.run_id == env_.run_id && static_cast<std::uint64_t>(stamp.seq) > position_->token_seq) {
    position_->token_seq = static_cast<std::uint64_t>(stamp.seq);
  }
  bool final_token = false;
  protocol::GetBool(token, "final", &final_token);
  return final_token && stamp.run_id == env_.run_id;
}

std::string PositionKeeper::Committed() const {
  std::lock_guard<std::mutex> lock(position_->mu);
  return position_->Stored()->Token().dump();
}

}  // namespace rapidbyte::engine
