// WriteSession: the part of every destination that is not about the store (SPEC §4.4, §5.5,
// §8.2, §8.5). It owns the frame loop (NextFrame, full IPC validation, one schema per
// stream), checkpoint timing (checkpoint_interval_bytes / _rows / _seconds), commit tokens
// (read the commit record, report it, stop when the stream already completed in this run,
// mint a token for every commit, send the destination checkpoint after it), the rules for an
// upstream failure and a cancellation (roll back, never commit), the commit state of every
// error, the standard counters and the WriteSummary.
//
// A destination implements WriteTarget: begin / append / commit / abort and the storage of
// its commit record. Destination::Write then is:
//
//   MyTarget target(config(), context);
//   return sdk::WriteSession(*this, context, target).Run();
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "arrow/record_batch.h"
#include "arrow/schema.h"
#include "protocol/messages.h"
#include "sdk/destination.h"
#include "sdk/perf_timer.h"

namespace rapidbyte::sdk {

/// What one commit makes durable, to be stored with the data in the same transaction.
struct CommitRecord {
  std::string token;           ///< the host's commit token (a JSON object's text)
  std::uint64_t records = 0;   ///< rows written by this stream so far in this attempt
  std::uint64_t bytes = 0;     ///< frame bytes received so far
  bool final = false;          ///< the end of the stream (the last commit)
};

class WriteTarget {
 public:
  virtual ~WriteTarget() = default;
  /// Connect or open; before every other call. Timed as connect_secs.
  virtual Outcome<void> Start() { return {}; }
  /// The token of this stream's last commit record in the store, or nullopt when none.
  virtual Outcome<std::optional<std::string>> ReadCommitToken() = 0;
  /// When the stream is to be written, before its first frame: work that depends neither on
  /// the commit token nor on the frames' schema (create a schema, warm the server's
  /// caches). It runs while the source starts, since the host holds the source back only
  /// until the commit token is reported. Timed as connect_secs.
  virtual Outcome<void> Prefetch() { return {}; }
  /// Before the first Append: prepare the target for `schema` and open a transaction.
  /// `schema` is null when the stream ended without any frame (there is nothing to create,
  /// but the commit record is still written).
  virtual Outcome<void> Begin(const arrow::Schema* schema) = 0;
  /// Write one frame's batches (views valid during the call); returns the rows that
  /// on_data_error took out (skipped or dead-lettered) instead of failing.
  virtual Outcome<std::uint64_t> Append(std::span<const arrow::RecordBatch> batches) = 0;
  /// Make everything appended durable together with `record`, atomically. When the outcome
  /// is unknown (the connection broke during COMMIT) return an error with commit_state
  /// after_commit_unknown. Unless record.final, more Appends follow (in a new transaction,
  /// which the target opens when the next Append comes).
  virtual Outcome<void> Commit(const CommitRecord& record) = 0;
  /// Roll back whatever is not committed; after any failure. Must not fail.
  virtual void Abort() = 0;
  /// For the closing log line, e.g. "via copy".
  virtual std::string Describe() const { return ""; }
};

class WriteSession {
 public:
  WriteSession(const Destination& destination, const StreamContext& context,
               WriteTarget& target);

  /// Run the stream to its end. Every error carries its commit state and the stream name.
  Outcome<protocol::WriteSummary> Run();

 private:
  Outcome<void> RunFrames();
  Outcome<void> WriteFrame(std::span<const std::uint8_t> frame, bool first);
  Outcome<void> MaybeCommit();
  Outcome<void> Commit(bool final);
  void Count(const char* name, std::uint64_t value);

  std::string connector_id_;
  const StreamContext& context_;
  WriteTarget& target_;
  bool already_complete_ = false;
  /// The last commit succeeded and nothing was written since: a later failure leaves the
  /// data committed (after_commit_confirmed).
  bool just_committed_ = false;
  std::optional<arrow::Schema> schema_;
  protocol::WriteSummary summary_;
  std::uint64_t committed_records_ = 0, committed_bytes_ = 0, checkpoint_id_ = 0;
  // Where a cdc stream last put off a commit during its snapshot (Commit).
  std::uint64_t deferred_records_ = 0, deferred_bytes_ = 0;
  double last_commit_secs_ = 0;  // on clock_
  PerfTimer clock_, connect_timer_, flush_timer_, commit_timer_;
};

}  // namespace rapidbyte::sdk
