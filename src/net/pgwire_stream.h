// The native pgwire::ByteStream: a TcpConnection behind pgwire's stream interface, with
// rb_net's error codes turned into pgwire ClientError details (so ClassifyStatus reports
// TIMEOUT, CONNECTION_RESET, TLS_FAILED...). Used by host-side PostgreSQL clients (the state
// backend, tests). pgwire itself never depends on rb_net. [host]
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "pgwire/byte_stream.h"

#include "net/tcp_connection.h"

namespace rapidbyte::net {

/// Wrap an open connection.
std::unique_ptr<pgwire::ByteStream> MakePgwireStream(std::unique_ptr<TcpConnection> connection);

/// Connect to `host`:`port` (resolving it) and wrap the connection.
Result<std::unique_ptr<pgwire::ByteStream>> ConnectPgwireStream(
    const std::string& host, std::uint16_t port, int timeout_ms,
    const std::atomic<bool>* cancelled = nullptr);

/// A factory that opens a fresh stream to `host`:`port` each time (for Connection::Cancel).
pgwire::StreamFactory PgwireStreamFactory(std::string host, std::uint16_t port, int timeout_ms);

/// Convert an rb_net error into the pgwire form (ClientError detail, same code). Statuses
/// without a NetError are returned unchanged.
Status ToPgwireStatus(const Status& status);

}  // namespace rapidbyte::net
