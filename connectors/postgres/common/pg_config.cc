// Parsing of the shared PostgreSQL connection config.
#include "connectors/postgres/common/pg_config.h"

#include "sdk/config_fields.h"

namespace rapidbyte::pgconn {

std::string PgConfig::Describe() const {
  return host + ":" + std::to_string(port) + "/" + database;
}

pgwire::ConnectOptions PgConfig::ToConnectOptions() const {
  pgwire::ConnectOptions options;
  options.user = user;
  options.password = password;
  options.database = database;
  options.sslmode = sslmode;
  options.sslrootcert = sslrootcert;
  options.server_name = host;
  options.connect_timeout_ms = connect_timeout_secs * 1000;
  options.replication = replication;
  return options;
}

sdk::Outcome<PgConfig> ParsePgConfig(const protocol::Json& config) {
  namespace fields = sdk::fields;
  if (!config.is_object()) return sdk::ConfigError("config", "must be an object");
  PgConfig out;
  const char* path = "config.";
  RB_TRY(fields::String(config, path, "host", &out.host, /*required=*/true));
  RB_TRY(fields::String(config, path, "user", &out.user, true));
  RB_TRY(fields::String(config, path, "database", &out.database, true));
  RB_TRY(fields::String(config, path, "password", &out.password));
  RB_TRY(fields::String(config, path, "schema", &out.schema));
  RB_TRY(fields::String(config, path, "sslmode", &out.sslmode_text));
  RB_TRY(fields::String(config, path, "sslrootcert", &out.sslrootcert));
  std::int64_t port = out.port, timeout = out.connect_timeout_secs;
  RB_TRY(fields::Int(config, path, "port", &port, 1, 65535));
  RB_TRY(fields::Int(config, path, "connect_timeout", &timeout, 1, 3600));
  out.port = static_cast<int>(port);
  out.connect_timeout_secs = static_cast<int>(timeout);
  if (out.host.empty()) return sdk::ConfigError("config.host", "must not be empty");
  if (out.schema.empty()) return sdk::ConfigError("config.schema", "must not be empty");
  auto sslmode = pgwire::ParseSslMode(out.sslmode_text);
  if (!sslmode.ok()) {
    return sdk::ConfigError("config.sslmode", "'" + out.sslmode_text +
                                                  "' is not one of disable, prefer, require, "
                                                  "verify-ca, verify-full");
  }
  out.sslmode = *sslmode;
  return out;
}

}  // namespace rapidbyte::pgconn
