// CursorValueText: every CursorValue type as people read it.
#include "engine/core/cursor_text.h"

#include <cstdint>
#include <limits>

#include <gtest/gtest.h>

namespace rapidbyte::engine {
namespace {

using protocol::Json;

std::string Text(const char* json) { return CursorValueText(Json::parse(json)); }

TEST(CursorValueTextTest, EachTypeInItsOwnForm) {
  EXPECT_EQ(Text(R"({"int64":5})"), "5");
  EXPECT_EQ(Text(R"({"int64":-42})"), "-42");
  EXPECT_EQ(Text(R"({"decimal":{"value":"12.50","scale":2}})"), "12.50");
  EXPECT_EQ(Text(R"({"date32":0})"), "1970-01-01");
  EXPECT_EQ(Text(R"({"date32":20794})"), "2026-12-07");
  EXPECT_EQ(Text(R"({"date32":-1})"), "1969-12-31");
  // Beyond std::chrono::year's +/-32767: the whole int64 range of a timestamp has a date.
  EXPECT_EQ(Text(R"({"date32":2147483646})"), "5881580-07-10");
  EXPECT_EQ(Text(R"({"timestamp_micros":1796615246278428})"), "2026-12-07T03:47:26.278428Z");
  EXPECT_EQ(Text(R"({"timestamp_micros":1796615246000000})"), "2026-12-07T03:47:26Z");
  EXPECT_EQ(Text(R"({"timestamp_micros":1000})"), "1970-01-01T00:00:00.001000Z");
  EXPECT_EQ(Text(R"({"timestamp_micros":-1})"), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(Text(R"({"timestamp_millis":1796615246278})"), "2026-12-07T03:47:26.278Z");
  EXPECT_EQ(Text(R"({"utf8":"order 7"})"), R"("order 7")");
  EXPECT_EQ(Text(R"({"uuid":"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"})"),
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
}

TEST(CursorValueTextTest, InfinitiesAndUnknownForms) {
  const Json max_ts = {{"timestamp_micros", std::numeric_limits<std::int64_t>::max()}};
  const Json min_ts = {{"timestamp_micros", std::numeric_limits<std::int64_t>::min()}};
  EXPECT_EQ(CursorValueText(max_ts), "infinity");
  EXPECT_EQ(CursorValueText(min_ts), "-infinity");
  const Json max_date = {{"date32", std::numeric_limits<std::int32_t>::max()}};
  EXPECT_EQ(CursorValueText(max_date), "infinity");
  // A text value cannot write control sequences to a terminal.
  EXPECT_EQ(Text(R"({"utf8":"a\u001b[31mb"})"), R"("a\u001b[31mb")");
  // Forms it does not know, or of the wrong shape, stay JSON.
  EXPECT_EQ(Text(R"({"int64":"5"})"), R"({"int64":"5"})");
  EXPECT_EQ(Text(R"({"lsn":"0/16B3748"})"), R"({"lsn":"0/16B3748"})");
  EXPECT_EQ(Text("null"), "null");
}

}  // namespace
}  // namespace rapidbyte::engine
