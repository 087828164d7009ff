#include "base/strings.h"

#include <gtest/gtest.h>

namespace rapidbyte {
namespace {

TEST(EditDistanceTest, Basics) {
  EXPECT_EQ(EditDistance("", ""), 0u);
  EXPECT_EQ(EditDistance("abc", ""), 3u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("upsret", "upsert"), 2u);
  EXPECT_EQ(EditDistance("max_batch_byte", "max_batch_bytes"), 1u);
}

TEST(SuggestClosestTest, SuggestsWithinLimit) {
  const std::vector<std::string> modes = {"append", "replace", "upsert"};
  EXPECT_EQ(SuggestClosest("upsret", modes), "upsert");
  EXPECT_EQ(SuggestClosest("incremntal", {"full_refresh", "incremental", "cdc"}), "incremental");
  EXPECT_EQ(SuggestClosest("max_batch_byte", {"max_memory", "max_batch_bytes"}),
            "max_batch_bytes");
}

TEST(SuggestClosestTest, NoSuggestionWhenFar) {
  EXPECT_EQ(SuggestClosest("drop", {"fail", "skip", "dlq"}), std::nullopt);
  EXPECT_EQ(SuggestClosest("snappy", {"lz4", "zstd"}), std::nullopt);
}

TEST(SuggestClosestTest, LongInputsAllowAThird) {
  // 15 characters allow distance 5; this pair is 4 apart.
  EXPECT_EQ(SuggestClosest("checkpnt_intrvl", {"checkpoint_interval"}), "checkpoint_interval");
}

TEST(JoinTest, Joins) {
  EXPECT_EQ(Join({}, ", "), "");
  EXPECT_EQ(Join({"a"}, ", "), "a");
  EXPECT_EQ(Join({"a", "b", "c"}, ", "), "a, b, c");
}

}  // namespace
}  // namespace rapidbyte
