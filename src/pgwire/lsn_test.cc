// Lsn: text form both ways (what pg_lsn_in accepts and refuses), order and arithmetic.
#include "pgwire/lsn.h"

#include <gtest/gtest.h>

#include "base/test_util.h"

namespace rapidbyte::pgwire {
namespace {

TEST(LsnTest, ParsesAndPrintsLikePgLsn) {
  ASSERT_OK_AND_ASSIGN(Lsn lsn, Lsn::Parse("16/B374D848"));
  EXPECT_EQ(lsn.value(), 0x16B374D848ULL);
  EXPECT_EQ(lsn.ToString(), "16/B374D848");
  ASSERT_OK_AND_ASSIGN(Lsn lower, Lsn::Parse("0000000a/0000ff"));
  EXPECT_EQ(lower.ToString(), "A/FF");
  EXPECT_EQ(Lsn().ToString(), "0/0");
  EXPECT_FALSE(Lsn().valid());
  EXPECT_EQ(Lsn(UINT64_MAX).ToString(), "FFFFFFFF/FFFFFFFF");
  ASSERT_OK_AND_ASSIGN(Lsn max, Lsn::Parse("FFFFFFFF/FFFFFFFF"));
  EXPECT_EQ(max.value(), UINT64_MAX);
}

TEST(LsnTest, RejectsWhatPgLsnRejects) {
  for (const char* bad : {"", "/", "1/", "/1", "1", "1/2/3", "G/1", "1/-1", " 1/1", "1/1 ",
                          "123456789/0", "0/123456789", "0x1/1", "+1/1"}) {
    auto parsed = Lsn::Parse(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(LsnTest, OrdersAndMeasuresDistance) {
  const Lsn a(0x100);
  const Lsn b(0x1'0000'0000ULL);
  EXPECT_LT(a, b);
  EXPECT_EQ(a, Lsn(0x100));
  EXPECT_NE(a, b);
  EXPECT_EQ(b.BytesSince(a), 0x1'0000'0000ULL - 0x100);
  EXPECT_EQ(a.BytesSince(b), 0u);
  EXPECT_EQ(a.Plus(0x10), Lsn(0x110));
  EXPECT_EQ(Lsn(UINT64_MAX - 1).Plus(5), Lsn(UINT64_MAX));
}

}  // namespace
}  // namespace rapidbyte::pgwire
