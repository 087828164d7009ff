#include "config/loader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

namespace rapidbyte::config {
namespace {

EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  vars.emplace("HOME", "/home/tester");
  return [vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

LoadResult Load(const std::string& text, std::map<std::string, std::string> env = {},
                LoadPurpose purpose = LoadPurpose::kRun) {
  LoadOptions options;
  options.purpose = purpose;
  options.env = FakeEnv(std::move(env));
  return LoadPipelineText(text, "p.yaml", options);
}

constexpr const char* kMinimal = R"(
version: "1.0"
pipeline: minimal
source:
  use: source-postgres
  streams:
    - name: users
destination:
  use: dest-postgres
)";

TEST(LoaderTest, MinimalPipelineGetsEveryDefault) {
  LoadResult r = Load(kMinimal);
  ASSERT_TRUE(r.ok()) << r.Message();
  const Pipeline& p = *r.pipeline;
  EXPECT_EQ(p.version, "1.0");
  EXPECT_EQ(p.name, "minimal");
  EXPECT_EQ(p.source.use.name, "source-postgres");
  EXPECT_TRUE(p.source.config.is_map());
  ASSERT_EQ(p.source.streams.size(), 1u);
  EXPECT_EQ(p.source.streams[0].QualifiedName(), "public.users");
  EXPECT_EQ(p.source.streams[0].sync_mode, SyncMode::kFullRefresh);
  EXPECT_FALSE(p.source.streams[0].columns);
  EXPECT_TRUE(p.transforms.empty());
  ASSERT_TRUE(p.destination);
  EXPECT_EQ(p.destination->write_mode, WriteMode::kAppend);
  EXPECT_TRUE(p.destination->primary_key.empty());
  EXPECT_EQ(p.destination->on_data_error, DataErrorPolicy::kFail);
  EXPECT_EQ(p.destination->schema_evolution.new_column, NewColumnPolicy::kAdd);
  EXPECT_EQ(p.destination->schema_evolution.removed_column, RemovedColumnPolicy::kIgnore);
  EXPECT_EQ(p.destination->schema_evolution.type_change, TypeChangePolicy::kFail);
  EXPECT_EQ(p.destination->schema_evolution.nullability_change, NullabilityPolicy::kAllow);
  EXPECT_EQ(p.state.backend, StateBackendKind::kSqlite);
  EXPECT_EQ(p.state.connection, "/home/tester/.rapidbyte/state.db");
  EXPECT_EQ(p.state.schema, "rapidbyte");
  const ResourcesSpec& res = p.resources;
  EXPECT_EQ(res.max_memory, 256u << 20);
  EXPECT_EQ(res.max_batch_bytes, 4u << 20);
  EXPECT_EQ(res.max_record_bytes, 16u << 20);
  EXPECT_EQ(res.max_inflight_batches, 4);
  EXPECT_EQ(res.parallelism, 1);
  EXPECT_EQ(res.checkpoint_interval_bytes, 64u << 20);
  EXPECT_EQ(res.checkpoint_interval_rows, 0);
  EXPECT_EQ(res.checkpoint_interval_seconds, 0);
  EXPECT_EQ(res.max_retries, 3);
  EXPECT_EQ(res.compression, Compression::kNone);
  EXPECT_EQ(res.timeout_seconds, 0);
  EXPECT_EQ(res.cancel_grace_seconds, 10);
  EXPECT_TRUE(r.warnings.empty());
}

TEST(LoaderTest, FullExampleFromTheSpec) {
  const char* text = R"(
version: "1.0"
pipeline: pg_to_warehouse
source:
  use: source-postgres
  config:
    host: ${PG_HOST:-localhost}
    port: ${PG_PORT:-5432}
    user: app
    password: ${PG_PASSWORD}
    database: shop
    schema: public
  streams:
    - name: users
      sync_mode: incremental
      cursor_field: updated_at
    - name: sales.orders
      columns: [id, user_id, amount, status]
destination:
  use: rapidbyte/dest-postgres@0.1.0
  config: {host: localhost, user: dw, password: ${DW_PASSWORD}, database: dw, schema: raw}
  write_mode: upsert
  primary_key: [id]
  on_data_error: dlq
  schema_evolution: {new_column: add, type_change: coerce}
state:
  backend: sqlite
resources:
  max_batch_bytes: 16 MiB
  compression: lz4
  parallelism: 2
x-owner: data-team
)";
  LoadResult r = Load(text, {{"PG_PASSWORD", "pgsecret"}, {"DW_PASSWORD", "dwsecret"}});
  ASSERT_TRUE(r.ok()) << r.Message();
  const Pipeline& p = *r.pipeline;
  EXPECT_EQ(p.source.streams[0].cursor_field, "updated_at");
  EXPECT_EQ(p.source.streams[1].QualifiedName(), "sales.orders");
  EXPECT_EQ(p.source.streams[1].table, "orders");
  EXPECT_EQ(p.destination->use.org, "rapidbyte");
  EXPECT_EQ(p.destination->use.version, "0.1.0");
  EXPECT_EQ(p.destination->write_mode, WriteMode::kUpsert);
  EXPECT_EQ(p.destination->on_data_error, DataErrorPolicy::kDlq);
  EXPECT_EQ(p.destination->schema_evolution.type_change, TypeChangePolicy::kCoerce);
  EXPECT_EQ(p.resources.max_batch_bytes, 16u << 20);
  EXPECT_EQ(p.resources.compression, Compression::kLz4);
  EXPECT_EQ(p.resources.parallelism, 2);
  EXPECT_EQ(p.source.config.Find("port")->text(), "5432");
  EXPECT_TRUE(p.source.config.Find("port")->plain());
  EXPECT_NE(std::find(p.secrets.begin(), p.secrets.end(), "pgsecret"), p.secrets.end());
  EXPECT_NE(std::find(p.secrets.begin(), p.secrets.end(), "dwsecret"), p.secrets.end());
}

TEST(LoaderTest, UnqualifiedStreamsUseTheSourceSchema) {
  std::string text = kMinimal;
  text.replace(text.find("  streams:"), 0, "  config: {schema: sales}\n");
  LoadResult r = Load(text);
  ASSERT_TRUE(r.ok()) << r.Message();
  EXPECT_EQ(r.pipeline->source.streams[0].QualifiedName(), "sales.users");
}

TEST(LoaderTest, SecretNamedKeysAndUrlPasswordsAreSecrets) {
  std::string text = kMinimal;
  text.replace(text.find("  streams:"), 0,
               "  config: {api_key: abcd1234, dsn: 'postgres://u:urlpass@h/db'}\n");
  text += "state: {backend: postgres, connection: 'postgres://s:statepw@h/db'}\n";
  LoadResult r = Load(text);
  ASSERT_TRUE(r.ok()) << r.Message();
  const auto& s = r.pipeline->secrets;
  for (const char* secret : {"abcd1234", "urlpass", "statepw"}) {
    EXPECT_NE(std::find(s.begin(), s.end(), secret), s.end()) << secret;
  }
}

TEST(LoaderTest, PlainScalarsAreTypedAfterSubstitution) {
  std::string text = kMinimal;
  text += "resources:\n  parallelism: ${PAR}\n  max_retries: '${RETRIES}'\n";
  LoadResult ok = Load(text, {{"PAR", "3"}, {"RETRIES", "1"}});
  // A quoted scalar is always a string, so max_retries fails; the message shows the value
  // and names the variable it came from.
  ASSERT_FALSE(ok.ok());
  ASSERT_EQ(ok.problems.size(), 1u);
  EXPECT_EQ(ok.problems[0],
            "resources.max_retries: expected an integer, got '1' (the value of ${RETRIES})");

  text = std::string(kMinimal) + "resources: {parallelism: ${PAR}}\n";
  LoadResult typed = Load(text, {{"PAR", "3"}});
  ASSERT_TRUE(typed.ok()) << typed.Message();
  EXPECT_EQ(typed.pipeline->resources.parallelism, 3);
}

// Item 5 of #22: a value from the environment is shown (it is not a secret for that alone)
// and its variable is named, so a wrong port or mode can be diagnosed.
TEST(LoaderTest, EnvironmentValuesAreShownWithTheirVariables) {
  std::string text = kMinimal;
  text += "resources:\n  parallelism: ${PAR}\n  max_batch_bytes: ${SIZE}\n  compression: ${C}\n"
          "  max_retries: ${RETRIES}\n";
  text += "x-ignored: ${NOT_SUBSTITUTED_OR_CHECKED:-x}\n";
  LoadResult r = Load(text, {{"PAR", "two"}, {"SIZE", "64 megs"}, {"C", "lz5"}, {"RETRIES", "-1"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.problems,
            (std::vector<std::string>{
                "resources.max_batch_bytes: '64 megs' (the value of ${SIZE}) is not a byte size "
                "(examples: 1048576, 512kb, 64 MiB, 1.5gb)",
                "resources.parallelism: expected an integer, got 'two' (the value of ${PAR})",
                "resources.max_retries: must be at least 0, got -1 (the value of ${RETRIES})",
                "resources.compression: Invalid compression codec 'lz5' (the value of ${C}). "
                "Must be 'lz4' or 'zstd'"}))
      << r.Message();
}

// Environment values that are not secret by key or URL are not collected for redaction;
// a URL's password from the environment is, and is never shown in a message.
TEST(LoaderTest, OnlySecretEnvironmentValuesAreSecrets) {
  std::string text = kMinimal;
  text.replace(text.find("  streams:"), 0,
               "  config: {host: ${H}, user: ${U}, port: ${P}, password: ${PW}}\n");
  text += "state: {backend: postgres, connection: '${STATE_URL}'}\n";
  LoadResult ok = Load(text, {{"H", "db.example"}, {"U", "app_user"}, {"P", "5433"},
                              {"PW", "pw-1234"}, {"STATE_URL", "postgres://s:statepw@h/db"}});
  ASSERT_TRUE(ok.ok()) << ok.Message();
  EXPECT_EQ(ok.pipeline->secrets, (std::vector<std::string>{"pw-1234", "statepw"}));

  LoadResult bad = Load(text, {{"H", "h"}, {"U", "u"}, {"P", "1"}, {"PW", "p"},
                               {"STATE_URL", "mysql://s:statepw@h/db"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.problems, std::vector<std::string>{
                              "state.connection: 'mysql://s:***@h/db' (the value of ${STATE_URL}) "
                              "is not a postgres:// or postgresql:// URL"});
}

TEST(LoaderTest, DiscoverNeedsOnlySourceUseAndConfig) {
  const char* text = R"(
version: "1.0"
pipeline: disc
source:
  use: source-postgres
  config: {host: "${HOST}"}
destination:
  use: dest-postgres
  config: {password: "${UNSET_ELSEWHERE}"}
resources: {parallelism: 0}
)";
  LoadResult r = Load(text, {{"HOST", "h"}}, LoadPurpose::kDiscover);
  ASSERT_TRUE(r.ok()) << r.Message();
  EXPECT_FALSE(r.pipeline->destination);
  LoadResult full = Load(text, {{"HOST", "h"}}, LoadPurpose::kRun);
  ASSERT_FALSE(full.ok());
}

TEST(LoaderTest, StateNeedsOnlyState) {
  const char* text = R"(
version: "1.0"
pipeline: st
source: {use: "${UNSET}"}
state: {backend: postgres, connection: "postgresql://localhost/state"}
)";
  LoadResult r = Load(text, {}, LoadPurpose::kState);
  ASSERT_TRUE(r.ok()) << r.Message();
  EXPECT_EQ(r.pipeline->state.backend, StateBackendKind::kPostgres);
  EXPECT_EQ(r.pipeline->state.connection, "postgresql://localhost/state");
}

TEST(LoaderTest, StateStreamsNamesStreamsAsRunDoes) {
  // The config's schema (from the environment) qualifies unqualified names; `use` and the
  // other config values are not read, so their variables need not be set.
  const char* text = R"(
version: "1.0"
pipeline: st
source:
  use: "${UNSET}"
  config: {host: "${UNSET_HOST}", schema: "${SCHEMA}"}
  streams:
    - name: accounts
    - name: audit.events
)";
  LoadResult r = Load(text, {{"SCHEMA", "sales"}}, LoadPurpose::kStateStreams);
  ASSERT_TRUE(r.ok()) << r.Message();
  ASSERT_EQ(r.pipeline->source.streams.size(), 2u);
  EXPECT_EQ(r.pipeline->source.streams[0].name, "accounts");
  EXPECT_EQ(r.pipeline->source.streams[0].QualifiedName(), "sales.accounts");
  EXPECT_EQ(r.pipeline->source.streams[1].QualifiedName(), "audit.events");

  LoadResult bad = Load("version: \"1.0\"\npipeline: st\nsource: {streams: [{name: a.b.c}]}\n",
                        {}, LoadPurpose::kStateStreams);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.problems, std::vector<std::string>{"source.streams[0].name: 'a.b.c' must be "
                                                  "'table' or 'schema.table'"});
}

TEST(LoaderTest, UnreadableFile) {
  LoadResult r = LoadPipelineFile("/nonexistent/pipeline.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.headline.rfind("Failed to read pipeline file: /nonexistent/pipeline.yaml: ", 0), 0u);
}

TEST(LoaderTest, InvalidUtf8) {
  LoadResult r = Load(std::string(kMinimal) + "x-note: \"\xff\"\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.headline.find("not valid UTF-8"), std::string::npos);
}

TEST(LoaderTest, HomeNotSetForDefaultSqlitePath) {
  LoadOptions options;
  options.env = [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
  LoadResult r = LoadPipelineText(kMinimal, "p.yaml", options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.problems, std::vector<std::string>{"state.connection: HOME is not set; set state.connection"});
}

}  // namespace
}  // namespace rapidbyte::config
