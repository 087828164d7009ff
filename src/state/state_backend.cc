// Status and scope names, and OpenStateBackend's dispatch by state.backend (see
// state_backend.h).
#include "state/state_backend.h"

#include "state/postgres/pg_backend.h"
#include "state/sqlite/sqlite_backend.h"

namespace rapidbyte::state {

std::string_view RunStatusName(RunStatus s) {
  switch (s) {
    case RunStatus::kRunning:
      return "running";
    case RunStatus::kCompleted:
      return "completed";
    case RunStatus::kFailed:
      return "failed";
    case RunStatus::kCancelled:
      return "cancelled";
    case RunStatus::kInterrupted:
      return "interrupted";
  }
  return "unknown";
}

std::string_view StreamStatusName(StreamStatus s) {
  switch (s) {
    case StreamStatus::kRunning:
      return "running";
    case StreamStatus::kCompleted:
      return "completed";
    case StreamStatus::kFailed:
      return "failed";
    case StreamStatus::kCancelled:
      return "cancelled";
    case StreamStatus::kNotStarted:
      return "not_started";
  }
  return "unknown";
}

Result<RunStatus> ParseRunStatus(std::string_view text) {
  for (RunStatus s : {RunStatus::kRunning, RunStatus::kCompleted, RunStatus::kFailed,
                      RunStatus::kCancelled, RunStatus::kInterrupted}) {
    if (RunStatusName(s) == text) return s;
  }
  return Status::DataLoss("state: unknown run status '" + std::string(text) + "'");
}

std::string_view ScopeName(Scope s) {
  switch (s) {
    case Scope::kPipeline:
      return "pipeline";
    case Scope::kStream:
      return "stream";
    case Scope::kConnectorInstance:
      return "connector_instance";
  }
  return "unknown";
}

Result<std::unique_ptr<StateBackend>> OpenStateBackend(const config::StateSpec& spec) {
  switch (spec.backend) {
    case config::StateBackendKind::kSqlite:
      return OpenSqliteStateBackend(spec.connection);
    case config::StateBackendKind::kPostgres:
      return OpenPostgresStateBackend(spec.connection, spec.schema);
  }
  return Status::InvalidArgument("state.backend: unknown backend");
}

}  // namespace rapidbyte::state
