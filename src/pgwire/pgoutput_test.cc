// pgoutput decoder on hand-built messages: every message type, every tuple value kind, old
// key and old row variants, and hostile inputs (every truncation of every valid message,
// trailing bytes, counts and lengths larger than the message, unknown markers, protocol 2+
// messages).
#include "pgwire/pgoutput.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/test_util.h"
#include "pgwire/codec_test_util.h"

namespace rapidbyte::pgwire::pgoutput {
namespace {

using testing::MessageBuilder;

std::string Str(Bytes b) { return std::string(b.begin(), b.end()); }

MessageBuilder RelationMessage() {
  MessageBuilder b('R');
  b.I32(16384).Str("public").Str("orders").U8('f').I16(3);
  b.U8(1).Str("id").I32(20).I32(-1);
  b.U8(0).Str("note").I32(25).I32(-1);
  b.U8(0).Str("price").I32(1700).I32((10 << 16 | 2) + 4);
  return b;
}

// An Insert of (7, 'unchanged TOAST', NULL, binary bytes with a zero, text).
MessageBuilder InsertMessage() {
  MessageBuilder b('I');
  b.I32(16384).U8('N').I16(4);
  b.Value('b', std::string("\0\0\0\0\0\0\0\x07", 8)).U8('u').U8('n').Value('t', "héllo");
  return b;
}

std::vector<MessageBuilder> ValidMessages() {
  std::vector<MessageBuilder> all;
  all.push_back(MessageBuilder('B').I64(0x16B374D848).I64(745'000'000'000'000).I32(777));
  all.push_back(MessageBuilder('C').U8(0).I64(0x100).I64(0x128).I64(12345));
  all.push_back(MessageBuilder('O').I64(0x42).Str("upstream"));
  all.push_back(RelationMessage());
  all.push_back(MessageBuilder('Y').I32(90001).Str("public").Str("mood"));
  all.push_back(InsertMessage());
  all.push_back(
      MessageBuilder('U').I32(1).U8('K').I16(1).Value('t', "1").U8('N').I16(1).Value('t', "2"));
  all.push_back(MessageBuilder('D').I32(1).U8('O').I16(2).Value('t', "1").U8('n'));
  all.push_back(MessageBuilder('T').I32(2).U8(3).I32(10).I32(11));
  all.push_back(MessageBuilder('M').U8(1).I64(0x99).Str("rb").I32(3).Raw("abc"));
  return all;
}

TEST(PgoutputTest, BeginCommitOriginType) {
  Decoder d;
  auto all = ValidMessages();
  ASSERT_OK_AND_ASSIGN(Message begin, d.Decode(all[0].span()));
  const auto& b = std::get<Begin>(begin);
  EXPECT_EQ(b.final_lsn.ToString(), "16/B374D848");
  EXPECT_EQ(b.commit_time, 745'000'000'000'000);
  EXPECT_EQ(b.xid, 777u);

  ASSERT_OK_AND_ASSIGN(Message commit, d.Decode(all[1].span()));
  const auto& c = std::get<Commit>(commit);
  EXPECT_EQ(c.commit_lsn, Lsn(0x100));
  EXPECT_EQ(c.end_lsn, Lsn(0x128));
  EXPECT_EQ(c.commit_time, 12345);

  ASSERT_OK_AND_ASSIGN(Message origin, d.Decode(all[2].span()));
  EXPECT_EQ(std::get<Origin>(origin).commit_lsn, Lsn(0x42));
  EXPECT_EQ(std::get<Origin>(origin).name, "upstream");

  ASSERT_OK_AND_ASSIGN(Message type, d.Decode(all[4].span()));
  EXPECT_EQ(std::get<Type>(type).type_oid, 90001u);
  EXPECT_EQ(std::get<Type>(type).namespace_name, "public");
  EXPECT_EQ(std::get<Type>(type).type_name, "mood");
}

TEST(PgoutputTest, RelationWithColumns) {
  Decoder d;
  const auto msg = RelationMessage();
  ASSERT_OK_AND_ASSIGN(Message m, d.Decode(msg.span()));
  const auto& r = std::get<Relation>(m);
  EXPECT_EQ(r.relation_id, 16384u);
  EXPECT_EQ(r.namespace_name, "public");
  EXPECT_EQ(r.relation_name, "orders");
  EXPECT_EQ(r.replica_identity, 'f');
  ASSERT_EQ(r.columns.size(), 3u);
  EXPECT_TRUE(r.columns[0].is_key());
  EXPECT_EQ(r.columns[0].name, "id");
  EXPECT_EQ(r.columns[0].type_oid, 20u);
  EXPECT_FALSE(r.columns[1].is_key());
  EXPECT_EQ(r.columns[2].type_modifier, (10 << 16 | 2) + 4);

  const auto empty = MessageBuilder('R').I32(5).Str("").Str("no_columns").U8('n').I16(0);
  ASSERT_OK_AND_ASSIGN(Message e, d.Decode(empty.span()));
  EXPECT_TRUE(std::get<Relation>(e).columns.empty());
}

TEST(PgoutputTest, InsertWithEveryValueKind) {
  Decoder d;
  const auto msg = InsertMessage();
  ASSERT_OK_AND_ASSIGN(Message m, d.Decode(msg.span()));
  const auto& ins = std::get<Insert>(m);
  EXPECT_EQ(ins.relation_id, 16384u);
  ASSERT_EQ(ins.new_tuple.size(), 4u);
  EXPECT_EQ(ins.new_tuple[0].kind, ValueKind::kBinary);
  EXPECT_EQ(Str(ins.new_tuple[0].data), std::string("\0\0\0\0\0\0\0\x07", 8));
  EXPECT_EQ(ins.new_tuple[1].kind, ValueKind::kUnchangedToast);
  EXPECT_TRUE(ins.new_tuple[1].data.empty());
  EXPECT_EQ(ins.new_tuple[2].kind, ValueKind::kNull);
  EXPECT_EQ(ins.new_tuple[3].kind, ValueKind::kText);
  EXPECT_EQ(Str(ins.new_tuple[3].data), "héllo");
  // Values are views into the payload, not copies.
  EXPECT_GE(ins.new_tuple[3].data.data(), msg.bytes().data());
  EXPECT_LT(ins.new_tuple[3].data.data(), msg.bytes().data() + msg.bytes().size());
}

TEST(PgoutputTest, UpdateWithoutOldWithKeyAndWithOldRow) {
  Decoder d;
  const auto plain = MessageBuilder('U').I32(9).U8('N').I16(2).Value('t', "1").U8('u');
  ASSERT_OK_AND_ASSIGN(Message m1, d.Decode(plain.span()));
  const auto& u1 = std::get<Update>(m1);
  EXPECT_EQ(u1.relation_id, 9u);
  EXPECT_EQ(u1.old_kind, OldTupleKind::kNone);
  EXPECT_TRUE(u1.old_tuple.empty());
  ASSERT_EQ(u1.new_tuple.size(), 2u);
  EXPECT_EQ(u1.new_tuple[1].kind, ValueKind::kUnchangedToast);

  const auto key = MessageBuilder('U')
                       .I32(9)
                       .U8('K')
                       .I16(2)
                       .Value('t', "1")
                       .U8('n')
                       .U8('N')
                       .I16(2)
                       .Value('t', "2")
                       .Value('t', "x");
  ASSERT_OK_AND_ASSIGN(Message m2, d.Decode(key.span()));
  const auto& u2 = std::get<Update>(m2);
  EXPECT_EQ(u2.old_kind, OldTupleKind::kKey);
  ASSERT_EQ(u2.old_tuple.size(), 2u);
  EXPECT_EQ(Str(u2.old_tuple[0].data), "1");  // the old tuple survives decoding the new one
  EXPECT_EQ(u2.old_tuple[1].kind, ValueKind::kNull);
  EXPECT_EQ(Str(u2.new_tuple[0].data), "2");
  EXPECT_EQ(Str(u2.new_tuple[1].data), "x");

  const auto full =
      MessageBuilder('U').I32(9).U8('O').I16(1).Value('b', "ab").U8('N').I16(1).U8('n');
  ASSERT_OK_AND_ASSIGN(Message m3, d.Decode(full.span()));
  EXPECT_EQ(std::get<Update>(m3).old_kind, OldTupleKind::kFull);
  EXPECT_EQ(Str(std::get<Update>(m3).old_tuple[0].data), "ab");
  EXPECT_EQ(std::get<Update>(m3).new_tuple[0].kind, ValueKind::kNull);
}

TEST(PgoutputTest, DeleteWithKeyOrOldRow) {
  Decoder d;
  const auto key = MessageBuilder('D').I32(3).U8('K').I16(2).Value('t', "42").U8('n');
  ASSERT_OK_AND_ASSIGN(Message m1, d.Decode(key.span()));
  EXPECT_EQ(std::get<Delete>(m1).old_kind, OldTupleKind::kKey);
  EXPECT_EQ(Str(std::get<Delete>(m1).old_tuple[0].data), "42");

  const auto full = MessageBuilder('D').I32(3).U8('O').I16(1).Value('t', "all");
  ASSERT_OK_AND_ASSIGN(Message m2, d.Decode(full.span()));
  EXPECT_EQ(std::get<Delete>(m2).old_kind, OldTupleKind::kFull);

  const auto none = MessageBuilder('D').I32(3).U8('N').I16(1).U8('n');
  auto bad = d.Decode(none.span());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("expected tuple marker K or O"), std::string::npos);
}

TEST(PgoutputTest, TruncateAndLogicalMessage) {
  Decoder d;
  auto all = ValidMessages();
  ASSERT_OK_AND_ASSIGN(Message t, d.Decode(all[8].span()));
  const auto& tr = std::get<Truncate>(t);
  EXPECT_EQ(tr.options, Truncate::kCascade | Truncate::kRestartIdentity);
  ASSERT_EQ(tr.relation_ids.size(), 2u);
  EXPECT_EQ(tr.relation_ids[0], 10u);
  EXPECT_EQ(tr.relation_ids[1], 11u);

  const auto msg =
      MessageBuilder('M').U8(0).I64(0x99).Str("rb.test").I32(4).U8('a').U8(0).U8('b').U8(0xff);
  ASSERT_OK_AND_ASSIGN(Message m, d.Decode(msg.span()));
  const auto& lm = std::get<LogicalMessage>(m);
  EXPECT_FALSE(lm.transactional);
  EXPECT_EQ(lm.lsn, Lsn(0x99));
  EXPECT_EQ(lm.prefix, "rb.test");
  EXPECT_EQ(Str(lm.content), std::string("a\0b\xff", 4));
}

// Every proper prefix of every valid message is an error naming the message, never a crash.
TEST(PgoutputTest, EveryTruncationIsAnError) {
  Decoder d;
  for (const auto& msg : ValidMessages()) {
    ASSERT_OK(d.Decode(msg.span()).status());
    for (std::size_t n = 0; n < msg.bytes().size(); ++n) {
      auto r = d.Decode(msg.span().first(n));
      ASSERT_FALSE(r.ok()) << msg.bytes()[0] << " prefix " << n;
      EXPECT_EQ(r.status().code(), StatusCode::kDataLoss);
      if (n > 0) {
        EXPECT_NE(r.status().message().find(std::string(MessageTypeName(msg.bytes()[0]))),
                  std::string::npos)
            << r.status().message();
        EXPECT_NE(r.status().message().find("at offset"), std::string::npos);
      }
    }
  }
}

TEST(PgoutputTest, TrailingBytesAreAnError) {
  Decoder d;
  for (auto msg : ValidMessages()) {
    msg.U8(0);
    auto r = d.Decode(msg.span());
    ASSERT_FALSE(r.ok()) << msg.bytes()[0];
    EXPECT_NE(r.status().message().find("trailing"), std::string::npos) << r.status().message();
  }
}

TEST(PgoutputTest, CountsAndLengthsBeyondTheMessageAreErrors) {
  Decoder d;
  struct Case {
    MessageBuilder msg;
    const char* expect;
  };
  const Case cases[] = {
      {MessageBuilder('I').I32(1).U8('N').I16(-1).U8('n'), "tuple column count 65535"},
      {MessageBuilder('I').I32(1).U8('N').I16(2).U8('t').I32(1000).U8('x'),
       "tuple value runs past the end"},
      {MessageBuilder('I').I32(1).U8('N').I16(1).U8('t').I32(-5), "tuple value length -5"},
      {MessageBuilder('I').I32(1).U8('N').I16(1).U8('x'), "unknown tuple value kind 120"},
      {MessageBuilder('I').I32(1).U8('K').I16(0), "expected tuple marker N"},
      {MessageBuilder('U').I32(1).U8('K').I16(0).U8('X').I16(0), "expected tuple marker N"},
      {MessageBuilder('R').I32(1).Str("s").Str("t").U8('d').I16(0x7fff).U8(0),
       "column count 32767"},
      {MessageBuilder('R').I32(1).Str("s").Str("t").U8('z').I16(0), "unknown replica identity"},
      {MessageBuilder('R').I32(1).Str("s").Raw("unterminated"), "not NUL-terminated"},
      {MessageBuilder('T').I32(0x7fffffff).U8(0).I32(1), "relation count 2147483647"},
      {MessageBuilder('T').I32(-1).U8(0), "relation count 4294967295"},
      {MessageBuilder('M').U8(1).I64(1).Str("p").I32(-1), "message content length -1"},
      {MessageBuilder('M').U8(1).I64(1).Str("p").I32(1 << 30), "message content runs past"},
      {MessageBuilder('x').I32(1), "unknown message type"},
  };
  for (const Case& c : cases) {
    auto r = d.Decode(c.msg.span());
    ASSERT_FALSE(r.ok()) << c.expect;
    EXPECT_EQ(r.status().code(), StatusCode::kDataLoss) << c.expect;
    EXPECT_NE(r.status().message().find(c.expect), std::string::npos) << r.status().message();
  }
  EXPECT_FALSE(d.Decode(Bytes()).ok());
}

TEST(PgoutputTest, ErrorsNameTheMessageAndTheOffset) {
  Decoder d;
  // The value's 4 bytes of length end at offset 1 + 4 + 1 + 2 + 1 + 4 = 13.
  const auto msg = MessageBuilder('I').I32(1).U8('N').I16(1).U8('t').I32(10).U8('x');
  auto r = d.Decode(msg.span());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("pgoutput Insert message (type byte 73) at offset 13"),
            std::string::npos)
      << r.status().message();
}

TEST(PgoutputTest, StreamedAndTwoPhaseMessagesAreRefused) {
  Decoder d;
  for (char type : {'S', 'E', 'c', 'A', 'b', 'P', 'K', 'r', 'p'}) {
    const auto msg = MessageBuilder(type).I32(1);
    auto r = d.Decode(msg.span());
    ASSERT_FALSE(r.ok()) << type;
    EXPECT_EQ(r.status().code(), StatusCode::kUnimplemented);
    EXPECT_NE(r.status().message().find("proto_version '1'"), std::string::npos);
  }
}

}  // namespace
}  // namespace rapidbyte::pgwire::pgoutput
