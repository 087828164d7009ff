// Helpers for pgwire integration tests: open a pgwire::Connection to a harness cluster over a
// native rb_net stream, and a stream factory for CancelRequests.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "pgwire/connection.h"
#include "tests/harness/pg_cluster.h"

#include "net/pgwire_stream.h"

namespace rapidbyte::pgwire::testing {

/// Options for `user`@`database` with sslmode disable and a 10 s connect timeout.
inline ConnectOptions SessionOptions(std::string_view user = "postgres",
                                     std::string_view password = "",
                                     std::string_view database = "postgres") {
  ConnectOptions options;
  options.user = std::string(user);
  options.password = std::string(password);
  options.database = std::string(database);
  options.sslmode = SslMode::kDisable;
  options.io_timeout_ms = 120'000;  // a hung test fails instead of blocking CTest forever
  return options;
}

inline Result<std::unique_ptr<Connection>> OpenSession(const rapidbyte::testing::PgCluster& cluster,
                                                       ConnectOptions options) {
  RB_ASSIGN_OR_RETURN(
      std::unique_ptr<ByteStream> stream,
      net::ConnectPgwireStream(cluster.host(), static_cast<std::uint16_t>(cluster.port()), 10'000));
  if (options.server_name.empty()) options.server_name = cluster.host();
  return Connection::Connect(std::move(stream), std::move(options));
}

inline StreamFactory CancelFactory(const rapidbyte::testing::PgCluster& cluster) {
  return net::PgwireStreamFactory(cluster.host(), static_cast<std::uint16_t>(cluster.port()),
                                  10'000);
}

}  // namespace rapidbyte::pgwire::testing
