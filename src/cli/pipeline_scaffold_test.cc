#include "cli/pipeline_scaffold.h"

#include <gtest/gtest.h>

#include "config/loader.h"

namespace rapidbyte::cli {
namespace {

using nlohmann::json;

const json kCatalog = json::parse(R"({"streams": [
  {"name": "public.users", "kind": "table", "supported_sync_modes": ["full_refresh", "incremental"],
   "source_defined_cursor": "updated_at", "source_defined_primary_key": ["id"]},
  {"name": "public.order items", "kind": "table", "supported_sync_modes": ["full_refresh"],
   "source_defined_cursor": null, "source_defined_primary_key": ["order_id", "line"]},
  {"name": "sales.v", "kind": "view", "supported_sync_modes": ["full_refresh", "incremental"],
   "source_defined_cursor": "id", "source_defined_primary_key": null}]})");

TEST(PipelineScaffoldTest, YamlScalarQuotesWhatWouldReadBackAsSomethingElse) {
  EXPECT_EQ(YamlScalar("postgres"), "postgres");
  EXPECT_EQ(YamlScalar("127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(YamlScalar("${PG_PASSWORD}"), "${PG_PASSWORD}");
  EXPECT_EQ(YamlScalar("5432"), "\"5432\"");
  EXPECT_EQ(YamlScalar("1.5e3"), "\"1.5e3\"");
  EXPECT_EQ(YamlScalar("yes"), "\"yes\"");
  EXPECT_EQ(YamlScalar("Null"), "\"Null\"");
  EXPECT_EQ(YamlScalar("public.*"), "\"public.*\"");
  EXPECT_EQ(YamlScalar("a: b"), "\"a: b\"");
  EXPECT_EQ(YamlScalar("say \"hi\"\n"), "\"say \\\"hi\\\"\\x0a\"");
}

TEST(PipelineScaffoldTest, ChooseStreamsByNameAndPattern) {
  auto all = ChooseStreams(kCatalog, {}, "public");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].cursor, "updated_at");
  EXPECT_EQ((*all)[1].cursor, "");  // no incremental mode offered
  EXPECT_EQ(DefaultWriteMode(*all), "append");  // sales.v has no key
  auto some = ChooseStreams(kCatalog, {"users", "sales.*"}, "public");
  ASSERT_TRUE(some.ok());
  ASSERT_EQ(some->size(), 2u);
  EXPECT_EQ((*some)[1].name, "sales.v");
  auto missing = ChooseStreams(kCatalog, {"nosuch"}, "public");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("'nosuch' matches no table or view of the source (it "
                                            "has: public.users, public.order items, sales.v)"),
            std::string::npos)
      << missing.status().message();
  EXPECT_FALSE(CheckWriteMode(*all, "upsert").ok());
  EXPECT_FALSE(CheckWriteMode(*all, "merge").ok());
  EXPECT_TRUE(CheckWriteMode(*all, "replace").ok());
}

// The written file loads as a valid pipeline with the chosen modes, cursors and keys.
TEST(PipelineScaffoldTest, RenderedPipelineLoads) {
  Scaffold s;
  s.comment = "line one\nline two";
  s.name = "shop_to_wh";
  s.source_config.mutable_entries().push_back(
      {"host", {}, config::Value::Scalar("127.0.0.1", false)});
  s.source_config.mutable_entries().push_back({"port", {}, config::Value::Scalar("5432", true)});
  s.source_config.mutable_entries().push_back(
      {"password", {}, config::Value::Scalar("${PW}", true)});
  s.streams = *ChooseStreams(kCatalog, {"users", "order items"}, "public");
  s.write_mode = DefaultWriteMode(s.streams);
  ASSERT_EQ(s.write_mode, "upsert");
  const std::string text = RenderScaffold(s);
  EXPECT_EQ(text.rfind("# line one\n# line two\nversion: \"1.0\"\n", 0), 0u) << text;
  config::LoadOptions options;
  options.env = [](std::string_view name) -> std::optional<std::string> {
    if (name == "PW") return std::string("secret");
    if (name == "HOME") return std::string("/home/x");
    return std::nullopt;
  };
  const config::LoadResult r = config::LoadPipelineText(text, "scaffold.yaml", options);
  ASSERT_TRUE(r.ok()) << r.Message() << "\n" << text;
  const auto& streams = r.pipeline->source.streams;
  ASSERT_EQ(streams.size(), 2u);
  EXPECT_EQ(streams[0].sync_mode, config::SyncMode::kIncremental);
  EXPECT_EQ(streams[0].cursor_field, "updated_at");
  EXPECT_EQ(streams[1].table, "order items");
  EXPECT_EQ(streams[1].sync_mode, config::SyncMode::kFullRefresh);
  EXPECT_EQ(streams[1].primary_key, (std::vector<std::string>{"order_id", "line"}));
  EXPECT_EQ(r.pipeline->destination->write_mode, config::WriteMode::kUpsert);
}

}  // namespace
}  // namespace rapidbyte::cli
