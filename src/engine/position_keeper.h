// PositionKeeper: checkpoint correlation and position persistence of one stream attempt
// (SPEC §5.5). It owns the attempt's CheckpointTracker, persists the newest source
// checkpoint a destination checkpoint confirms (before the host call returns), mints commit
// tokens and adopts the position a destination reports as committed. Positions go through
// the stream's PositionKind only: nothing here depends on the sync mode.
// Apart from the rest of the attempt because it is the only piece that writes the stream's
// stored position; everything it shares with the other attempts is in StreamPosition.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/core/checkpoint_tracker.h"
#include "engine/stream_attempt.h"
#include "plugin/cancellation.h"

namespace rapidbyte::engine {

class PositionKeeper {
 public:
  PositionKeeper(const RunEnv& env, std::string stream, StreamPosition* position)
      : env_(env), stream_(std::move(stream)), position_(position) {}

  CheckpointTracker tracker;

  /// What the source is told about where to start (the StreamContext's cursor_info).
  protocol::Json Request() const;
  /// Whether the stream's kind of position lets a run resume (position.h).
  bool resumable() const { return position_->kind->resumable(); }
  /// A source checkpoint; persisted at once when a destination checkpoint already covers it.
  Status OnSourceCheckpoint(SourceCheckpoint checkpoint);
  /// A destination checkpoint: persist the newest source checkpoint it covers. `token_seq`:
  /// the seq of the commit token it carries.
  Status OnDestCheckpoint(std::optional<std::uint64_t> token_seq);
  /// `rb_host_commit_token`: waits (cancellably) until the source has said what follows the
  /// last covered frame, then the token's JSON text.
  Result<std::string> CommitToken(const plugin::CancellationToken& cancel);
  /// `rb_host_report_commit`: adopt a newer committed position. True when the token is the
  /// final one of this run: the stream is complete and the source must not run.
  Result<bool> ReportCommit(const std::string& token_json);
  /// `rb_host_committed_position`: the stored position's token JSON ("null" when none). It
  /// is stored only once a destination commit covers it, so it never runs ahead of the
  /// destination.
  std::string Committed() const;

 private:
  /// Persist `checkpoint`'s position, if it carries one; its seq is the commit token's when
  /// there is one, else the next of this run.
  Status Persist(const SourceCheckpoint& checkpoint, std::optional<std::uint64_t> token_seq);
  /// Store `position` in the stream's row (under position_->mu).
  Status Save(const Position& position);

  const RunEnv& env_;
  const std::string stream_;
  StreamPosition* const position_;
};

}  // namespace rapidbyte::engine
