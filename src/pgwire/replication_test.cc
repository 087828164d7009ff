// Streaming replication codec: XLogData and keepalive parsing (lengths checked), the standby
// status update's exact bytes, START_REPLICATION command quoting and name checks, epoch
// conversion. The CopyBoth session over a scripted stream is in connection_test.cc.
#include "pgwire/replication.h"

#include <string>

#include <gtest/gtest.h>

#include "base/test_util.h"
#include "pgwire/codec_test_util.h"

namespace rapidbyte::pgwire {
namespace {

using testing::MessageBuilder;

TEST(ReplicationCodecTest, XLogDataAndKeepalive) {
  const auto xlog = MessageBuilder('w').I64(0x1'0000'0010).I64(0x1'0000'0020).I64(99).Raw("BEGIN");
  ASSERT_OK_AND_ASSIGN(ReplicationEvent e, ParseReplicationMessage(xlog.span()));
  const auto& x = std::get<XLogData>(e);
  EXPECT_EQ(x.wal_start.ToString(), "1/10");
  EXPECT_EQ(x.wal_end.ToString(), "1/20");
  EXPECT_EQ(x.send_time, 99);
  EXPECT_EQ(std::string(x.payload.begin(), x.payload.end()), "BEGIN");

  const auto keepalive = MessageBuilder('k').I64(0x500).I64(-7).U8(1);
  ASSERT_OK_AND_ASSIGN(ReplicationEvent k, ParseReplicationMessage(keepalive.span()));
  EXPECT_EQ(std::get<PrimaryKeepalive>(k).wal_end, Lsn(0x500));
  EXPECT_EQ(std::get<PrimaryKeepalive>(k).send_time, -7);
  EXPECT_TRUE(std::get<PrimaryKeepalive>(k).reply_requested);

  for (std::size_t n = 0; n < keepalive.bytes().size(); ++n) {
    EXPECT_FALSE(ParseReplicationMessage(keepalive.span().first(n)).ok()) << n;
  }
  for (std::size_t n = 0; n < 25; ++n) {
    EXPECT_FALSE(ParseReplicationMessage(xlog.span().first(n)).ok()) << n;
  }
  auto long_keepalive = keepalive;
  long_keepalive.U8(0);
  EXPECT_FALSE(ParseReplicationMessage(long_keepalive.span()).ok());
  const auto unknown = MessageBuilder('q').I64(0);
  auto bad = ParseReplicationMessage(unknown.span());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kDataLoss);
}

TEST(ReplicationCodecTest, StandbyStatusUpdateBytes) {
  StandbyStatus s;
  s.written = Lsn(0x0102030405060708);
  s.flushed = Lsn(0x10);
  s.applied = Lsn(0x20);
  s.client_time = 0x0A0B0C0D0E0F1011;
  s.reply_requested = true;
  ByteBuffer out;
  EncodeStandbyStatusUpdate(s, &out);
  const auto expected =
      MessageBuilder('r').I64(0x0102030405060708).I64(0x10).I64(0x20).I64(0x0A0B0C0D0E0F1011).U8(1);
  EXPECT_EQ(out, expected.bytes());
  EXPECT_EQ(out.size(), 34u);
}

TEST(ReplicationCodecTest, StartReplicationCommandQuotesPublications) {
  StartReplicationOptions o;
  o.slot = "rb_shop_orders";
  o.start = Lsn(0x16B374D848);
  o.publications = {"rb_pub", "We'ird \"name\", too"};
  o.binary = true;
  ASSERT_OK_AND_ASSIGN(std::string cmd, StartReplicationCommand(o));
  EXPECT_EQ(cmd,
            "START_REPLICATION SLOT rb_shop_orders LOGICAL 16/B374D848 (proto_version '1', "
            "publication_names '\"rb_pub\",\"We''ird \"\"name\"\", too\"', binary 'true')");
  o.binary = false;
  o.messages = true;
  o.publications = {"p"};
  ASSERT_OK_AND_ASSIGN(cmd, StartReplicationCommand(o));
  EXPECT_EQ(cmd,
            "START_REPLICATION SLOT rb_shop_orders LOGICAL 16/B374D848 (proto_version '1', "
            "publication_names '\"p\"', messages 'true')");
}

TEST(ReplicationCodecTest, BadNamesAreRefused) {
  StartReplicationOptions o;
  o.publications = {"p"};
  for (const char* slot : {"", "Upper", "with space", "semi;colon", "a-b",
                           "x123456789012345678901234567890123456789012345678901234567890123"}) {
    o.slot = slot;
    auto cmd = StartReplicationCommand(o);
    ASSERT_FALSE(cmd.ok()) << slot;
    EXPECT_EQ(cmd.status().code(), StatusCode::kInvalidArgument);
  }
  o.slot = "ok_slot";
  o.publications = {};
  EXPECT_FALSE(StartReplicationCommand(o).ok());
  o.publications = {std::string("a\0b", 3)};
  EXPECT_FALSE(StartReplicationCommand(o).ok());
  o.publications = {""};
  EXPECT_FALSE(StartReplicationCommand(o).ok());
}

TEST(ReplicationCodecTest, PostgresEpoch) {
  EXPECT_EQ(PgTimeFromUnixMicros(946'684'800'000'000), 0);
  EXPECT_EQ(UnixMicrosFromPgTime(0), 946'684'800'000'000);
  EXPECT_EQ(UnixMicrosFromPgTime(PgTimeFromUnixMicros(1'700'000'000'123'456)),
            1'700'000'000'123'456);
}

}  // namespace
}  // namespace rapidbyte::pgwire
