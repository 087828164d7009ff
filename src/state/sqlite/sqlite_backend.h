// Construction of the SQLite state backend (SPEC §6.1): resolve the file path, create its
// parent directories, open, migrate, and lock with flock files beside it. [host]
#pragma once

#include <memory>
#include <string>

#include "base/result.h"
#include "state/state_backend.h"

namespace rapidbyte::state {

/// Open the state file at `path` ("" means $HOME/.rapidbyte/state.db; a leading "~/" is
/// expanded with $HOME; either without HOME fails "HOME is not set; set state.connection").
Result<std::unique_ptr<StateBackend>> OpenSqliteStateBackend(const std::string& path);

/// Resolve `path` as OpenSqliteStateBackend does (exposed for tests and `state show`).
Result<std::string> ResolveSqlitePath(const std::string& path);

}  // namespace rapidbyte::state
