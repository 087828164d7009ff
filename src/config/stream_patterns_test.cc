#include "config/stream_patterns.h"

#include <gtest/gtest.h>

#include "config/loader.h"

namespace rapidbyte::config {
namespace {

Pipeline LoadOk(const std::string& streams, const std::string& dest_extra = "") {
  const std::string text = "version: \"1.0\"\npipeline: p\nsource:\n  use: source-postgres\n"
                           "  streams:\n" + streams +
                           "destination:\n  use: dest-postgres\n" + dest_extra;
  LoadOptions options;
  options.env = [](std::string_view name) -> std::optional<std::string> {
    if (name == "HOME") return std::string("/home/tester");
    return std::nullopt;
  };
  LoadResult r = LoadPipelineText(text, "p.yaml", options);
  EXPECT_TRUE(r.ok()) << r.Message();
  return r.ok() ? *r.pipeline : Pipeline{};
}

std::vector<std::string> Problems(const std::string& streams) {
  const std::string text = "version: \"1.0\"\npipeline: p\nsource:\n  use: source-postgres\n"
                           "  streams:\n" + streams + "destination:\n  use: dest-postgres\n";
  LoadOptions options;
  options.env = [](std::string_view name) -> std::optional<std::string> {
    if (name == "HOME") return std::string("/home/tester");
    return std::nullopt;
  };
  return LoadPipelineText(text, "p.yaml", options).problems;
}

const std::vector<CatalogRelation> kCatalog = {
    {"public", "audit_log", {"id"}, "id"},
    {"public", "orders", {"id"}, "updated_at"},
    {"public", "order_items", {"order_id", "line"}, ""},
    {"public", "users", {"id"}, "id"},
    {"sales", "orders", {}, ""},
};

std::vector<std::string> Names(const Pipeline& p) {
  std::vector<std::string> out;
  for (const auto& s : p.source.streams) out.push_back(s.QualifiedName());
  return out;
}

TEST(GlobMatchTest, StarAndQuestionMark) {
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("*", "orders"));
  EXPECT_TRUE(GlobMatch("order_*", "order_items"));
  EXPECT_FALSE(GlobMatch("order_*", "orders"));
  EXPECT_TRUE(GlobMatch("*_log", "audit_log"));
  EXPECT_TRUE(GlobMatch("a*b*c", "axxbyyc"));
  EXPECT_FALSE(GlobMatch("a*b*c", "axxbyy"));
  EXPECT_TRUE(GlobMatch("user?", "users"));
  EXPECT_FALSE(GlobMatch("user?", "user"));
  EXPECT_FALSE(GlobMatch("users", "users2"));
  EXPECT_TRUE(GlobMatch("**x", "abx"));
}

TEST(StreamPatternsTest, LoaderKeepsAPatternAndItsExcludes) {
  Pipeline p = LoadOk("    - name: public.*\n      exclude: [audit_*, sales.x]\n");
  ASSERT_EQ(p.source.streams.size(), 1u);
  EXPECT_TRUE(p.source.streams[0].pattern);
  EXPECT_EQ(p.source.streams[0].table, "*");
  EXPECT_EQ(p.source.streams[0].exclude, (std::vector<std::string>{"audit_*", "sales.x"}));
  EXPECT_TRUE(HasStreamPatterns(p));
}

TEST(StreamPatternsTest, ExpandsInCatalogOrderWithoutExcludedTables) {
  Pipeline p = LoadOk("    - name: public.*\n      exclude: [audit_*]\n");
  ExpansionResult r = ExpandStreamPatterns(p, kCatalog);
  EXPECT_TRUE(r.problems.empty()) << r.problems.front();
  EXPECT_EQ(Names(r.pipeline),
            (std::vector<std::string>{"public.orders", "public.order_items", "public.users"}));
  EXPECT_FALSE(HasStreamPatterns(r.pipeline));
  ASSERT_EQ(r.expansions.size(), 1u);
  EXPECT_EQ(r.expansions[0].streams.size(), 3u);
  EXPECT_EQ(r.pipeline.source.streams[0].path, "source.streams[0] (public.orders)");
}

TEST(StreamPatternsTest, AnExplicitStreamOverridesThePatternsSettings) {
  Pipeline p = LoadOk(
      "    - name: users\n      sync_mode: incremental\n      cursor_field: id\n"
      "    - name: public.*\n      exclude: [audit_log, order_items]\n");
  ExpansionResult r = ExpandStreamPatterns(p, kCatalog);
  ASSERT_TRUE(r.problems.empty()) << r.problems.front();
  EXPECT_EQ(Names(r.pipeline), (std::vector<std::string>{"public.users", "public.orders"}));
  EXPECT_EQ(r.pipeline.source.streams[0].sync_mode, SyncMode::kIncremental);
  EXPECT_EQ(r.pipeline.source.streams[1].sync_mode, SyncMode::kFullRefresh);
}

TEST(StreamPatternsTest, IncrementalMatchesTakeTheSuggestedCursorOrNameTheTable) {
  Pipeline p = LoadOk("    - name: public.order*\n      sync_mode: incremental\n");
  ExpansionResult r = ExpandStreamPatterns(p, kCatalog);
  ASSERT_EQ(r.pipeline.source.streams.size(), 2u);
  EXPECT_EQ(r.pipeline.source.streams[0].cursor_field, "updated_at");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_NE(r.problems[0].find("source.streams[0].cursor_field: required for "
                               "'public.order_items' (matched by 'public.order*')"),
            std::string::npos)
      << r.problems[0];
}

TEST(StreamPatternsTest, UpsertMatchesTakeTheCatalogKey) {
  Pipeline p = LoadOk("    - name: sales.*\n    - name: public.order*\n",
                      "  write_mode: upsert\n");
  ExpansionResult r = ExpandStreamPatterns(p, kCatalog);
  ASSERT_EQ(r.pipeline.source.streams.size(), 3u);
  EXPECT_EQ(r.pipeline.source.streams[1].primary_key, (std::vector<std::string>{"id"}));
  EXPECT_EQ(r.pipeline.source.streams[2].primary_key,
            (std::vector<std::string>{"order_id", "line"}));
  // sales.orders has no key, and its table name clashes with public.orders.
  ASSERT_FALSE(r.problems.empty());
  std::string all;
  for (const auto& line : r.problems) all += line + "\n";
  EXPECT_NE(all.find("would both write destination table 'orders'"), std::string::npos) << all;
}

TEST(StreamPatternsTest, APatternThatMatchesNothingWarnsAndNoStreamsAtAllFails) {
  Pipeline p = LoadOk("    - name: public.nothing_*\n");
  ExpansionResult r = ExpandStreamPatterns(p, kCatalog);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("'public.nothing_*' matches no table or view"), std::string::npos);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_NE(r.problems[0].find("nothing to read"), std::string::npos);
}

TEST(StreamPatternsTest, LoaderRejectsPatternsInTheSchemaAndExcludeWithoutPattern) {
  auto schema = Problems("    - name: pub*.users\n");
  ASSERT_EQ(schema.size(), 1u);
  EXPECT_NE(schema[0].find("allowed only in the table part"), std::string::npos) << schema[0];
  auto exclude = Problems("    - name: users\n      exclude: [x]\n");
  ASSERT_EQ(exclude.size(), 1u);
  EXPECT_NE(exclude[0].find("source.streams[0].exclude: only a pattern stream"), std::string::npos)
      << exclude[0];
}

TEST(StreamPatternsTest, IncrementalPatternNeedsNoCursorFieldAtLoad) {
  Pipeline p = LoadOk("    - name: public.*\n      sync_mode: incremental\n");
  EXPECT_FALSE(p.source.streams[0].cursor_field);
}

}  // namespace
}  // namespace rapidbyte::config
