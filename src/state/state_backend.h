// StateBackend: where a pipeline's runs, stream cursors and connector key/value state live
// (SPEC §6). One interface, two backends with the same schema and behaviour: SQLite (the
// embedded default, one file, WAL) and PostgreSQL (the host's own session, tables in
// `state.schema`). Host only.
//
// Thread-safe: the engine's stream threads share one backend. Every write is durable when
// the call returns (SPEC §6.1).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "config/pipeline.h"

namespace rapidbyte::state {

/// Highest schema version this binary knows (rb_meta key "schema_version").
inline constexpr int kSchemaVersion = 1;

enum class RunStatus { kRunning, kCompleted, kFailed, kCancelled, kInterrupted };
enum class StreamStatus { kRunning, kCompleted, kFailed, kCancelled, kNotStarted };
std::string_view RunStatusName(RunStatus s);      // "running", ...
std::string_view StreamStatusName(StreamStatus s);  // "running", ..., "not_started"
Result<RunStatus> ParseRunStatus(std::string_view text);

/// The six record/byte counters of a run or a stream.
struct Counters {
  std::int64_t records_read = 0;
  std::int64_t records_written = 0;
  std::int64_t records_skipped = 0;
  std::int64_t records_failed = 0;
  std::int64_t bytes_read = 0;
  std::int64_t bytes_written = 0;
};

/// A row of sync_runs.
struct RunRecord {
  std::int64_t id = 0;
  std::string pipeline;
  RunStatus status = RunStatus::kRunning;
  std::string started_at;   // ISO-8601 UTC, e.g. 2026-03-01T10:00:00Z
  std::string finished_at;  // empty while running
  Counters counters;
  std::int64_t retries = 0;
  std::string error_message;  // redacted by the caller; empty when none
  std::string hostname;
  std::int64_t pid = 0;
  std::string rapidbyte_version;
};

/// A row of sync_run_streams.
struct RunStreamRecord {
  std::int64_t run_id = 0;
  std::string stream;
  StreamStatus status = StreamStatus::kRunning;
  std::int64_t attempts = 0;
  Counters counters;
  std::string started_at;
  std::string finished_at;
  std::string error_category;
  std::string error_code;
  std::string error_message;
};

/// A row of sync_cursors. `cursor_value` and `cursor_boundary` are JSON texts (CursorValue,
/// boundary object); empty cursor_value means no position has been stored yet.
struct CursorRecord {
  std::string pipeline;
  std::string stream;
  std::string state_id;  // UUID, fresh for each new row and after every reset
  std::string cursor_field;
  std::string cursor_type;
  std::string cursor_value;
  std::string cursor_boundary;
  std::int64_t position_run_id = 0;
  std::int64_t position_seq = 0;
  std::string updated_at;
};

/// Connector-state scopes (SPEC §6.4): 0 pipeline, 1 stream, 2 connector_instance.
enum class Scope { kPipeline = 0, kStream = 1, kConnectorInstance = 2 };
std::string_view ScopeName(Scope s);  // "pipeline", "stream", "connector_instance"

/// What `state reset` removed.
struct ResetCounts {
  std::int64_t cursors = 0;
  std::int64_t connector_state_keys = 0;
};

/// Held while a run (or `state reset`) owns the pipeline; released on destruction and
/// automatically when the process dies.
class PipelineLock {
 public:
  virtual ~PipelineLock() = default;
};

class StateBackend {
 public:
  virtual ~StateBackend() = default;

  /// "sqlite /home/u/.rapidbyte/state.db" or "postgres postgres://u@h:5432/db (schema s)",
  /// passwords never shown.
  virtual std::string Describe() const = 0;
  /// The schema version stored in rb_meta.
  virtual Result<int> SchemaVersion() = 0;

  /// Take the pipeline's lock without waiting (SPEC §6.3). When it is held elsewhere:
  /// FailedPrecondition "Pipeline 'x' is already running (run #41 started <ts> on host h,
  /// pid 123). Wait for it to finish or stop it." (the run details from the newest running
  /// run row, omitted when there is none).
  virtual Result<std::unique_ptr<PipelineLock>> TryLock(const std::string& pipeline) = 0;
  /// Whether another process holds the lock now (for `check` and `state show`).
  virtual Result<bool> IsLocked(const std::string& pipeline) = 0;

