// Tests for the message codec: framing (need more / one frame / error), every backend decoder
// on good and hostile input, and byte-exact frontend encodings.
#include <deque>

#include <gtest/gtest.h>

#include "base/test_util.h"
#include "pgwire/backend.h"
#include "pgwire/codec_test_util.h"
#include "pgwire/frontend.h"

namespace rapidbyte::pgwire {
namespace {

using testing::MessageBuilder;

// Decoded messages are views into their input, so the inputs live until the test ends.
Result<BackendMessage> ParseOne(std::vector<std::uint8_t> input) {
  static std::deque<std::vector<std::uint8_t>> keep;
  const std::vector<std::uint8_t>& bytes = keep.emplace_back(std::move(input));
  RB_ASSIGN_OR_RETURN(std::optional<Frame> frame, ParseFrame(bytes, kMaxMessageBytes));
  if (!frame) return Status::OutOfRange("incomplete");
  if (frame->wire_size != bytes.size()) return Status::OutOfRange("frame size mismatch");
  return ParseBackendMessage(*frame);
}

TEST(FrameTest, NeedsMoreUntilComplete) {
  const auto bytes = MessageBuilder('C').Str("SELECT 1").Build();
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    std::size_t needed = 0;
    ASSERT_OK_AND_ASSIGN(auto frame,
                         ParseFrame(Bytes(bytes.data(), cut), kMaxMessageBytes, &needed));
    EXPECT_FALSE(frame.has_value()) << cut;
    EXPECT_EQ(needed, cut < 5 ? 5 : bytes.size());
  }
  ASSERT_OK_AND_ASSIGN(auto frame, ParseFrame(bytes, kMaxMessageBytes));
  ASSERT_TRUE(frame.has_value());
  EXPECT_EQ(frame->type, 'C');
  EXPECT_EQ(frame->wire_size, bytes.size());
}

TEST(FrameTest, RejectsBadLengths) {
  EXPECT_FALSE(ParseFrame(MessageBuilder('Z').Build(-1), kMaxMessageBytes).ok());  // length 3
  const std::vector<std::uint8_t> huge = {'D', 0x7f, 0xff, 0xff, 0xff};
  Status s = ParseFrame(huge, kMaxMessageBytes).status();
  EXPECT_EQ(s.code(), StatusCode::kDataLoss);
  EXPECT_FALSE(ParseFrame(MessageBuilder('d').Raw("0123456789").Build(), 10).ok());
  const std::vector<std::uint8_t> max_u32 = {'D', 0xff, 0xff, 0xff, 0xff};
  // Without a cap a 4 GiB announcement only asks for more bytes; it never reads past the input.
  ASSERT_OK_AND_ASSIGN(auto pending, ParseFrame(max_u32, UINT64_MAX));
  EXPECT_FALSE(pending.has_value());
}

TEST(BackendTest, DecodesStartupMessages) {
  ASSERT_OK_AND_ASSIGN(auto key, ParseOne(MessageBuilder('K').I32(42).I32(-7).Build()));
  EXPECT_EQ(std::get<BackendKeyDataMsg>(key).process_id, 42);
  EXPECT_EQ(std::get<BackendKeyDataMsg>(key).secret_key, -7);
  ASSERT_OK_AND_ASSIGN(auto ps, ParseOne(MessageBuilder('S').Str("TimeZone").Str("UTC").Build()));
  EXPECT_EQ(std::get<ParameterStatusMsg>(ps).value, "UTC");
  ASSERT_OK_AND_ASSIGN(auto rfq, ParseOne(MessageBuilder('Z').U8('T').Build()));
  EXPECT_EQ(std::get<ReadyForQueryMsg>(rfq).status, TransactionStatus::kInTransaction);
  ASSERT_OK_AND_ASSIGN(auto sasl, ParseOne(MessageBuilder('R')
                                               .I32(10)
                                               .Str("SCRAM-SHA-256-PLUS")
                                               .Str("SCRAM-SHA-256")
                                               .U8(0)
                                               .Build()));
  ASSERT_OK_AND_ASSIGN(auto names, ParseSaslMechanisms(std::get<AuthenticationMsg>(sasl).data));
  EXPECT_EQ(names, (std::vector<std::string_view>{"SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"}));
}

TEST(BackendTest, RejectsTrailingAndTruncatedBodies) {
  EXPECT_FALSE(ParseOne(MessageBuilder('K').I32(1).I32(2).U8(0).Build()).ok());
  EXPECT_FALSE(ParseOne(MessageBuilder('K').I32(1).Build()).ok());
  EXPECT_FALSE(ParseOne(MessageBuilder('Z').U8('X').Build()).ok());
  EXPECT_FALSE(ParseOne(MessageBuilder('Z').U8('I').U8('I').Build()).ok());
  EXPECT_FALSE(ParseOne(MessageBuilder('S').Str("a").Raw("b").Build()).ok());  // no NUL
  EXPECT_FALSE(ParseOne(MessageBuilder('1').U8(0).Build()).ok());
  EXPECT_FALSE(ParseOne(MessageBuilder('R').I32(5).Raw("abc").Build()).ok());  // 3-byte salt
  EXPECT_FALSE(ParseOne(MessageBuilder('R').I32(0).U8(1).Build()).ok());
  EXPECT_FALSE(ParseOne(MessageBuilder('?').Build()).ok());
}

TEST(BackendTest, DataRowChecksEveryLength) {
  ASSERT_OK_AND_ASSIGN(
      auto msg, ParseOne(MessageBuilder('D').I16(3).I32(2).Raw("hi").I32(-1).I32(0).Build()));
  const auto& row = std::get<DataRowMsg>(msg);
  std::vector<std::optional<std::string>> cells;
  ForEachCell(row, [&cells](std::uint16_t, std::optional<Bytes> cell) {
    cells.push_back(cell ? std::optional<std::string>(std::string(cell->begin(), cell->end()))
                         : std::nullopt);
  });
  EXPECT_EQ(cells, (std::vector<std::optional<std::string>>{"hi", std::nullopt, ""}));
  EXPECT_FALSE(ParseOne(MessageBuilder('D').I16(2).I32(2).Raw("hi").Build()).ok());
  EXPECT_FALSE(ParseOne(MessageBuilder('D').I16(1).I32(3).Raw("hi").Build()).ok());
  EXPECT_FALSE(ParseOne(MessageBuilder('D').I16(1).I32(-2).Build()).ok());
  EXPECT_FALSE(ParseOne(MessageBuilder('D').I16(-1).Build()).ok());
  EXPECT_FALSE(ParseOne(MessageBuilder('D').I16(1).I32(0x7fffffff).Raw("x").Build()).ok());
  EXPECT_FALSE(ParseOne(MessageBuilder('D').I16(1).I32(1).Raw("xy").Build()).ok());  // trailing
}

TEST(BackendTest, RowDescriptionAndHostileCounts) {
  ASSERT_OK_AND_ASSIGN(auto msg, ParseOne(MessageBuilder('T')
                                              .I16(1)
                                              .Str("id")
                                              .I32(16384)
                                              .I16(1)
                                              .I32(23)
                                              .I16(4)
                                              .I32(-1)
                                              .I16(1)
                                              .Build()));
  const auto& fields = std::get<RowDescriptionMsg>(msg).fields;
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields[0].name, "id");
  EXPECT_EQ(fields[0].type_oid, 23u);
  EXPECT_EQ(fields[0].format, Format::kBinary);
  // 32767 fields announced in a tiny message: rejected before anything is allocated.
  EXPECT_FALSE(ParseOne(MessageBuilder('T').I16(32767).Str("x").Build()).ok());
  EXPECT_FALSE(
      ParseOne(
          MessageBuilder('T').I16(1).Str("id").I32(0).I16(1).I32(23).I16(4).I32(-1).I16(7).Build())
          .ok());  // format code 7
  EXPECT_FALSE(ParseOne(MessageBuilder('v').I32(0).I32(1000000).Build()).ok());
}

