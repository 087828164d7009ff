// The destination session: frame loop, checkpoint timing, commit tokens, error states.
#include "sdk/write_session.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "arrow/ipc/reader.h"
#include "sdk/errors.h"

namespace rapidbyte::sdk {
namespace {

std::string Secs(double s) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3f", s);
  return buf;
}

// Frames come from another stage: decode with full validation; bad content is INVALID_IPC.
Outcome<arrow::ipc::StreamReader> OpenFrame(std::span<const std::uint8_t> frame) {
  auto reader = arrow::ipc::StreamReader::Open(frame, {arrow::ipc::Validation::kFull});
  if (!reader.ok()) {
    return InternalError("INVALID_IPC", "invalid frame from upstream: " + reader.status().message());
  }
  return std::move(*reader);
}

}  // namespace

WriteSession::WriteSession(const Destination& destination, const StreamContext& context,
                           WriteTarget& target)
    : connector_id_(destination.connector_id()), context_(context), target_(target) {}

Outcome<protocol::WriteSummary> WriteSession::Run() {
  clock_.Start();
  Outcome<void> run = RunFrames();
  if (run.ok()) {
    if (already_complete_) return protocol::WriteSummary{};
    summary_.perf = protocol::WritePerf{connect_timer_.seconds(), flush_timer_.seconds(),
                                        commit_timer_.seconds()};
    const std::string how = target_.Describe();
    host::Log(LogLevel::kInfo, "flushed " + std::to_string(summary_.records_written) +
                                   " rows in " + std::to_string(summary_.batches_written) +
                                   " batches" + (how.empty() ? "" : " " + how) + " (flush=" +
                                   Secs(summary_.perf->flush_secs) + "s commit=" +
                                   Secs(summary_.perf->commit_secs) + "s)");
    return summary_;
  }
  target_.Abort();
  ConnectorError error = run.error();
  error.message = "stream " + context_.stream_name() + ": " + error.message;
  if (error.commit_state != protocol::CommitState::kAfterCommitUnknown) {
    error.WithCommitState(just_committed_ ? protocol::CommitState::kAfterCommitConfirmed
                                          : protocol::CommitState::kBeforeCommit);
  }
  return error;
}

Outcome<void> WriteSession::RunFrames() {
  {
    ScopedPerf timed(&connect_timer_);
    RB_TRY(target_.Start());
  }
  Outcome<std::optional<std::string>> stored = target_.ReadCommitToken();
  if (!stored.ok()) return stored.error();
  Outcome<bool> complete = host::ReportCommit(stored->value_or(""));
  if (!complete.ok()) return complete.error();
  if (*complete) {
    already_complete_ = true;
    host::Log(LogLevel::kInfo, "stream " + context_.stream_name() +
                                   " was already completed by an earlier commit of this run; "
                                   "nothing to write");
    return {};
  }
  {
    ScopedPerf timed(&connect_timer_);
    RB_TRY(target_.Prefetch());
  }
  std::vector<std::uint8_t> frame;
  for (bool first = true;; first = false) {
    Outcome<bool> more = host::NextFrame(&frame);
    if (!more.ok()) {
      if (more.error().code == "UPSTREAM_FAILED") {
        return InternalError("UPSTREAM_FAILED",
                             "upstream stage failed; rolled back without committing");
      }
      if (more.error().category == ErrorCategory::kCancelled) {
        return CancelledError("run cancelled; rolled back without committing");
      }
      return more.error();
    }
    if (!*more) {
      ScopedPerf timed(&commit_timer_);
      if (first) {
        host::Log(LogLevel::kWarn, "stream " + context_.stream_name() +
                                       " ended without any frame; no table changes");
        RB_TRY(target_.Begin(nullptr));
      }
      return Commit(/*final=*/true);
    }
    RB_TRY(WriteFrame(frame, first));
    RB_TRY(MaybeCommit());
  }
}

