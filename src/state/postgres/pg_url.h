// PgUrl: the libpq-style URL of a PostgreSQL state database (SPEC §2.3 state.connection):
// postgres[ql]://[user[:password]@][host][:port][/dbname][?param=value&...]. User, password,
// database and parameter values are percent-decoded. Host defaults to localhost, port to
// 5432, the user to the OS user, the database to the user. [host]
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"
#include "pgwire/connection.h"

namespace rapidbyte::state {

struct PgUrl {
  std::string user;
  std::string password;
  std::string host = "localhost";
  std::uint16_t port = 5432;
  std::string database;
  pgwire::SslMode sslmode = pgwire::SslMode::kPrefer;
  std::string sslrootcert;
  int connect_timeout_s = 10;
  std::string application_name = "rapidbyte";

  /// postgres://user@host:port/db: no password, no parameters (for messages and Describe).
  std::string Redacted() const;
};

/// Parse `url`; errors name state.connection and never echo the password.
Result<PgUrl> ParsePgUrl(std::string_view url);

}  // namespace rapidbyte::state
