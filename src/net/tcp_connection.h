// TcpConnection: a client TCP connection with timeouts, keep-alive, optional cancellation and
// an optional TLS 1.2+ upgrade (OpenSSL). Used by the plugin host for rb_host_net_* and, via
// net/pgwire_stream.h, by native PostgreSQL clients. Every error carries a NetError code.
// [host]
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/status.h"

#include "net/address.h"

namespace rapidbyte::net {

/// Numbered as rb_host_net_start_tls's `mode` (SPEC §4.6).
enum class TlsMode : int { kEncryptOnly = 1, kVerifyChain = 2, kVerifyFull = 3 };

struct TlsOptions {
  TlsMode mode = TlsMode::kVerifyFull;
  /// PEM CA bundle; empty uses the system trust store.
  std::string ca_file;
  /// SNI (omitted for IP literals) and, with kVerifyFull, the name the certificate must match
  /// (DNS name or IP address).
  std::string server_name;
  /// -1 waits without limit, 0 does not wait, > 0 at most that many milliseconds.
  int timeout_ms = -1;
};

/// One connection. Timeouts: -1 waits without limit, 0 does not wait, > 0 at most that many
/// milliseconds. When a cancellation flag is given, blocking calls check it at least every
/// 50 ms and fail with CANCELLED once it is set. Not thread-safe, except that the flag may be
/// set from any thread. The destructor closes the socket.
class TcpConnection {
 public:
  /// Connect to one already vetted address. TCP_NODELAY and keep-alive (idle 60 s, interval
  /// 10 s, 6 probes) are set. Errors: CONNECT_FAILED, TIMEOUT, CANCELLED.
  static Result<std::unique_ptr<TcpConnection>> Connect(
      const ResolvedAddress& address, int timeout_ms, const std::atomic<bool>* cancelled = nullptr);
  /// Resolve `host` and try each address in turn within one overall timeout.
  static Result<std::unique_ptr<TcpConnection>> Connect(
      std::string_view host, std::uint16_t port, int timeout_ms,
      const std::atomic<bool>* cancelled = nullptr);

  TcpConnection(const TcpConnection&) = delete;
  TcpConnection& operator=(const TcpConnection&) = delete;
  ~TcpConnection();

  /// Read at least one byte (returns the count) or 0 at orderly end of stream.
  Result<std::size_t> Read(std::span<std::uint8_t> out, int timeout_ms);
  /// Write everything. Errors: CONNECTION_RESET, TIMEOUT, CANCELLED.
  Status WriteAll(std::span<const std::uint8_t> data, int timeout_ms);
  /// TLS client handshake on the open connection. Error: TLS_FAILED with OpenSSL's reason.
  Status StartTls(const TlsOptions& options);
  /// Close the socket (sends TLS close_notify first when TLS is active). Idempotent.
  void Close();

  bool tls_active() const { return tls_ != nullptr; }
  const ResolvedAddress& peer() const { return peer_; }

 private:
  struct Tls;  // OpenSSL state, tls.cc

  TcpConnection(int fd, ResolvedAddress peer, const std::atomic<bool>* cancelled);

  /// Wait until the socket is ready for `events` (POLLIN/POLLOUT) before `deadline_ms`
  /// (a steady-clock time in ms, or -1 for none).
  Status Wait(short events, std::int64_t deadline_ms) const;
  Result<std::size_t> TlsRead(std::span<std::uint8_t> out, std::int64_t deadline_ms);
  Status TlsWriteAll(std::span<const std::uint8_t> data, std::int64_t deadline_ms);
  void TlsShutdown();

  int fd_ = -1;
  ResolvedAddress peer_;
  const std::atomic<bool>* cancelled_ = nullptr;
  std::unique_ptr<Tls> tls_;
};

/// Steady-clock milliseconds; DeadlineAfter(-1) is -1 (no deadline), DeadlineAfter(0) is now.
std::int64_t NowMs();
std::int64_t DeadlineAfter(int timeout_ms);

}  // namespace rapidbyte::net
