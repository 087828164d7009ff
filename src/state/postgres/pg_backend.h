// Construction of the PostgreSQL state backend (SPEC §6.1): parse the URL, connect, create
// the schema if missing, migrate, and lock with session advisory locks. [host]
#pragma once

#include <memory>
#include <string>

#include "base/result.h"
#include "state/state_backend.h"

namespace rapidbyte::state {

/// `url`: postgres[ql]://... (see pg_url.h); `schema`: where the tables live.
Result<std::unique_ptr<StateBackend>> OpenPostgresStateBackend(const std::string& url,
                                                               const std::string& schema);

}  // namespace rapidbyte::state
