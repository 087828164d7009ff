// PgConfig: the connection part of a PostgreSQL connector's config (SPEC §7.1, §8.1), shared
// by source-postgres and dest-postgres. The host has already applied the manifest's defaults
// and validated types and ranges, so parsing here only extracts the values and re-checks what
// the code depends on (a connector must not trust that a host did its job). Portable.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sdk/outcome.h"
#include "pgwire/connection.h"
#include "protocol/json.h"

namespace rapidbyte::pgconn {

struct PgConfig {
  std::string host;
  int port = 5432;
  std::string user;
  std::string password;  // never logged or put into messages
  std::string database;
  std::string schema = "public";
  std::string sslmode_text = "prefer";
  pgwire::SslMode sslmode = pgwire::SslMode::kPrefer;
  std::string sslrootcert;  // empty: none
  int connect_timeout_secs = 10;
  /// A logical replication connection (cdc; not a config field).
  bool replication = false;

  /// `host:port/database`, the form logs and messages use (never the password).
  std::string Describe() const;
  /// The pgwire options for this config (SPEC §7.2 startup parameters are pgwire's defaults).
  pgwire::ConnectOptions ToConnectOptions() const;
};

/// Read the connection properties from `config` (the pipeline's config object). Missing
/// required properties or values of the wrong type are config errors naming the property
/// ("config.port: ..."); absent optional ones keep the SPEC defaults above.
sdk::Outcome<PgConfig> ParsePgConfig(const protocol::Json& config);

}  // namespace rapidbyte::pgconn
