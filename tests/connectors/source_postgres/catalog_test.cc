// rb_discover and rb_validate of source-postgres (SPEC §7.4, §7.5), and its manifest.
#include <gtest/gtest.h>

#include <cstdlib>

#include "plugin/manifest/manifest.h"
#include "tests/connectors/source_postgres/source_pg_harness.h"

namespace rapidbyte::testing {
namespace {

using CatalogTest = SourcePgTest;

const nlohmann::json* FindByName(const nlohmann::json& list, const std::string& name) {
  for (const auto& item : list) {
    if (item["name"] == name) return &item;
  }
  return nullptr;
}

TEST_F(CatalogTest, DiscoverListsTablesViewsColumnsKeysAndCursors) {
  Sql("CREATE TABLE users (id serial PRIMARY KEY, name varchar(40) NOT NULL,"
      " updated_at timestamptz, tags text[]);"
      "CREATE VIEW active_users AS SELECT id, name FROM users;"
      "CREATE SCHEMA other; CREATE TABLE other.things (f float8, b bool);"
      "CREATE TABLE parts (id bigint, k int, PRIMARY KEY (k, id)) PARTITION BY RANGE (k);"
      "CREATE TABLE parts_1 PARTITION OF parts FOR VALUES FROM (0) TO (10);");
  nlohmann::json response = Discover(Config());
  ASSERT_EQ(response["status"], "ok") << response.dump();
  const nlohmann::json& streams = response["data"]["streams"];
  for (const auto& s : streams) {
    const std::string name = s["name"];
    EXPECT_NE(name.rfind("pg_catalog.", 0), 0u) << name;
    EXPECT_NE(name.rfind("information_schema.", 0), 0u) << name;
  }
  EXPECT_EQ(FindByName(streams, "public.parts_1"), nullptr) << "partitions appear via parent";

  const nlohmann::json* users = FindByName(streams, "public.users");
  ASSERT_NE(users, nullptr) << streams.dump();
  EXPECT_EQ((*users)["kind"], "table");
  EXPECT_EQ((*users)["source_defined_cursor"], "updated_at");
  EXPECT_EQ((*users)["source_defined_primary_key"], nlohmann::json({"id"}));
  EXPECT_EQ((*users)["supported_sync_modes"], nlohmann::json({"full_refresh", "incremental"}));
  const nlohmann::json* name = FindByName((*users)["schema"], "name");
  ASSERT_NE(name, nullptr);
  EXPECT_EQ((*name)["data_type"], "utf8");
  EXPECT_EQ((*name)["pg_type"], "character varying(40)");
  EXPECT_EQ((*name)["nullable"], false);
  const nlohmann::json* tags = FindByName((*users)["schema"], "tags");
  ASSERT_NE(tags, nullptr);
  EXPECT_EQ((*tags)["data_type"], "list<utf8>");
  EXPECT_EQ((*tags)["pg_type"], "text[]");

  const nlohmann::json* view = FindByName(streams, "public.active_users");
  ASSERT_NE(view, nullptr);
  EXPECT_EQ((*view)["kind"], "view");

  const nlohmann::json* things = FindByName(streams, "other.things");
  ASSERT_NE(things, nullptr);
  EXPECT_EQ((*things)["supported_sync_modes"], nlohmann::json({"full_refresh"}));
  EXPECT_TRUE((*things)["source_defined_cursor"].is_null());
  EXPECT_TRUE((*things)["source_defined_primary_key"].is_null());

  const nlohmann::json* parts = FindByName(streams, "public.parts");
  ASSERT_NE(parts, nullptr);
  EXPECT_EQ((*parts)["kind"], "partitioned_table");
  EXPECT_EQ((*parts)["source_defined_primary_key"], nlohmann::json({"k", "id"}));
  EXPECT_TRUE((*parts)["source_defined_cursor"].is_null()) << "composite key: no cursor";
}

TEST_F(CatalogTest, ValidateChecksConnectionAndEveryStream) {
  Sql("CREATE TABLE users (id int PRIMARY KEY, name text, updated_at timestamptz)");
  nlohmann::json ok_stream = Stream("users");
  nlohmann::json missing = Stream("usrs");
  nlohmann::json nullable_cursor = Stream("users");
  nullable_cursor["sync_mode"] = "incremental";
  nullable_cursor["cursor_info"] = {{"cursor_field", "updated_at"}};
  nlohmann::json bad_column = Stream("users");
  bad_column["selected_columns"] = {"id", "nam"};
  nlohmann::json response =
      Validate(Config(), {ok_stream, missing, nullable_cursor, bad_column});
  ASSERT_EQ(response["status"], "ok") << response.dump();
  const nlohmann::json& result = response["data"];
  EXPECT_EQ(result["status"], "failed");
  const nlohmann::json& checks = result["checks"];
  ASSERT_EQ(checks.size(), 5u) << checks.dump();
  EXPECT_EQ(checks[0]["name"], "connection");
  EXPECT_EQ(checks[0]["status"], "success");
  EXPECT_EQ(checks[0]["message"].get<std::string>().rfind(
                "Connected to 127.0.0.1:" + std::to_string(cluster()->port()) + "/" + db_ +
                    " (PostgreSQL 15",
                0),
            0u)
      << checks[0]["message"];
  EXPECT_NE(checks[0]["message"].get<std::string>().find("TLS off"), std::string::npos);
  EXPECT_EQ(checks[1]["status"], "success");
  EXPECT_EQ(checks[2]["status"], "failed");
  EXPECT_EQ(checks[2]["code"], "TABLE_NOT_FOUND");
  EXPECT_NE(checks[2]["message"].get<std::string>().find("did you mean public.users"),
            std::string::npos);
  EXPECT_EQ(checks[3]["status"], "warning");
  EXPECT_NE(checks[3]["message"].get<std::string>().find("nullable"), std::string::npos);
  EXPECT_EQ(checks[4]["status"], "failed");
  EXPECT_EQ(checks[4]["code"], "COLUMN_NOT_FOUND");

  nlohmann::json only_warning = Validate(Config(), nlohmann::json::array({nullable_cursor}));
  EXPECT_EQ(only_warning["data"]["status"], "warning") << only_warning.dump();
}

TEST_F(CatalogTest, ValidateReportsAuthenticationFailureAsAFailedCheck) {
  nlohmann::json config = Config();
  config["user"] = std::string(kPgScramRole);
  config["password"] = "wrong";
  nlohmann::json response = Validate(config, nlohmann::json::array({Stream("users")}));
  ASSERT_EQ(response["status"], "ok") << response.dump();
  EXPECT_EQ(response["data"]["status"], "failed");
  const nlohmann::json& check = response["data"]["checks"][0];
  EXPECT_EQ(check["name"], "connection");
  EXPECT_EQ(check["status"], "failed");
  EXPECT_EQ(check["category"], "auth");
  EXPECT_EQ(check["code"], "AUTH_FAILED");
}

TEST(SourcePgManifestTest, BuiltManifestLoadsWithTheSpecifiedRolesAndDefaults) {
  auto manifest = plugin::manifest::LoadManifestFile(
      std::string(std::getenv("RB_BINARY_DIR")) + "/connectors/source-postgres.manifest.json");
  ASSERT_TRUE(manifest.ok()) << manifest.status().ToString();
  EXPECT_EQ(manifest->id, "rapidbyte/source-postgres");
  EXPECT_EQ(manifest->name, "PostgreSQL Source");
  EXPECT_TRUE(manifest->permissions.network.allow_runtime_config_domains);
  ASSERT_TRUE(manifest->source.has_value());
  EXPECT_EQ(manifest->source->supported_sync_modes.size(), 3u);  // full_refresh, incremental, cdc
  EXPECT_TRUE(manifest->source->features.empty());
  EXPECT_FALSE(manifest->destination.has_value());
  EXPECT_NE(manifest->config_schema, nullptr);
}

}  // namespace
}  // namespace rapidbyte::testing
