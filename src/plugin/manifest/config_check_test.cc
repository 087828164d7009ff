// Tests for validating connector configs against config schemas (SPEC §4.3): typing,
// defaults, every message form, secrets and environment-sourced values.
#include "plugin/manifest/config_check.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "plugin/manifest/test_fixtures.h"

namespace rapidbyte::plugin::manifest {
namespace {

using testing::YamlConfig;

class ConfigCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"source-postgres", "dest-postgres"}) {
      Result<Manifest> m = ParseManifest(testing::TestManifestText(name), name);
      ASSERT_TRUE(m.ok()) << m.status().ToString();
      (std::string(name) == "source-postgres" ? source_ : dest_) = m.MoveValueUnsafe();
    }
  }

  ConfigCheck Source(const std::string& yaml, std::map<std::string, std::string> env = {}) {
    return CheckConnectorConfig(source_.config_schema.get(), YamlConfig(yaml, std::move(env)),
                                "source.config");
  }

  static std::shared_ptr<const SchemaNode> Schema(const std::string& text) {
    std::vector<std::string> problems;
    auto node =
        CompileSchema(nlohmann::json::parse(text, nullptr, false), "config_schema", problems);
    EXPECT_TRUE(problems.empty()) << problems[0];
    return node;
  }

  static bool Has(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  }

  Manifest source_;
  Manifest dest_;
};

TEST_F(ConfigCheckTest, AppliesDefaultsAndTypesScalars) {
  ConfigCheck c = Source("host: db.local\nport: 5433\nuser: app\ndatabase: '42'\n");
  ASSERT_TRUE(c.ok()) << c.problems[0];
  EXPECT_EQ(c.config, nlohmann::json::parse(R"({
      "host": "db.local", "port": 5433, "user": "app", "database": "42", "password": "",
      "schema": "public", "sslmode": "prefer", "connect_timeout": 10,
      "max_batch_rows": 100000})"));
}

TEST_F(ConfigCheckTest, ReportsEveryViolationWithItsPath) {
  ConfigCheck c = Source("port: 70000\nprot: 1\nsslmode: requir\nconnect_timeout: abc\n");
  EXPECT_EQ(c.problems,
            (std::vector<std::string>{
                "source.config: missing required property 'host'",
                "source.config: missing required property 'user'",
                "source.config: missing required property 'database'",
                "source.config.connect_timeout: must be an integer, got \"abc\"",
                "source.config.port: must be at most 65535, got 70000",
                "source.config.prot: unknown property (did you mean 'port'?)",
                "source.config.sslmode: 'requir' is not one of disable, prefer, require, "
                "verify-ca, verify-full (did you mean 'require'?)"}));
}

TEST_F(ConfigCheckTest, EnumMessageForDestination) {
  ConfigCheck c = CheckConnectorConfig(
      dest_.config_schema.get(), YamlConfig("host: h\nuser: u\ndatabase: d\nload_method: bulk\n"),
      "destination.config");
  EXPECT_EQ(c.problems, std::vector<std::string>{
                            "destination.config.load_method: 'bulk' is not one of copy, insert"});
}

TEST_F(ConfigCheckTest, StringPropertiesKeepThePlainText) {
  // An all-digit password stays a string, with its original text (leading zeros, octal).
  ConfigCheck c = Source("host: 10\nuser: true\ndatabase: 1.50\npassword: 0o17\n");
  ASSERT_TRUE(c.ok()) << c.problems[0];
  EXPECT_EQ(c.config["host"], "10");
  EXPECT_EQ(c.config["user"], "true");
  EXPECT_EQ(c.config["database"], "1.50");
  EXPECT_EQ(c.config["password"], "0o17");
}

