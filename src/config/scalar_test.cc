#include "config/scalar.h"

#include <gtest/gtest.h>

#include <limits>

namespace rapidbyte::config {
namespace {

TEST(ScalarTest, CoreSchemaTypes) {
  for (const char* s : {"", "~", "null", "Null", "NULL"}) {
    EXPECT_EQ(ResolvePlainScalar(s), ScalarType::kNull) << s;
  }
  for (const char* s : {"true", "True", "TRUE", "false", "False", "FALSE"}) {
    EXPECT_EQ(ResolvePlainScalar(s), ScalarType::kBool) << s;
  }
  for (const char* s : {"0", "5433", "-1", "+7", "0o17", "0xFF", "99999999999999999999"}) {
    EXPECT_EQ(ResolvePlainScalar(s), ScalarType::kInt) << s;
  }
  for (const char* s : {"1.0", "-1.5", ".5", "1e3", "1.5E-2", ".inf", "-.Inf", ".nan", "5."}) {
    EXPECT_EQ(ResolvePlainScalar(s), ScalarType::kFloat) << s;
  }
  for (const char* s : {"yes", "no", "on", "1.0.0", "abc", "0b101", "1_000", "64 MiB", "e3"}) {
    EXPECT_EQ(ResolvePlainScalar(s), ScalarType::kString) << s;
  }
}

TEST(ScalarTest, ParseCoreInt) {
  EXPECT_EQ(ParseCoreInt("5433"), 5433);
  EXPECT_EQ(ParseCoreInt("-12"), -12);
  EXPECT_EQ(ParseCoreInt("+12"), 12);
  EXPECT_EQ(ParseCoreInt("0o17"), 15);
  EXPECT_EQ(ParseCoreInt("0x1f"), 31);
  EXPECT_EQ(ParseCoreInt("9223372036854775807"), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(ParseCoreInt("-9223372036854775808"), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(ParseCoreInt("9223372036854775808"), std::nullopt);
  EXPECT_EQ(ParseCoreInt("two"), std::nullopt);
  EXPECT_EQ(ParseCoreInt("1.0"), std::nullopt);
  EXPECT_EQ(ParseCoreInt(""), std::nullopt);
  EXPECT_EQ(ParseCoreInt("-"), std::nullopt);
}

TEST(ScalarTest, ParseCoreBool) {
  EXPECT_EQ(ParseCoreBool("True"), true);
  EXPECT_EQ(ParseCoreBool("FALSE"), false);
  EXPECT_EQ(ParseCoreBool("yes"), std::nullopt);
}

}  // namespace
}  // namespace rapidbyte::config
