// Position: a stream's position, the one model the engine uses for it (SPEC §13.2). Where a
// stream stands is a typed value of one *kind* — `none` (full refresh) and `cursor` (§7.3:
// field, value, boundary) today, `lsn` (§14) and `partitions` (§15) later — with one
// interface: parse it (from a source checkpoint, a commit token, the stored state row),
// serialise it (into the state row, the connector's request, a commit token), order it
// ("is newer than") and show it (`rapidbyte state show`, the run's result).
//
// The kind is chosen in one place, MakePositionKind, from the stream's sync mode. The run,
// the attempt, checkpoint correlation, state persistence and `state show` only use this
// interface: adding a sync mode adds a kind (a file beside position_cursor.cc and a line in
// position.cc), not a branch in each of them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "config/pipeline.h"
#include "engine/core/checkpoint.h"
#include "state/state_backend.h"

#include "protocol/json.h"

namespace rapidbyte::engine {

/// When a position was stored: (run id, seq within that run's stream). Positions of one
/// stream are ordered by it: the commit protocol (SPEC §5.5) compares these stamps.
struct PositionStamp {
  std::int64_t run_id = 0;
  std::int64_t seq = 0;
  bool operator>(const PositionStamp& o) const {
    return std::make_pair(run_id, seq) > std::make_pair(o.run_id, o.seq);
  }
};

/// One stream position of some kind. Immutable once made; copy with Clone.
class Position {
 public:
  virtual ~Position() = default;

  /// "none", "cursor", ...
  virtual std::string_view kind() const = 0;
  /// False when nothing is stored yet: the stream starts from its beginning.
  virtual bool has_value() const = 0;
  virtual std::unique_ptr<Position> Clone() const = 0;

  /// Write the position's columns of the stream's state row (cursor_field, cursor_type,
  /// cursor_value, cursor_boundary) and its stamp (position_run_id, position_seq).
  virtual void Store(state::CursorRecord* row) const = 0;
  /// What the source is told where to start: the StreamContext's `cursor_info` (null for a
  /// kind without one).
  virtual protocol::Json Request() const = 0;
  /// The `position` of a commit token (SPEC §5.5): null for a kind without one.
  virtual protocol::Json Token() const = 0;
  /// The run result's `cursor` of the stream (SPEC §5.10): {"field", "value"} or null.
  virtual protocol::Json Result() const = 0;
  /// One line for people, the value in its column type: "cursor id (int64) = 5",
  /// "cursor updated_at (timestamp_micros) = 2026-12-07T03:47:26.278428Z", "no position stored".
  virtual std::string Describe() const = 0;
  /// The value alone, as people are told it in messages ("{\"int64\":5}"); "" without one.
  virtual std::string ValueText() const = 0;
  /// `state show --output json`: {"kind": ..., kind-specific fields}.
  virtual protocol::Json Show() const = 0;

  /// Whether this position supersedes `other` of the same stream. By default the later
  /// stored one (stamp order); a kind with ordered values may compare those instead.
  virtual bool IsNewerThan(const Position& other) const { return stamp > other.stamp; }

  PositionStamp stamp;
};

/// A stored row that does not fit the stream's configuration (say, a changed cursor field):
/// the stream fails before any attempt with this code and message.
struct PositionConflict {
  std::string code;
  std::string message;
};

/// The kind of position one stream uses, configured from its StreamSpec: the parsers.
class PositionKind {
 public:
  virtual ~PositionKind() = default;

  virtual std::string_view name() const = 0;
  /// Whether a run resumes from a stored position. A stream that never does starts over on
  /// each run, so a destination appending it writes one transaction (SPEC §2.3).
  virtual bool resumable() const = 0;

  /// The position stored in the stream's state row (has_value() false when none is).
  virtual std::unique_ptr<Position> FromRow(const state::CursorRecord& row) const = 0;
  /// The position a source checkpoint carries; null when it carries none.
  virtual std::unique_ptr<Position> FromCheckpoint(const SourceCheckpoint& checkpoint) const = 0;
  /// The position of a commit token read back from a destination (untrusted: typed
  /// lookups only), with the token's stamp; null when it carries none.
  virtual std::unique_ptr<Position> FromToken(const protocol::Json& position,
                                              PositionStamp stamp) const = 0;
  /// A stored row this stream cannot continue from, before any attempt.
  virtual std::optional<PositionConflict> CheckRow(const state::CursorRecord& row) const = 0;
};

/// The kind for `stream`, from its sync mode: the one place a sync mode picks a kind.
std::unique_ptr<PositionKind> MakePositionKind(const config::StreamSpec& stream);

/// The position a state row holds, for `state show` (which reads no stream configuration):
/// the first kind that recognises the row, else an empty `none` position.
std::unique_ptr<Position> PositionOfRow(const state::CursorRecord& row);

}  // namespace rapidbyte::engine
