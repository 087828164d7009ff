// SqlStateBackend: the one StateBackend implementation, written against SqlSession so that
// SQLite and PostgreSQL share every statement and therefore every behaviour (SPEC §6). The
// dialects differ only in their sessions (types, placeholders, transactions) and their
// LockProviders. [host]
//
// Thread-safe: every call takes the shared session's mutex for its statements; multi-statement
// operations (CAS, Reset) run in one transaction under it.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "state/lock_provider.h"
#include "state/sql_session.h"
#include "state/state_backend.h"

namespace rapidbyte::state {

class SqlStateBackend final : public StateBackend {
 public:
  /// `session` must already be migrated. `describe` is what Describe() returns.
  SqlStateBackend(std::string describe, std::shared_ptr<SharedSession> session,
                  std::unique_ptr<LockProvider> locks);

  std::string Describe() const override { return describe_; }
  Result<int> SchemaVersion() override;

  Result<std::unique_ptr<PipelineLock>> TryLock(const std::string& pipeline) override;
  Result<bool> IsLocked(const std::string& pipeline) override;

  Result<std::int64_t> MarkInterrupted(const std::string& pipeline) override;
  Result<std::int64_t> StartRun(const std::string& pipeline) override;
  Status FinishRun(std::int64_t run_id, RunStatus status, const Counters& counters,
                   std::int64_t retries, const std::string& error_message) override;
  Status PutRunStream(const RunStreamRecord& record) override;
  Result<std::vector<RunRecord>> ListRuns(const std::string& pipeline, int limit) override;
  Result<std::vector<RunStreamRecord>> ListRunStreams(std::int64_t run_id) override;

  Result<std::optional<CursorRecord>> GetCursor(const std::string& pipeline,
                                                const std::string& stream) override;
  Result<CursorRecord> EnsureCursor(const std::string& pipeline, const std::string& stream,
                                    const std::string& cursor_field) override;
  Status SaveCursor(const CursorRecord& record) override;
  Result<std::vector<CursorRecord>> ListCursors(const std::string& pipeline) override;

  Result<std::optional<std::string>> GetValue(const std::string& pipeline, Scope scope,
                                              const std::string& scope_key,
                                              const std::string& key) override;
  Status PutValue(const std::string& pipeline, Scope scope, const std::string& scope_key,
                  const std::string& key, const std::string& value) override;
  Result<bool> CompareAndSetValue(const std::string& pipeline, Scope scope,
                                  const std::string& scope_key, const std::string& key,
                                  const std::optional<std::string>& expected,
                                  const std::string& value) override;
  Result<std::vector<std::int64_t>> CountValues(const std::string& pipeline) override;
  Result<ValueUsage> ScopeUsage(const std::string& pipeline, Scope scope,
                                const std::string& scope_key,
                                const std::string& except_key) override;

  Result<ResetCounts> Reset(const std::string& pipeline,
                            const std::optional<std::string>& stream) override;

 private:
  /// Run one statement under the session mutex.
  Result<SqlResult> Run(std::string_view sql, std::span<const SqlParam> params = {});
  Result<std::optional<RunRecord>> NewestRunning(const std::string& pipeline);

  std::string describe_;
  std::shared_ptr<SharedSession> shared_;
  std::unique_ptr<LockProvider> locks_;
};

}  // namespace rapidbyte::state
