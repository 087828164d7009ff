// Connecting a PostgreSQL connector to its server from inside the sandbox: a TCP stream
// through the host's network functions (sdk::HostStream; the host checks the allow list and
// does TLS) and a pgwire::Connection on top (SSLRequest per sslmode, startup, authentication;
// SPEC §7.2). Guest only (uses host functions).
#pragma once

#include <memory>

#include "base/result.h"
#include "connectors/postgres/common/pg_config.h"
#include "pgwire/connection.h"

namespace rapidbyte::pgconn {

/// Open one connection for `config`. Errors keep their typed detail (ClientError from the host
/// or pgwire, ServerError from the server) so ToConnectorError can classify them; their
/// messages name `host:port/database` and never the password.
Result<std::unique_ptr<pgwire::Connection>> Connect(const PgConfig& config);

/// "PostgreSQL 15.6" from the server_version parameter ("PostgreSQL" when unknown).
std::string ServerVersion(const pgwire::Connection& conn);

}  // namespace rapidbyte::pgconn