// A value from the environment is typed like any other and is not a secret for that alone
// (#22 item 5): messages show it beside its variable. A secret from the environment (by key
// or x-secret) is named by its variable only.
TEST_F(ConfigCheckTest, EnvironmentValuesAreTypedAndShownWithTheirVariables) {
  ConfigCheck ok = Source("host: ${H}\nport: ${P}\nuser: ${U}\ndatabase: d\npassword: ${PW}\n",
                          {{"H", "db"}, {"P", "5433"}, {"U", "app_user"}, {"PW", "123456"}});
  ASSERT_TRUE(ok.ok()) << ok.problems[0];
  EXPECT_EQ(ok.config["port"], 5433);
  EXPECT_EQ(ok.config["password"], "123456");
  EXPECT_EQ(ok.secrets, std::vector<std::string>{"123456"});
  ConfigCheck bad =
      Source("host: h\nuser: u\ndatabase: d\nport: ${PG_PORT}\n", {{"PG_PORT", "abc"}});
  EXPECT_EQ(bad.problems,
            std::vector<std::string>{"source.config.port: must be an integer, got \"abc\" (the "
                                     "value of ${PG_PORT})"});
  ConfigCheck range =
      Source("host: h\nuser: u\ndatabase: d\nport: ${PG_PORT}\n", {{"PG_PORT", "99999"}});
  EXPECT_EQ(range.problems,
            std::vector<std::string>{"source.config.port: must be at most 65535, got 99999 (the "
                                     "value of ${PG_PORT})"});
  ConfigCheck mode = Source("host: h\nuser: u\ndatabase: d\nsslmode: ${M}\n", {{"M", "requir"}});
  EXPECT_EQ(mode.problems,
            std::vector<std::string>{"source.config.sslmode: 'requir' (the value of ${M}) is not "
                                     "one of disable, prefer, require, verify-ca, verify-full (did "
                                     "you mean 'require'?)"});
  // An empty variable for a string property is "", not null.
  ConfigCheck empty = Source("host: h\nuser: u\ndatabase: d\npassword: ${PW}\n", {{"PW", ""}});
  ASSERT_TRUE(empty.ok()) << empty.problems[0];
  EXPECT_EQ(empty.config["password"], "");
  // So is an empty default, and a default is typed like any plain scalar.
  ConfigCheck defaulted = Source("host: h\nuser: u\ndatabase: d\npassword: ${PW:-}\nport: ${P:-5433}\n");
  EXPECT_TRUE(defaulted.ok()) << defaulted.problems.front();
  EXPECT_EQ(defaulted.config["password"], "");
  EXPECT_EQ(defaulted.config["port"], 5433);
}

TEST_F(ConfigCheckTest, CollectsSecrets) {
  auto schema = Schema(R"({"properties": {"opaque": {"type": "string", "x-secret": true},
      "nested": {"type": "object", "properties": {"api_key": {"type": "string"}}},
      "url": {"type": "string"}, "plain": {"type": "string"}}})");
  ConfigCheck c = CheckConnectorConfig(
      schema.get(),
      YamlConfig("opaque: s1\nnested:\n  api_key: s2\nurl: 'postgres://u:s3@h/db'\nplain: p\n"
                 "extra_token: s4\n"),
      "source.config");
  ASSERT_TRUE(c.ok()) << c.problems[0];
  EXPECT_EQ(c.secrets, (std::vector<std::string>{"s1", "s2", "s3", "s4"}));
}

TEST_F(ConfigCheckTest, SecretValuesAreMaskedInMessages) {
  auto schema = Schema(R"({"properties": {"password": {"type": "string", "pattern": "^x",
                                                         "minLength": 10},
      "opaque": {"type": "integer", "x-secret": true},
      "dsn": {"type": "string", "pattern": "^mysql:"}}})");
  ConfigCheck c = CheckConnectorConfig(
      schema.get(),
      YamlConfig("password: hunter2\nopaque: ${OPAQUE}\ndsn: 'postgres://u:${DSN_PW}@h/db'\n",
                 {{"OPAQUE", "not-a-number"}, {"DSN_PW", "dsnpass"}}),
      "source.config");
  EXPECT_EQ(c.problems,
            (std::vector<std::string>{
                "source.config.dsn: 'postgres://u:***@h/db' (the value of ${DSN_PW}) does not "
                "match pattern '^mysql:'",
                "source.config.opaque: must be an integer, got the value of ${OPAQUE}",
                "source.config.password: must be at least 10 characters long, got 7",
                "source.config.password: *** does not match pattern '^x'"}));
  EXPECT_EQ(c.secrets, (std::vector<std::string>{"hunter2", "not-a-number", "dsnpass"}));
}

