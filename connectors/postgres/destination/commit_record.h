// The commit record (SPEC §8.5): one row per (pipeline, stream) in
// `"<schema>".rapidbyte_watermarks` holding the last commit token, written in the same
// transaction as the data it covers, so the token read back at the start of the next attempt
// says exactly what is durably in the destination (SPEC §5.5). Portable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/result.h"
#include "pgwire/connection.h"

namespace rapidbyte::pgdest {

struct CommitRecord {
  std::string pipeline;
  std::string stream;
  std::int64_t run_id = 0;
  std::string token;  ///< JSON text from rb_host_commit_token
  std::int64_t records = 0;
  std::int64_t bytes = 0;
  bool finished = false;
};

/// The stored token for (pipeline, stream) as JSON text; nullopt when the table or the row
/// does not exist.
Result<std::optional<std::string>> ReadCommitToken(pgwire::Connection* conn,
                                                   const std::string& schema,
                                                   const std::string& pipeline,
                                                   const std::string& stream);

/// Insert or update the record in the open transaction.
Status WriteCommitRecord(pgwire::Connection* conn, const std::string& schema,
                         const CommitRecord& record);

}  // namespace rapidbyte::pgdest
