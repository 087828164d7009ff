// Connection tests against a scripted ByteStream: the server's bytes are fixed in advance and
// delivered in tiny pieces, and every byte the client writes is recorded. Covers sslmode
// handling, unsupported authentication, hostile messages, error recovery and COPY IN batching.
#include "pgwire/connection.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/test_util.h"
#include "pgwire/codec_test_util.h"
#include "pgwire/error_mapping.h"
#include "pgwire/replication.h"

namespace rapidbyte::pgwire {
namespace {

using testing::MessageBuilder;

struct Script {
  std::string server;  // everything the server will send, in order
  std::string written;
  std::vector<TlsParams> tls_started;
  std::size_t read_pos = 0;
  std::size_t timeout_at = SIZE_MAX;  // the read at this position times out (once)
  bool closed = false;
};

class ScriptedStream final : public ByteStream {
 public:
  ScriptedStream(Script* script, std::size_t piece) : script_(script), piece_(piece) {}
  Result<std::size_t> Read(std::span<std::uint8_t> out, int) override {
    if (script_->read_pos == script_->timeout_at) {
      script_->timeout_at = SIZE_MAX;
      // The SDK's host stream reports a timeout this way; the native one as kDeadlineExceeded.
      return ClientFailure(ErrorCategory::kTransientNetwork, kCodeTimeout, "read timed out");
    }
    const std::size_t n =
        std::min({out.size(), piece_, script_->server.size() - script_->read_pos});
    std::copy_n(script_->server.data() + script_->read_pos, n, out.data());
    script_->read_pos += n;
    return n;  // 0 at the end of the script: orderly EOF
  }
  Status WriteAll(std::span<const std::uint8_t> data, int) override {
    script_->written.append(data.begin(), data.end());
    return Status::OK();
  }
  Status StartTls(const TlsParams& params, int) override {
    script_->tls_started.push_back(params);
    return Status::OK();
  }
  void Close() override { script_->closed = true; }

