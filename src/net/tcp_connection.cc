// TcpConnection: non-blocking sockets driven by poll(), with deadlines and cancellation.
#include "net/tcp_connection.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "net/net_error.h"
#include "net/tls_internal.h"

namespace rapidbyte::net {
namespace {

constexpr int kCancelPollMs = 50;

std::string ErrnoText(int err) { return std::strerror(err); }

void SetSocketOptions(int fd) {
  const int one = 1;
  const int idle = 60, interval = 10, count = 6;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof(interval));
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof(count));
}

}  // namespace

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::int64_t DeadlineAfter(int timeout_ms) { return timeout_ms < 0 ? -1 : NowMs() + timeout_ms; }

TcpConnection::TcpConnection(int fd, ResolvedAddress peer, const std::atomic<bool>* cancelled)
    : fd_(fd), peer_(peer), cancelled_(cancelled) {}

TcpConnection::~TcpConnection() { Close(); }

Status TcpConnection::Wait(short events, std::int64_t deadline_ms) const {
  while (true) {
    if (cancelled_ != nullptr && cancelled_->load()) {
      return NetFailure(kCancelled, "network operation cancelled");
    }
    int wait_ms = -1;
    if (deadline_ms >= 0)
      wait_ms = static_cast<int>(std::max<std::int64_t>(0, deadline_ms - NowMs()));
    if (cancelled_ != nullptr)
      wait_ms = wait_ms < 0 ? kCancelPollMs : std::min(wait_ms, kCancelPollMs);
    pollfd pfd{fd_, events, 0};
    const int rc = poll(&pfd, 1, wait_ms);
    if (rc > 0) return Status::OK();  // ready, or an error the next syscall will report
    if (rc < 0 && errno != EINTR) {
      return NetFailure(kConnectionReset, "poll failed: " + ErrnoText(errno));
    }
    if (rc == 0 && deadline_ms >= 0 && NowMs() >= deadline_ms) {
      return NetFailure(kTimeout, "timed out waiting for " + peer_.ToString());
    }
  }
}

Result<std::unique_ptr<TcpConnection>> TcpConnection::Connect(const ResolvedAddress& address,
                                                              int timeout_ms,
                                                              const std::atomic<bool>* cancelled) {
  const int fd = socket(address.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return NetFailure(kConnectFailed, "socket: " + ErrnoText(errno));
  std::unique_ptr<TcpConnection> conn(new TcpConnection(fd, address, cancelled));
  SetSocketOptions(fd);
  const std::int64_t deadline = DeadlineAfter(timeout_ms);
  if (connect(fd, reinterpret_cast<const sockaddr*>(&address.storage), address.length) != 0) {
    if (errno != EINPROGRESS && errno != EINTR) {
      return NetFailure(kConnectFailed,
                        "could not connect to " + address.ToString() + ": " + ErrnoText(errno));
    }
    RB_RETURN_NOT_OK(conn->Wait(POLLOUT, deadline));
    int err = 0;
    socklen_t len = sizeof(err);
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
    if (err != 0) {
      return NetFailure(kConnectFailed,
                        "could not connect to " + address.ToString() + ": " + ErrnoText(err));
    }
  }
  return conn;
}

Result<std::unique_ptr<TcpConnection>> TcpConnection::Connect(std::string_view host,
                                                              std::uint16_t port, int timeout_ms,
                                                              const std::atomic<bool>* cancelled) {
  RB_ASSIGN_OR_RETURN(std::vector<ResolvedAddress> addresses, Resolve(host, port));
  const std::int64_t deadline = DeadlineAfter(timeout_ms);
  Status last;
  for (const ResolvedAddress& address : addresses) {
    int remaining = -1;
    if (deadline >= 0) remaining = static_cast<int>(std::max<std::int64_t>(0, deadline - NowMs()));
    auto conn = Connect(address, remaining, cancelled);
    if (conn.ok()) return conn;
    last = conn.status();
    const NetError* err = GetNetError(last);
    if (err != nullptr && (err->code() == kCancelled || err->code() == kTimeout)) break;
  }
  return last;
}

Result<std::size_t> TcpConnection::Read(std::span<std::uint8_t> out, int timeout_ms) {
  if (fd_ < 0) return NetFailure(kConnectionReset, "connection is closed");
  if (out.empty()) return Status::InvalidArgument("Read needs a non-empty buffer");
  const std::int64_t deadline = DeadlineAfter(timeout_ms);
  if (tls_ != nullptr) return TlsRead(out, deadline);
  while (true) {
    const ssize_t n = recv(fd_, out.data(), out.size(), 0);
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      return NetFailure(kConnectionReset,
                        "read from " + peer_.ToString() + ": " + ErrnoText(errno));
    }
    RB_RETURN_NOT_OK(Wait(POLLIN, deadline));
  }
}

Status TcpConnection::WriteAll(std::span<const std::uint8_t> data, int timeout_ms) {
  if (fd_ < 0) return NetFailure(kConnectionReset, "connection is closed");
  const std::int64_t deadline = DeadlineAfter(timeout_ms);
  if (tls_ != nullptr) return TlsWriteAll(data, deadline);
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
      return NetFailure(kConnectionReset, "write to " + peer_.ToString() + ": " + ErrnoText(errno));
    }
    RB_RETURN_NOT_OK(Wait(POLLOUT, deadline));
  }
  return Status::OK();
}

void TcpConnection::Close() {
  if (fd_ < 0) return;
  TlsShutdown();
  ::close(fd_);
  fd_ = -1;
}

}  // namespace rapidbyte::net