TEST(BackendTest, ErrorResponseKeepsEveryField) {
  ASSERT_OK_AND_ASSIGN(auto msg, ParseOne(MessageBuilder('E')
                                              .U8('S')
                                              .Str("ERROR")
                                              .U8('V')
                                              .Str("ERROR")
                                              .U8('C')
                                              .Str("23505")
                                              .U8('M')
                                              .Str("duplicate key")
                                              .U8('D')
                                              .Str("Key (id)=(1) already exists.")
                                              .U8('H')
                                              .Str("a hint")
                                              .U8('P')
                                              .Str("15")
                                              .U8('s')
                                              .Str("public")
                                              .U8('t')
                                              .Str("t")
                                              .U8('c')
                                              .Str("id")
                                              .U8('n')
                                              .Str("t_pkey")
                                              .U8('Z')
                                              .Str("future")
                                              .U8(0)
                                              .Build()));
  const ServerErrorFields& f = std::get<ErrorResponseMsg>(msg).fields;
  EXPECT_EQ(f.sqlstate, "23505");
  EXPECT_EQ(f.message, "duplicate key");
  EXPECT_EQ(f.detail, "Key (id)=(1) already exists.");
  EXPECT_EQ(f.hint, "a hint");
  EXPECT_EQ(f.position, "15");
  EXPECT_EQ(f.schema, "public");
  EXPECT_EQ(f.table, "t");
  EXPECT_EQ(f.column, "id");
  EXPECT_EQ(f.constraint, "t_pkey");
  Status s = ServerErrorStatus(f);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);  // 23xxx is a data error
  ASSERT_NE(GetServerError(s), nullptr);
  EXPECT_EQ(GetServerError(s)->fields().constraint, "t_pkey");
  EXPECT_FALSE(ParseOne(MessageBuilder('E').U8('M').Str("no terminator").Build()).ok());
  EXPECT_FALSE(ParseOne(MessageBuilder('E').U8('M').Raw("unterminated").Build()).ok());
}