 private:
  Script* script_;
  std::size_t piece_;
};

std::string ReadyAfterAuth() {
  return MessageBuilder('R').I32(0).BuildString() +
         MessageBuilder('S').Str("server_version").Str("15.6").BuildString() +
         MessageBuilder('K').I32(1234).I32(5678).BuildString() +
         MessageBuilder('Z').U8('I').BuildString();
}

Result<std::unique_ptr<Connection>> ConnectScripted(Script* script, SslMode mode,
                                                    std::size_t piece = 1) {
  ConnectOptions options;
  options.user = "alice";
  options.database = "db";
  options.sslmode = mode;
  options.server_name = "db.example";
  return Connection::Connect(std::make_unique<ScriptedStream>(script, piece), options);
}

TEST(ConnectionTest, TrustStartupTracksParametersAndKey) {
  Script script;
  script.server = ReadyAfterAuth();
  ASSERT_OK_AND_ASSIGN(auto conn, ConnectScripted(&script, SslMode::kDisable));
  EXPECT_EQ(conn->parameter("server_version"), "15.6");
  EXPECT_EQ(conn->backend_key().process_id, 1234);
  EXPECT_EQ(conn->backend_key().secret_key, 5678);
  EXPECT_EQ(conn->transaction_status(), TransactionStatus::kIdle);
  EXPECT_FALSE(conn->tls_active());
  // The startup packet carries the SPEC §7.2 parameters.
  const std::pair<std::string, std::string> expected[] = {
      {"user", "alice"},           {"database", "db"},   {"application_name", "rapidbyte"},
      {"client_encoding", "UTF8"}, {"DateStyle", "ISO"}, {"TimeZone", "UTC"},
      {"extra_float_digits", "3"}};
  for (const auto& [name, value] : expected) {
    const std::string pair = name + '\0' + value + '\0';
    EXPECT_NE(script.written.find(pair), std::string::npos) << name;
  }
  ASSERT_OK(conn->Terminate());
  EXPECT_EQ(script.written.substr(script.written.size() - 5), std::string("X\0\0\0\x04", 5));
  EXPECT_TRUE(script.closed);
}

TEST(ConnectionTest, SslModes) {
  Script refused;
  refused.server = "N";
  auto require = ConnectScripted(&refused, SslMode::kRequire);
  ASSERT_FALSE(require.ok());
  EXPECT_EQ(ClassifyStatus(require.status()).code, "TLS_FAILED");
  EXPECT_NE(require.status().message().find("server does not support SSL, but sslmode is require"),
            std::string::npos);

  Script prefer;
  prefer.server = "N" + ReadyAfterAuth();
  ASSERT_OK_AND_ASSIGN(auto plain, ConnectScripted(&prefer, SslMode::kPrefer));
  EXPECT_FALSE(plain->tls_active());

  Script accepted;
  accepted.server = "S" + ReadyAfterAuth();
  ASSERT_OK_AND_ASSIGN(auto tls, ConnectScripted(&accepted, SslMode::kVerifyFull));
  EXPECT_TRUE(tls->tls_active());
  ASSERT_EQ(accepted.tls_started.size(), 1u);
  EXPECT_EQ(accepted.tls_started[0].verify, TlsVerify::kVerifyFull);
  EXPECT_EQ(accepted.tls_started[0].server_name, "db.example");
}

TEST(ConnectionTest, UnsupportedAuthenticationIsAuthFailed) {
  Script script;
  script.server = MessageBuilder('R').I32(2).BuildString();  // Kerberos V5
  auto conn = ConnectScripted(&script, SslMode::kDisable);
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(ClassifyStatus(conn.status()).code, "AUTH_FAILED");
  EXPECT_NE(conn.status().message().find("authentication method Kerberos V5 is not supported"),
            std::string::npos);

  Script sasl;
  sasl.server = MessageBuilder('R').I32(10).Str("SCRAM-SHA-256").U8(0).BuildString() +
                MessageBuilder('R').I32(11).Raw("r=forged,s=QSXCR+Q6sek8bf92,i=4096").BuildString();
  ConnectOptions options;
  options.user = "alice";
  options.password = "pw";
  options.sslmode = SslMode::kDisable;
  auto scram = Connection::Connect(std::make_unique<ScriptedStream>(&sasl, 7), options);
  ASSERT_FALSE(scram.ok());
  EXPECT_EQ(ClassifyStatus(scram.status()).category, ErrorCategory::kAuth);
}

TEST(ConnectionTest, HostileLengthBreaksTheConnection) {
  Script script;
  script.server = ReadyAfterAuth() + std::string("T\x7f\xff\xff\xff", 5);
  ASSERT_OK_AND_ASSIGN(auto conn, ConnectScripted(&script, SslMode::kDisable, 64));
  auto result = conn->SimpleQuery("SELECT 1");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(ClassifyStatus(result.status()).code, "PROTOCOL_ERROR");
  EXPECT_FALSE(conn->usable());
  EXPECT_FALSE(conn->SimpleQuery("SELECT 1").ok());
}

TEST(ConnectionTest, ServerErrorKeepsSessionUsable) {
  Script script;
  script.server = ReadyAfterAuth() +
                  MessageBuilder('N')
                      .U8('S')
                      .Str("WARNING")
                      .U8('V')
                      .Str("WARNING")
                      .U8('C')
                      .Str("01000")
                      .U8('M')
                      .Str("careful")
                      .U8(0)
                      .BuildString() +
                  MessageBuilder('E')
                      .U8('S')
                      .Str("ERROR")
                      .U8('C')
                      .Str("42P01")
                      .U8('M')
                      .Str("relation \"nope\" does not exist")
                      .U8('P')
                      .Str("15")
                      .U8(0)
                      .BuildString() +
                  MessageBuilder('Z').U8('I').BuildString() +
                  MessageBuilder('T')
                      .I16(1)
                      .Str("n")
                      .I32(0)
                      .I16(0)
                      .I32(23)
                      .I16(4)
                      .I32(-1)
                      .I16(0)
                      .BuildString() +
                  MessageBuilder('D').I16(1).I32(1).Raw("7").BuildString() +
                  MessageBuilder('C').Str("SELECT 1").BuildString() +
                  MessageBuilder('Z').U8('I').BuildString();
  ASSERT_OK_AND_ASSIGN(auto conn, ConnectScripted(&script, SslMode::kDisable, 3));
  auto failed = conn->SimpleQuery("SELECT * FROM nope");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(ClassifyStatus(failed.status()).code, "TABLE_NOT_FOUND");
  ASSERT_NE(GetServerError(failed.status()), nullptr);
  EXPECT_EQ(GetServerError(failed.status())->fields().position, "15");
  EXPECT_TRUE(conn->usable());
  ASSERT_OK_AND_ASSIGN(QueryResult ok, conn->SimpleQuery("SELECT 7"));
  ASSERT_EQ(ok.rows.size(), 1u);
  EXPECT_EQ(ok.rows[0][0], "7");
  EXPECT_EQ(ok.command_tag, "SELECT 1");
}

TEST(ConnectionTest, CopyInGroupsSmallWritesIntoLargeMessages) {
  Script script;
  script.server = ReadyAfterAuth() + MessageBuilder('G').U8(1).I16(0).BuildString() +
                  MessageBuilder('C').Str("COPY 3").BuildString() +
                  MessageBuilder('Z').U8('I').BuildString();
  ConnectOptions options;
  options.user = "alice";
  options.sslmode = SslMode::kDisable;
  options.copy_flush_bytes = 100;
  ASSERT_OK_AND_ASSIGN(auto conn,
                       Connection::Connect(std::make_unique<ScriptedStream>(&script, 5), options));
  ASSERT_OK(conn->StartCopyIn("COPY t FROM STDIN (FORMAT binary)").status());
  const std::size_t before = script.written.size();
  const std::string piece(30, 'x');
  for (int i = 0; i < 7; ++i)
    ASSERT_OK(conn->WriteCopyData(
        Bytes(reinterpret_cast<const std::uint8_t*>(piece.data()), piece.size())));
  // 210 bytes in 30-byte writes with a 100-byte threshold: two 120-byte... groups are sent only
  // when the threshold is crossed, so one message of 120 bytes is on the wire so far.
  EXPECT_EQ(script.written.size() - before, 5u + 120u);
  const std::string big(250, 'y');
  ASSERT_OK(
      conn->WriteCopyData(Bytes(reinterpret_cast<const std::uint8_t*>(big.data()), big.size())));
  // SendCopyData sends a chunk below the threshold at once, after what is queued.
  const std::string small(10, 'z');
  ASSERT_OK(conn->WriteCopyData(Bytes(reinterpret_cast<const std::uint8_t*>(piece.data()), 20)));
  ASSERT_OK(
      conn->SendCopyData(Bytes(reinterpret_cast<const std::uint8_t*>(small.data()), small.size())));
  EXPECT_EQ(script.written.size() - before, 5u + 120u + 5u + 90u + 5u + 250u + 5u + 20u + 5u + 10u);
  ASSERT_OK_AND_ASSIGN(std::uint64_t rows, conn->EndCopyIn());
  EXPECT_EQ(rows, 3u);
  // Messages: d(120) d(90) d(250) d(20) d(10) c: every data byte sent once, in order.
  std::string data;
  std::size_t pos = before;
  std::vector<std::size_t> sizes;
  while (pos < script.written.size()) {
    const char type = script.written[pos];
    const std::uint32_t len =
        LoadU32(reinterpret_cast<const std::uint8_t*>(&script.written[pos + 1]));
    if (type == 'd') {
      data += script.written.substr(pos + 5, len - 4);
      sizes.push_back(len - 4);
    }
    pos += 1 + len;
  }
  EXPECT_EQ(sizes, (std::vector<std::size_t>{120, 90, 250, 20, 10}));
  EXPECT_EQ(data, std::string(210, 'x') + big + std::string(20, 'x') + small);
}

std::string CopyData(const MessageBuilder& payload) {
  const auto& b = payload.bytes();
  return MessageBuilder('d').Raw(std::string(b.begin(), b.end())).BuildString();
}

// IDENTIFY_SYSTEM's answer: four text columns and one row.
std::string IdentifySystemAnswer() {
  MessageBuilder desc('T');
  desc.I16(4);
  for (const char* name : {"systemid", "timeline", "xlogpos", "dbname"})
    desc.Str(name).I32(0).I16(0).I32(25).I16(-1).I32(-1).I16(0);
  return desc.BuildString() +
         MessageBuilder('D')
             .I16(4)
             .I32(19).Raw("7291872351827346123")
             .I32(1).Raw("1")
             .I32(9).Raw("0/1A2B3C8")
             .I32(2).Raw("db")
             .BuildString() +
         MessageBuilder('C').Str("IDENTIFY_SYSTEM").BuildString() +
         MessageBuilder('Z').U8('I').BuildString();
}

TEST(ConnectionTest, ReplicationStreamOverCopyBoth) {
  Script script;
  const std::string keepalive = CopyData(MessageBuilder('k').I64(0x300).I64(5).U8(1));
  script.server = ReadyAfterAuth() + IdentifySystemAnswer() +
                  MessageBuilder('W').U8(0).I16(0).BuildString() +
                  CopyData(MessageBuilder('w').I64(0x100).I64(0x200).I64(4).Raw("Bxyz"));
  script.timeout_at = script.server.size() + 3;  // a read times out inside the keepalive
  script.server += keepalive + MessageBuilder('c').BuildString() +
                   MessageBuilder('C').Str("START_REPLICATION").BuildString() +
                   MessageBuilder('Z').U8('I').BuildString();
  ConnectOptions options;
  options.user = "alice";
  options.database = "db";
  options.sslmode = SslMode::kDisable;
  options.replication = true;
  ASSERT_OK_AND_ASSIGN(auto conn,
                       Connection::Connect(std::make_unique<ScriptedStream>(&script, 1), options));
  EXPECT_NE(script.written.find(std::string("replication\0database\0", 21)), std::string::npos);

  ASSERT_OK_AND_ASSIGN(SystemIdentity id, IdentifySystem(*conn));
  EXPECT_EQ(id.system_id, "7291872351827346123");
  EXPECT_EQ(id.timeline, 1);
  EXPECT_EQ(id.xlog_pos.ToString(), "0/1A2B3C8");
  EXPECT_EQ(id.dbname, "db");

  StartReplicationOptions start;
  start.slot = "s";
  start.start = Lsn(0x10);
  start.publications = {"p"};
  ASSERT_OK_AND_ASSIGN(ReplicationStream stream, ReplicationStream::Start(*conn, start));
  EXPECT_NE(script.written.find("START_REPLICATION SLOT s LOGICAL 0/10 (proto_version '1', "
                                "publication_names '\"p\"')"),
            std::string::npos);
  ASSERT_OK_AND_ASSIGN(ReplicationEvent e1, stream.Next(1000));
  ASSERT_TRUE(std::holds_alternative<XLogData>(e1));
  const XLogData& x = std::get<XLogData>(e1);
  EXPECT_EQ(std::string(x.payload.begin(), x.payload.end()), "Bxyz");
  EXPECT_EQ(stream.server_wal_end(), Lsn(0x200));

  ASSERT_OK_AND_ASSIGN(ReplicationEvent idle, stream.Next(0));
  EXPECT_TRUE(std::holds_alternative<StreamIdle>(idle));
  EXPECT_TRUE(conn->usable());
  ASSERT_OK_AND_ASSIGN(ReplicationEvent e2, stream.Next(1000));
  ASSERT_TRUE(std::holds_alternative<PrimaryKeepalive>(e2));
  EXPECT_TRUE(std::get<PrimaryKeepalive>(e2).reply_requested);
  EXPECT_EQ(stream.server_wal_end(), Lsn(0x300));

  StandbyStatus status;
  status.written = status.flushed = status.applied = Lsn(0x300);
  status.client_time = 77;
  const std::size_t before = script.written.size();
  ASSERT_OK(stream.SendStatus(status));
  ByteBuffer payload;
  EncodeStandbyStatusUpdate(status, &payload);
  EXPECT_EQ(script.written.substr(before),
            MessageBuilder('d').Raw(std::string(payload.begin(), payload.end())).BuildString());

  ASSERT_OK_AND_ASSIGN(ReplicationEvent end, stream.Next(1000));
  EXPECT_TRUE(std::holds_alternative<StreamEnded>(end));
  ASSERT_OK(stream.End());
  EXPECT_EQ(script.written.substr(script.written.size() - 5), std::string("c\0\0\0\x04", 5));
  EXPECT_TRUE(conn->usable());
  EXPECT_EQ(conn->transaction_status(), TransactionStatus::kIdle);
}

}  // namespace
}  // namespace rapidbyte::pgwire
