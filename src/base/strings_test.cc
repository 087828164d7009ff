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

TEST(SanitizeForTerminalTest, EscapesControlCharactersVisibly) {
  // An OSC retitle, a screen clear, a carriage return and a forged "Error:" line.
  EXPECT_EQ(SanitizeForTerminal("a\x1b]0;pwned\x07 b\x1b[2J\rc\nError: fake\td\x7f"),
            "a\\x1b]0;pwned\\x07 b\\x1b[2J\\rc\\nError: fake\\td\\x7f");
  EXPECT_EQ(SanitizeForTerminal(std::string_view("nul\0end", 7)), "nul\\x00end");
  // C1 controls (CSI U+009B, NEL U+0085) in UTF-8; U+00A0 and later are kept.
  EXPECT_EQ(SanitizeForTerminal("\xc2\x9b"
                                "2J \xc2\x85 \xc2\xa0 \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
            "\\u009b2J \\u0085 \xc2\xa0 \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  // Bytes that are not UTF-8: a bare 8-bit CSI, a truncated sequence, an overlong ESC.
  EXPECT_EQ(SanitizeForTerminal("\x9b" "1m \xe2\x82 \xc0\x9b"), "\\x9b1m \\xe2\\x82 \\xc0\\x9b");
  // Plain text, backslashes included, is unchanged.
  EXPECT_EQ(SanitizeForTerminal("relation \"a\\b\" does not exist"),
            "relation \"a\\b\" does not exist");
  EXPECT_EQ(SanitizeForTerminal(""), "");
}

TEST(SanitizeForTerminalTest, LinesVariantKeepsLineFeedsOnly) {
  EXPECT_EQ(SanitizeLinesForTerminal("one\ntwo\r\x1b[2J\n"), "one\ntwo\\r\\x1b[2J\n");
}

TEST(JoinTest, Joins) {
  EXPECT_EQ(Join({}, ", "), "");
  EXPECT_EQ(Join({"a"}, ", "), "a");
  EXPECT_EQ(Join({"a", "b", "c"}, ", "), "a, b, c");
}

}  // namespace
}  // namespace rapidbyte