TEST(BackendTest, CopyResponse) {
  ASSERT_OK_AND_ASSIGN(auto msg, ParseOne(MessageBuilder('H').U8(1).I16(2).I16(1).I16(1).Build()));
  EXPECT_EQ(std::get<CopyResponseMsg>(msg).overall, Format::kBinary);
  EXPECT_EQ(std::get<CopyResponseMsg>(msg).columns.size(), 2u);
  EXPECT_FALSE(ParseOne(MessageBuilder('G').U8(0).I16(1).I16(1).Build()).ok());
  EXPECT_FALSE(ParseOne(MessageBuilder('G').U8(2).I16(0).Build()).ok());
  EXPECT_FALSE(ParseOne(MessageBuilder('H').U8(1).I16(3).I16(1).Build()).ok());
}

TEST(FrontendTest, ByteExactEncodings) {
  ByteBuffer out;
  ASSERT_OK(EncodeQuery("SELECT 1", &out));
  EXPECT_EQ(std::string(out.begin(), out.end()), std::string("Q\0\0\0\x0dSELECT 1\0", 14));
  out.clear();
  EncodeSslRequest(&out);
  EXPECT_EQ(out, (ByteBuffer{0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f}));
  out.clear();
  EncodeCancelRequest(1, 2, &out);
  EXPECT_EQ(out, (ByteBuffer{0, 0, 0, 16, 0x04, 0xd2, 0x16, 0x2e, 0, 0, 0, 1, 0, 0, 0, 2}));
  out.clear();
  ASSERT_OK(EncodeStartup({{"user", "u"}}, &out));
  EXPECT_EQ(std::string(out.begin(), out.end()),
            std::string("\0\0\0\x10\0\x03\0\0user\0u\0\0", 16));
  out.clear();
  const std::uint8_t four[4] = {0, 0, 0, 4};
  const Param params[] = {Param::Binary(four, 23), Param::Null(25)};
  ASSERT_OK(EncodeBind("", "s1", params, Format::kBinary, &out));
  EXPECT_EQ(std::string(out.begin(), out.end()),
            std::string("B\0\0\0\x20\0s1\0\0\x02\0\x01\0\x01\0\x02\0\0\0\x04\0\0\0\x04"
                        "\xff\xff\xff\xff\0\x01\0\x01",
                        33));
}

TEST(FrontendTest, RejectsNulBytesAndLeavesBufferUnchanged) {
  ByteBuffer out = {1, 2, 3};
  EXPECT_EQ(EncodeQuery(std::string_view("a\0b", 3), &out).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(EncodeStartup({{"user", std::string("a\0", 2)}}, &out).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(EncodePassword(std::string_view("p\0w", 3), &out).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(out, (ByteBuffer{1, 2, 3}));
  std::vector<std::uint32_t> oids(40000, 23);
  EXPECT_FALSE(EncodeParse("", "SELECT 1", oids, &out).ok());
  EXPECT_EQ(out, (ByteBuffer{1, 2, 3}));
}

}  // namespace
}  // namespace rapidbyte::pgwire
