// Tests for rb_net without a database: resolution and address classes (SPEC §4.7 vetting),
// refused connections, read timeouts, cancellation, echo over a loopback listener, and a TLS
// handshake against a plaintext peer failing with TLS_FAILED.
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <future>
#include <string>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "base/test_util.h"
#include "pgwire/error_mapping.h"

#include "net/address.h"
#include "net/net_error.h"
#include "net/pgwire_stream.h"
#include "net/tcp_connection.h"

namespace rapidbyte::net {
namespace {

// A loopback listener on port 0; the kernel picks a free port.
class Listener {
 public:
  Listener() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    listen(fd_, 4);
    socklen_t len = sizeof(addr);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~Listener() { close(fd_); }
  std::uint16_t port() const { return port_; }
  int Accept() const { return accept(fd_, nullptr, nullptr); }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

std::string CodeOf(const Status& s) {
  const NetError* err = GetNetError(s);
  return err == nullptr ? "<none>" : err->code();
}

TEST(NetTest, ResolveAndClassify) {
  ASSERT_OK_AND_ASSIGN(auto v4, Resolve("127.0.0.1", 5432));
  ASSERT_EQ(v4.size(), 1u);
  EXPECT_EQ(v4[0].ToString(), "127.0.0.1:5432");
  EXPECT_TRUE(v4[0].IsLoopback());
  ASSERT_OK_AND_ASSIGN(auto v6, Resolve("::1", 1));
  EXPECT_EQ(v6[0].ToString(), "[::1]:1");
  auto check = [](const char* host, bool unspecified, bool link_local, bool multicast) {
    auto addrs = Resolve(host, 1);
    ASSERT_TRUE(addrs.ok()) << host;
    EXPECT_EQ((*addrs)[0].IsUnspecified(), unspecified) << host;
    EXPECT_EQ((*addrs)[0].IsLinkLocal(), link_local) << host;
    EXPECT_EQ((*addrs)[0].IsMulticast(), multicast) << host;
  };
  check("0.0.0.0", true, false, false);
  check("::", true, false, false);
  check("169.254.10.1", false, true, false);
  check("fe80::1", false, true, false);
  check("239.1.2.3", false, false, true);
  check("ff02::1", false, false, true);
  check("10.1.2.3", false, false, false);
  EXPECT_EQ(CodeOf(Resolve("no-such-host.invalid", 1).status()), "DNS_FAILED");
  EXPECT_EQ(CodeOf(Resolve("", 1).status()), "DNS_FAILED");
  EXPECT_TRUE(IsIpLiteral("::1"));
  EXPECT_FALSE(IsIpLiteral("localhost"));
}

TEST(NetTest, RefusedConnectionIsConnectFailed) {
  std::uint16_t port = 0;
  { port = Listener().port(); }  // closed again: nothing listens there now
  auto conn = TcpConnection::Connect("127.0.0.1", port, 2000);
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(CodeOf(conn.status()), "CONNECT_FAILED");
  EXPECT_EQ(conn.status().code(), StatusCode::kUnavailable);
}

TEST(NetTest, EchoTimeoutAndCancel) {
  Listener listener;
  auto accepted = std::async(std::launch::async, [&listener] { return listener.Accept(); });
  std::atomic<bool> cancelled{false};
  ASSERT_OK_AND_ASSIGN(auto conn,
                       TcpConnection::Connect("127.0.0.1", listener.port(), 2000, &cancelled));
  const int peer = accepted.get();
  ASSERT_GE(peer, 0);
  const std::string hello = "hello";
  ASSERT_OK(
      conn->WriteAll({reinterpret_cast<const std::uint8_t*>(hello.data()), hello.size()}, 1000));
  char buf[16] = {};
  ASSERT_EQ(recv(peer, buf, sizeof(buf), 0), 5);
  ASSERT_EQ(send(peer, "world", 5, 0), 5);
  std::uint8_t in[16];
  ASSERT_OK_AND_ASSIGN(std::size_t n, conn->Read(in, 1000));
  EXPECT_EQ(std::string(reinterpret_cast<char*>(in), n), "world");
  // Nothing more is coming: a short timeout expires, and a cancellation interrupts a wait
  // without limit.
  EXPECT_EQ(CodeOf(conn->Read(in, 30).status()), "TIMEOUT");
  cancelled.store(true);
  EXPECT_EQ(CodeOf(conn->Read(in, -1).status()), "CANCELLED");
  cancelled.store(false);
  // A plaintext peer cannot complete a TLS handshake: it closes instead.
  close(peer);
  TlsOptions tls;
  tls.mode = TlsMode::kEncryptOnly;
  tls.timeout_ms = 2000;
  Status handshake = conn->StartTls(tls);
  EXPECT_EQ(CodeOf(handshake), "TLS_FAILED") << handshake.ToString();
  // The pgwire adapter turns it into a ClientError with the same code.
  EXPECT_EQ(pgwire::ClassifyStatus(ToPgwireStatus(handshake)).code, "TLS_FAILED");
}

}  // namespace
}  // namespace rapidbyte::net
