// Connection setup over sdk::HostStream.
#include "connectors/postgres/common/pg_connect.h"

#include "sdk/host_stream.h"

namespace rapidbyte::pgconn {

Result<std::unique_ptr<pgwire::Connection>> Connect(const PgConfig& config) {
  const std::string where = "connect to " + config.Describe();
  auto stream = sdk::HostStream::Connect(config.host, config.port,
                                         config.connect_timeout_secs * 1000);
  if (!stream.ok()) return stream.status().WithContext(where);
  auto conn = pgwire::Connection::Connect(std::move(*stream), config.ToConnectOptions());
  if (!conn.ok()) return conn.status().WithContext(where);
  return std::move(*conn);
}

std::string ServerVersion(const pgwire::Connection& conn) {
  std::optional<std::string> version = conn.parameter("server_version");
  if (!version) return "PostgreSQL";
  // "15.6 (Debian 15.6-0+deb12u1)" -> "15.6"
  const std::size_t space = version->find(' ');
  return "PostgreSQL " + version->substr(0, space);
}

}  // namespace rapidbyte::pgconn
