// ByteStream: the only way pgwire reaches the network. A connector implements it over the
// host's rb_host_net_* functions; the host and tests implement it over native sockets
// (net/pgwire_stream.h). The connection layer is written against this interface alone.
// Portable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "base/result.h"
#include "base/status.h"

namespace rapidbyte::pgwire {

/// Wait without limit (still cancellable by the stream's owner).
inline constexpr int kNoTimeout = -1;

/// TLS verification, numbered as rb_host_net_start_tls's `mode` (SPEC §4.6).
enum class TlsVerify : int { kEncryptOnly = 1, kVerifyChain = 2, kVerifyFull = 3 };

struct TlsParams {
  TlsVerify verify = TlsVerify::kEncryptOnly;
  /// PEM CA bundle for kVerifyChain/kVerifyFull; empty means the system trust store.
  std::string ca_file;
  /// Host name for SNI and, with kVerifyFull, for certificate name checks.
  std::string server_name;
};

/// A bidirectional byte stream (a TCP connection, possibly upgraded to TLS).
///
/// Timeouts: `timeout_ms` -1 waits without limit, 0 does not wait, > 0 waits at most that
/// long. Errors: kDeadlineExceeded when the timeout expires, kCancelled when the stream's owner
/// cancelled the operation, kUnavailable for a reset or failed connection, kFailedPrecondition
/// for a TLS failure; implementations may attach a ClientError detail (error_mapping.h) with
/// the SPEC §4.7 code. After any error other than kDeadlineExceeded from a Read, the stream is
/// unusable. Not thread-safe: one user at a time.
class ByteStream {
 public:
  virtual ~ByteStream() = default;

  /// Read at least one byte into `out` and return the count, or 0 at orderly end of stream.
  virtual Result<std::size_t> Read(std::span<std::uint8_t> out, int timeout_ms) = 0;
  /// Write all of `data`.
  virtual Status WriteAll(std::span<const std::uint8_t> data, int timeout_ms) = 0;
  /// Run a TLS client handshake on the open connection; later reads and writes are encrypted.
  virtual Status StartTls(const TlsParams& params, int timeout_ms) = 0;
  /// Close the stream; later calls fail. Idempotent.
  virtual void Close() = 0;
};

/// Opens a new stream to the same server (used to send a CancelRequest).
using StreamFactory = std::function<Result<std::unique_ptr<ByteStream>>()>;

}  // namespace rapidbyte::pgwire
