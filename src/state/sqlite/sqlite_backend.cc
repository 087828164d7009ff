// OpenSqliteStateBackend and OpenInMemoryStateBackend (see sqlite_backend.h).
#include "state/sqlite/sqlite_backend.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "state/migrations.h"
#include "state/sql_state_backend.h"
#include "state/sqlite/file_lock.h"
#include "state/sqlite/sqlite_session.h"

namespace rapidbyte::state {
namespace {

Result<std::unique_ptr<StateBackend>> OpenWithLocks(const std::string& path,
                                                    std::unique_ptr<LockProvider> locks) {
  auto shared = std::make_shared<SharedSession>();
  RB_ASSIGN_OR_RETURN(shared->session, SqliteSession::Open(path));
  RB_RETURN_NOT_OK(Migrate(*shared->session, /*lock_sql=*/"", /*preamble_sql=*/""));
  return std::unique_ptr<StateBackend>(
      std::make_unique<SqlStateBackend>("sqlite " + path, std::move(shared), std::move(locks)));
}

}  // namespace

Result<std::string> ResolveSqlitePath(const std::string& path) {
  if (!path.empty() && path != "~" && path.rfind("~/", 0) != 0) return path;
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') {
    return Status::InvalidArgument("HOME is not set; set state.connection");
  }
  if (path.empty()) return std::string(home) + "/.rapidbyte/state.db";
  return std::string(home) + path.substr(1);
}

Result<std::unique_ptr<StateBackend>> OpenSqliteStateBackend(const std::string& connection) {
  RB_ASSIGN_OR_RETURN(std::string path, ResolveSqlitePath(connection));
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) {
      return Status::FailedPrecondition("state.connection: cannot create directory " +
                                        parent.string() + ": " + ec.message());
    }
  }
  return OpenWithLocks(path, std::make_unique<FileLockProvider>(path + ".locks"));
}

Result<std::unique_ptr<StateBackend>> OpenInMemoryStateBackend() {
  return OpenWithLocks(":memory:", std::make_unique<InProcessLockProvider>());
}

}  // namespace rapidbyte::state