Outcome<void> WriteSession::WriteFrame(std::span<const std::uint8_t> frame, bool first) {
  ScopedPerf timed(&flush_timer_);
  just_committed_ = false;
  Outcome<arrow::ipc::StreamReader> reader = OpenFrame(frame);
  if (!reader.ok()) return reader.error();
  const arrow::Schema& schema = *reader->schema();
  if (first) {
    if (Status st = schema.Validate(); !st.ok()) {
      return InternalError("INVALID_IPC", "invalid schema from upstream: " + st.message());
    }
    schema_ = schema;
    RB_TRY(target_.Begin(&*schema_));
    last_commit_secs_ = clock_.seconds();
  } else if (!(schema == *schema_)) {
    return InternalError("SCHEMA_MISMATCH", "a frame's schema differs from the stream's first frame");
  }
  // The batches are views into `frame`, which outlives the Append.
  std::vector<arrow::RecordBatch> batches;
  std::uint64_t rows = 0;
  while (true) {
    arrow::RecordBatch batch;
    Result<bool> next = reader->Next(&batch);
    if (!next.ok()) {
      return InternalError("INVALID_IPC", "invalid frame from upstream: " + next.status().message());
    }
    if (!*next) break;
    rows += static_cast<std::uint64_t>(batch.num_rows());
    batches.push_back(std::move(batch));
  }
  Outcome<std::uint64_t> failed = target_.Append(batches);
  if (!failed.ok()) return failed.error();
  summary_.records_written += rows - *failed;
  summary_.records_failed += *failed;
  summary_.bytes_written += frame.size();
  summary_.batches_written += 1;
  Count("records_written", summary_.records_written);
  Count("bytes_written", summary_.bytes_written);
  Count("batches_written", summary_.batches_written);
  if (summary_.records_failed > 0) Count("records_failed", summary_.records_failed);
  return {};
}

Outcome<void> WriteSession::MaybeCommit() {
  const StreamLimits& limits = context_.limits();
  const std::uint64_t rows =
      summary_.records_written - std::max(committed_records_, deferred_records_);
  const std::uint64_t bytes = summary_.bytes_written - std::max(committed_bytes_, deferred_bytes_);
  const auto reached = [](std::int64_t limit, std::uint64_t value) {
    return limit > 0 && value >= static_cast<std::uint64_t>(limit);
  };
  const bool due = reached(limits.checkpoint_interval_bytes, bytes) ||
                   reached(limits.checkpoint_interval_rows, rows) ||
                   (limits.checkpoint_interval_seconds > 0 &&
                    clock_.seconds() - last_commit_secs_ >=
                        static_cast<double>(limits.checkpoint_interval_seconds));
  if (!due) return {};
  ScopedPerf timed(&flush_timer_);
  return Commit(/*final=*/false);
}

Outcome<void> WriteSession::Commit(bool final) {
  Outcome<std::string> token = host::CommitToken();
  if (!token.ok()) return token.error();
  std::optional<protocol::Json> token_json = protocol::ParseJson(*token);
  if (!token_json || !token_json->is_object()) {
    return InternalError("INVALID_COMMIT_TOKEN", "the host's commit token is not a JSON object");
  }
  // A cdc stream commits its snapshot once (SPEC §14.2): until the source has a position
  // (its snapshot is complete) a commit could only keep rows that a rerun snapshots again:
  // duplicates in a change log, and in a mirror rows whose deletes the new snapshot never
  // sends.
  const protocol::Json* position = protocol::GetMember(*token_json, "position");
  if (!final && context_.sync_mode() == SyncMode::kCdc &&
      (position == nullptr || position->is_null())) {
    deferred_records_ = summary_.records_written;  // the next interval counts from here
    deferred_bytes_ = summary_.bytes_written;
    last_commit_secs_ = clock_.seconds();
    return {};
  }
  RB_TRY(target_.Commit(CommitRecord{*token, summary_.records_written, summary_.bytes_written,
                                     final}));
  just_committed_ = true;
  committed_records_ = summary_.records_written;
  committed_bytes_ = summary_.bytes_written;
  last_commit_secs_ = clock_.seconds();
  const protocol::Json checkpoint = {{"id", ++checkpoint_id_},
                                     {"kind", "dest"},
                                     {"stream", context_.stream_name()},
                                     {"cursor_field", nullptr},
                                     {"cursor_value", nullptr},
                                     {"cursor_boundary", nullptr},
                                     {"commit_token", *token_json},
                                     {"records_processed", committed_records_},
                                     {"bytes_processed", committed_bytes_}};
  RB_TRY(host::Checkpoint(CheckpointKind::kDestination, connector_id_, context_.stream_name(),
                          checkpoint));
  summary_.checkpoint_count += 1;
  Count("checkpoint_count", summary_.checkpoint_count);
  return {};
}

void WriteSession::Count(const char* name, std::uint64_t value) {
  host::Counter(connector_id_, context_.stream_name(), name, static_cast<std::int64_t>(value));
}

}  // namespace rapidbyte::sdk