TEST_F(ConfigCheckTest, NestedDefaultsListsAndRanges) {
  auto schema = Schema(R"({"type": "object", "properties": {
      "tls": {"type": "object", "default": {}, "properties": {
                "mode": {"type": "string", "default": "verify"}}},
      "opts": {"type": "object", "properties": {"retries": {"type": "integer", "default": 3},
                                                 "deep": {"type": "object"}}},
      "hosts": {"type": "array", "minItems": 1, "maxItems": 2,
                "items": {"type": "string", "pattern": "^[a-z.]+$", "maxLength": 8}},
      "ratio": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
      "n": {"type": "integer", "minimum": -5},
      "fixed": {"const": "v1"}}})");
  ConfigCheck ok = CheckConnectorConfig(schema.get(), YamlConfig("opts: {}\nratio: 0.5\n"), "c");
  ASSERT_TRUE(ok.ok()) << ok.problems[0];
  EXPECT_EQ(ok.config, nlohmann::json::parse(
                           R"({"tls": {"mode": "verify"}, "opts": {"retries": 3}, "ratio": 0.5})"));
  ConfigCheck bad = CheckConnectorConfig(
      schema.get(),
      YamlConfig("hosts: [a.b, 'UP', waytoolong.example]\nratio: 1\nn: -6\nfixed: v2\n"
                 "opts: {deep: 3}\n"),
      "c");
  EXPECT_EQ(bad.problems,
            (std::vector<std::string>{
                "c.fixed: must be \"v1\", got \"v2\"", "c.hosts: must have at most 2 items, got 3",
                "c.hosts[1]: 'UP' does not match pattern '^[a-z.]+$'",
                "c.hosts[2]: must be at most 8 characters long, got 18",
                "c.n: must be at least -5, got -6", "c.opts.deep: must be an object, got 3",
                "c.ratio: must be less than 1, got 1"}));
}

TEST_F(ConfigCheckTest, TypeListsNullsAndOpenObjects) {
  auto schema = Schema(R"({"properties": {"a": {"type": ["integer", "null"]},
                                          "b": {"type": "boolean"}}})");
  ConfigCheck c =
      CheckConnectorConfig(schema.get(), YamlConfig("a: ~\nb: yes\nfree: [1, x]\n"), "s");
  EXPECT_EQ(c.problems, std::vector<std::string>{"s.b: must be a boolean, got \"yes\""});
  EXPECT_TRUE(c.config["a"].is_null());
  EXPECT_EQ(c.config["free"], nlohmann::json::parse(R"([1, "x"])"));
  ConfigCheck wrong = CheckConnectorConfig(schema.get(), YamlConfig("a: x\n"), "s");
  EXPECT_EQ(wrong.problems, std::vector<std::string>{"s.a: must be an integer or null, got \"x\""});
}

TEST_F(ConfigCheckTest, WithoutSchemaTheConfigMustBeEmpty) {
  EXPECT_TRUE(CheckConnectorConfig(nullptr, config::Value::Map(), "transforms[0].config").ok());
  ConfigCheck c =
      CheckConnectorConfig(nullptr, YamlConfig("a: 1\nx-note: ok\n"), "transforms[0].config");
  EXPECT_EQ(c.problems, std::vector<std::string>{
                            "transforms[0].config.a: unknown property (the connector has no "
                            "config_schema, so its config must be empty)"});
}

TEST_F(ConfigCheckTest, OverlongInputIsReportedNotMatched) {
  auto schema = Schema(R"({"properties": {"s": {"type": "string", "pattern": "(a+)+$"}}})");
  ConfigCheck c =
      CheckConnectorConfig(schema.get(), YamlConfig("s: " + std::string(2000, 'a') + "b\n"), "c");
  ASSERT_EQ(c.problems.size(), 1u);
  EXPECT_EQ(c.problems[0].rfind("c.s: is longer than 1024 characters", 0), 0u) << c.problems[0];
}

TEST_F(ConfigCheckTest, LongestCheckedInputMatchesWithoutExhaustingTheStack) {
  auto schema = Schema(R"({"properties": {"s": {"type": "string", "pattern": "^(a|b)*$"},
                                          "t": {"type": "string", "pattern": "^[a-z]+$"}}})");
  const std::string longest(Pattern::kMaxInputLength, 'a');
  ConfigCheck c = CheckConnectorConfig(schema.get(),
                                       YamlConfig("s: " + longest + "\nt: " + longest + "\n"), "c");
  EXPECT_TRUE(c.ok()) << c.problems[0];
}

}  // namespace
}  // namespace rapidbyte::plugin::manifest
