// The `cdc:` block of a stream and the default slot and publication names (SPEC §14.1).
#include <gtest/gtest.h>

#include "config/loader.h"
#include "config/stream_patterns.h"

namespace rapidbyte::config {
namespace {

LoadResult Load(const std::string& streams, const std::string& write_mode = "upsert") {
  const std::string text =
      "version: \"1.0\"\npipeline: Shop-Sync\nsource:\n  use: source-postgres\n  streams:\n" +
      streams + "destination:\n  use: dest-postgres\n  write_mode: " + write_mode +
      "\n  primary_key: [id]\n";
  LoadOptions options;
  options.env = [](std::string_view name) -> std::optional<std::string> {
    if (name == "HOME") return std::string("/home/x");
    return std::nullopt;
  };
  return LoadPipelineText(text, "p.yaml", options);
}

std::string AllProblems(const LoadResult& r) {
  std::string out;
  for (const auto& p : r.problems) out += p + "\n";
  return out;
}

TEST(CdcConfigTest, DefaultNamesAreLowerCaseSafeAndAtMost63Bytes) {
  EXPECT_EQ(DefaultCdcName("Shop-Sync", "public", "Orders"), "rb_shop_sync_public_orders");
  const std::string long_table(80, 'x');
  const std::string a = DefaultCdcName("p", "public", long_table);
  const std::string b = DefaultCdcName("p", "public", long_table + "y");
  EXPECT_EQ(a.size(), 63u);
  EXPECT_EQ(b.size(), 63u);
  EXPECT_NE(a, b);  // the hash suffix keeps them apart
  EXPECT_EQ(a.substr(0, 54), b.substr(0, 54));
  EXPECT_EQ(a[54], '_');
  EXPECT_EQ(DefaultCdcName("p", "s", "Ünïcode tbl"), "rb_p_s___n__code_tbl");  // each non-ASCII byte is one _
}

TEST(CdcConfigTest, ACdcStreamGetsItsSlotAndPublication) {
  LoadResult r = Load(
      "    - name: orders\n      sync_mode: cdc\n"
      "    - name: users\n      sync_mode: cdc\n"
      "      cdc: {slot: my_slot, publication: my_pub, create: false}\n");
  ASSERT_TRUE(r.ok()) << r.Message();
  const auto& s = r.pipeline->source.streams;
  ASSERT_TRUE(s[0].cdc);
  EXPECT_EQ(s[0].cdc->slot, "rb_shop_sync_public_orders");
  EXPECT_EQ(s[0].cdc->publication, "rb_shop_sync_public_orders");
  EXPECT_FALSE(s[0].cdc->slot_named);
  EXPECT_TRUE(s[0].cdc->create);
  ASSERT_TRUE(s[1].cdc);
  EXPECT_EQ(s[1].cdc->slot, "my_slot");
  EXPECT_EQ(s[1].cdc->publication, "my_pub");
  EXPECT_TRUE(s[1].cdc->publication_named);
  EXPECT_FALSE(s[1].cdc->create);
}

TEST(CdcConfigTest, BadCdcSettingsNameTheField) {
  LoadResult r = Load(
      "    - name: a\n      cdc: {slot: x}\n"
      "    - name: b\n      sync_mode: cdc\n      cdc: {slot: Bad-Name, create: maybe, "
      "slots: 1}\n"
      "    - name: c\n      sync_mode: cdc\n      cdc: {slot: shared}\n"
      "    - name: d\n      sync_mode: cdc\n      cdc: {slot: shared}\n"
      "    - name: public.*\n      sync_mode: cdc\n      cdc: {publication: one}\n");
  ASSERT_FALSE(r.ok());
  const std::string all = AllProblems(r);
  EXPECT_NE(all.find("source.streams[0].cdc: only for sync_mode 'cdc'"), std::string::npos) << all;
  EXPECT_NE(all.find("source.streams[1].cdc.slot: 'Bad-Name' must be 1-63 characters"),
            std::string::npos) << all;
  EXPECT_NE(all.find("source.streams[1].cdc.create: 'maybe' must be true or false"),
            std::string::npos) << all;
  EXPECT_NE(all.find("source.streams[1].cdc.slots"), std::string::npos) << all;
  EXPECT_NE(all.find("source.streams[3].cdc.slot: slot 'shared' is also used by "
                     "source.streams[2]"), std::string::npos) << all;
  EXPECT_NE(all.find("source.streams[4].cdc.publication: a pattern stream cannot name one"),
            std::string::npos) << all;
}

TEST(CdcConfigTest, ReplaceIsRefusedWithTheAllowedModes) {
  LoadResult r = Load("    - name: orders\n      sync_mode: cdc\n", "replace");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(AllProblems(r).find("source.streams[0].sync_mode: 'cdc' cannot be combined with "
                                "write_mode 'replace'; use 'upsert'"),
            std::string::npos)
      << AllProblems(r);
}

TEST(CdcConfigTest, PatternMatchesGetOneSlotEach) {
  LoadResult r = Load("    - name: public.*\n      sync_mode: cdc\n");
  ASSERT_TRUE(r.ok()) << r.Message();
  ExpansionResult e = ExpandStreamPatterns(
      *r.pipeline, {{"public", "a", {"id"}, ""}, {"public", "b", {"id"}, ""}});
  ASSERT_TRUE(e.problems.empty()) << e.problems.front();
  ASSERT_EQ(e.pipeline.source.streams.size(), 2u);
  EXPECT_EQ(e.pipeline.source.streams[0].cdc->slot, "rb_shop_sync_public_a");
  EXPECT_EQ(e.pipeline.source.streams[1].cdc->publication, "rb_shop_sync_public_b");
}

}  // namespace
}  // namespace rapidbyte::config