  // Runs. Call MarkInterrupted right after TryLock succeeds: running rows of the pipeline
  // become interrupted with "process ended without finishing (killed or crashed)".
  virtual Result<std::int64_t> MarkInterrupted(const std::string& pipeline) = 0;
  /// Insert a running run row (started_at now, hostname, pid, version filled in); its id.
  virtual Result<std::int64_t> StartRun(const std::string& pipeline) = 0;
  /// Finish the run row: status, finished_at now, counters, retries, error message.
  virtual Status FinishRun(std::int64_t run_id, RunStatus status, const Counters& counters,
                           std::int64_t retries, const std::string& error_message) = 0;
  /// Insert or replace the sync_run_streams row (run_id, stream).
  virtual Status PutRunStream(const RunStreamRecord& record) = 0;
  /// Newest first, at most `limit`.
  virtual Result<std::vector<RunRecord>> ListRuns(const std::string& pipeline, int limit) = 0;
  virtual Result<std::vector<RunStreamRecord>> ListRunStreams(std::int64_t run_id) = 0;

  // Cursors.
  virtual Result<std::optional<CursorRecord>> GetCursor(const std::string& pipeline,
                                                        const std::string& stream) = 0;
  /// The stream's row, created (fresh state_id, no position, the given cursor_field) when
  /// missing.
  virtual Result<CursorRecord> EnsureCursor(const std::string& pipeline,
                                            const std::string& stream,
                                            const std::string& cursor_field) = 0;
  /// Store a position (cursor_type/value/boundary, position_run_id/seq, updated_at now) on
  /// the existing row with `record.state_id`; FailedPrecondition when the row's state_id
  /// differs (a reset happened).
  virtual Status SaveCursor(const CursorRecord& record) = 0;
  virtual Result<std::vector<CursorRecord>> ListCursors(const std::string& pipeline) = 0;

  // Connector key/value state (SPEC §6.4). scope_key: "" for pipeline, the stream name for
  // stream, "<stage>:<connector id>" for connector_instance.
  virtual Result<std::optional<std::string>> GetValue(const std::string& pipeline, Scope scope,
                                                      const std::string& scope_key,
                                                      const std::string& key) = 0;
  virtual Status PutValue(const std::string& pipeline, Scope scope, const std::string& scope_key,
                          const std::string& key, const std::string& value) = 0;
  /// Atomic across threads and processes. `expected` nullopt: insert only if absent.
  virtual Result<bool> CompareAndSetValue(const std::string& pipeline, Scope scope,
                                          const std::string& scope_key, const std::string& key,
                                          const std::optional<std::string>& expected,
                                          const std::string& value) = 0;
  /// Key counts per scope: [pipeline, stream, connector_instance].
  virtual Result<std::vector<std::int64_t>> CountValues(const std::string& pipeline) = 0;
  /// Keys and value bytes held in one scope, leaving out `except_key` (the key about to be
  /// written), for the connector state quota.
  struct ValueUsage {
    std::int64_t keys = 0;
    std::int64_t bytes = 0;
  };
  virtual Result<ValueUsage> ScopeUsage(const std::string& pipeline, Scope scope,
                                        const std::string& scope_key,
                                        const std::string& except_key) = 0;

  /// Delete cursors and connector state of the pipeline, or of one stream (its cursor and
  /// its stream-scope keys); the reset streams' next EnsureCursor gets a new state_id.
  /// Run history is kept. The caller holds the lock.
  virtual Result<ResetCounts> Reset(const std::string& pipeline,
                                    const std::optional<std::string>& stream) = 0;
};

/// Open (creating and migrating as needed) the backend `spec` names. SQLite: parent
/// directories created; WAL, synchronous=FULL, busy timeout 5 s. A database with a newer
/// schema: FailedPrecondition "state database schema version 3 is newer than this rapidbyte
/// supports (1); upgrade rapidbyte".
Result<std::unique_ptr<StateBackend>> OpenStateBackend(const config::StateSpec& spec);

/// An in-memory SQLite backend (for `check`, SPEC §6.4, and tests).
Result<std::unique_ptr<StateBackend>> OpenInMemoryStateBackend();

}  // namespace rapidbyte::state
