#include "config/env_subst.h"

#include <gtest/gtest.h>

#include <map>

namespace rapidbyte::config {
namespace {

EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

Value Substitute(const std::string& text, const EnvLookup& env, SubstitutionReport& report) {
  Value v = Value::Scalar(text, true);
  SubstituteEnvironment(v, "f", env, report);
  return v;
}

TEST(EnvSubstTest, ReplacesReferencesAndKeepsText) {
  SubstitutionReport report;
  auto env = FakeEnv({{"HOST", "db.local"}, {"PORT", "5433"}});
  Value v = Substitute("postgres://${HOST}:${PORT}/x", env, report);
  EXPECT_EQ(v.text(), "postgres://db.local:5433/x");
  EXPECT_EQ(v.env_vars(), (std::vector<std::string>{"HOST", "PORT"}));
  EXPECT_TRUE(report.missing.empty());
}

TEST(EnvSubstTest, DefaultsApplyWhenUnsetOrEmpty) {
  SubstitutionReport report;
  auto env = FakeEnv({{"EMPTY", ""}});
  EXPECT_EQ(Substitute("${UNSET:-localhost}", env, report).text(), "localhost");
  EXPECT_EQ(Substitute("${EMPTY:-fallback}", env, report).text(), "fallback");
  EXPECT_FALSE(Substitute("${UNSET:-localhost}", env, report).from_env());
  EXPECT_EQ(Substitute("${UNSET:-}", env, report).text(), "");
  EXPECT_TRUE(report.missing.empty());
}

TEST(EnvSubstTest, EmptyVariableIsNotMissing) {
  SubstitutionReport report;
  Value v = Substitute("${EMPTY}", FakeEnv({{"EMPTY", ""}}), report);
  EXPECT_EQ(v.text(), "");
  EXPECT_FALSE(v.unresolved());
  EXPECT_TRUE(report.missing.empty());
}

TEST(EnvSubstTest, EscapesAndNoReexpansion) {
  SubstitutionReport report;
  auto env = FakeEnv({{"A", "${B}"}, {"B", "no"}});
  EXPECT_EQ(Substitute("$${A} and ${A}", env, report).text(), "${A} and ${B}");
  EXPECT_EQ(Substitute("cost $5", env, report).text(), "cost $5");
}

TEST(EnvSubstTest, MissingVariablesAreCollectedWithPaths) {
  SubstitutionReport report;
  Value root = Value::Map();
  root.mutable_entries().push_back({"password", {}, Value::Scalar("${PG_PASSWORD}", true)});
  root.mutable_entries().push_back({"host", {}, Value::Scalar("${DW_HOST}", true)});
  root.mutable_entries().push_back({"again", {}, Value::Scalar("${PG_PASSWORD}", true)});
  SubstituteEnvironment(root, "source.config", FakeEnv({}), report);
  EXPECT_EQ(report.MissingMessage(),
            "Missing environment variable(s): PG_PASSWORD (source.config.password, "
            "source.config.again), DW_HOST (source.config.host)");
  EXPECT_TRUE(root.entries()[0].value.unresolved());
}

TEST(EnvSubstTest, MalformedReferences) {
  SubstitutionReport report;
  Value v = Substitute("${1X}", FakeEnv({}), report);
  EXPECT_TRUE(v.unresolved());
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_NE(report.problems[0].find("f: invalid variable reference '${1X}'"), std::string::npos);
  Substitute("${OPEN", FakeEnv({}), report);
  EXPECT_EQ(report.problems.size(), 2u);
}

TEST(EnvSubstTest, KeysAreNeverSubstituted) {
  SubstitutionReport report;
  Value root = Value::Map();
  root.mutable_entries().push_back({"${KEY}", {}, Value::Scalar("v", true)});
  SubstituteEnvironment(root, "", FakeEnv({{"KEY", "x"}}), report);
  EXPECT_EQ(root.entries()[0].key, "${KEY}");
}

// A value from the environment is not secret for that alone: messages show it and name
// its variables (a URL's password stays hidden).
TEST(EnvSubstTest, DescribeShowsTheValueAndNamesTheVariables) {
  SubstitutionReport report;
  Value v = Substitute("${PG_PORT}", FakeEnv({{"PG_PORT", "abc"}}), report);
  EXPECT_EQ(v.Describe(), "'abc' (the value of ${PG_PORT})");
  EXPECT_EQ(v.WithOrigin("12"), "12 (the value of ${PG_PORT})");
  Value url = Substitute("postgres://${U}:${PW}@h/db",
                         FakeEnv({{"U", "app"}, {"PW", "hunter22"}}), report);
  EXPECT_EQ(url.Describe(), "'postgres://app:***@h/db' (the value of ${U}, ${PW})");
  Value literal = Value::Scalar("abc", true);
  EXPECT_EQ(literal.Describe(), "'abc'");
  EXPECT_EQ(literal.WithOrigin("12"), "12");
}

}  // namespace
}  // namespace rapidbyte::config
