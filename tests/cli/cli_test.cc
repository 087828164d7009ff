// The rapidbyte binary as a user runs it: exit codes, stdout/stderr discipline, messages.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/harness/rapidbyte_process.h"

namespace {

using rapidbyte::testing::CommandRun;

std::string Pipeline(const std::string& rel) {
  return std::string(std::getenv("RB_SOURCE_DIR")) + "/tests/config/" + rel;
}
// Pipelines of this test whose connectors (test-gen, test-sink) need no server.
std::string CliPipeline(const std::string& name) {
  return std::string(std::getenv("RB_SOURCE_DIR")) + "/tests/cli/pipelines/" + name;
}

// Run the binary with `args` and extra environment entries, capturing both streams, with a
// fresh HOME of its own (check creates ~/.rapidbyte/state.db) so nothing of the user's
// leaks in either way.
CommandRun Rapidbyte(const std::vector<std::string>& args, std::vector<std::string> env = {}) {
  static const std::string home = rapidbyte::testing::MakeTempDir("rb-cli-home");
  env.insert(env.begin(), "HOME=" + home);
  rapidbyte::testing::CommandOptions options;
  options.env = std::move(env);
  return rapidbyte::testing::RunRapidbyte(args, options);
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(CliTest, VersionPrintsVersionAndProtocol) {
  CommandRun r = Rapidbyte({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "rapidbyte 0.1.0 (connector protocol 1)\n");
  EXPECT_EQ(r.err, "");
}

TEST(CliTest, HelpWorksForTheProgramAndEveryCommand) {
  CommandRun top = Rapidbyte({"--help"});
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_TRUE(Contains(top.out, "check")) << top.out;
  CommandRun check = Rapidbyte({"check", "--help"});
  EXPECT_EQ(check.exit_code, 0);
  EXPECT_TRUE(Contains(check.out, "pipeline")) << check.out;
}

TEST(CliTest, UnknownCommandOrOptionIsUsageError) {
  CommandRun cmd = Rapidbyte({"frobnicate"});
  EXPECT_EQ(cmd.exit_code, 2);
  EXPECT_EQ(cmd.out, "");
  EXPECT_TRUE(Contains(cmd.err, "Usage")) << cmd.err;
  CommandRun opt = Rapidbyte({"--bogus"});
  EXPECT_EQ(opt.exit_code, 2);
  EXPECT_TRUE(Contains(opt.err, "Usage")) << opt.err;
  CommandRun none = Rapidbyte({});
  EXPECT_EQ(none.exit_code, 2);
  CommandRun level = Rapidbyte({"--log-level", "loud", "check", Pipeline("valid/minimal.yaml")});
  EXPECT_EQ(level.exit_code, 2);
}

TEST(CliTest, CheckValidPipeline) {
  CommandRun r = Rapidbyte({"check", CliPipeline("test_connectors.yaml")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Contains(r.out, "Pipeline structure: OK\n")) << r.out;
  EXPECT_TRUE(Contains(r.out, "All checks passed.\n")) << r.out;
}

TEST(CliTest, CheckReportsEveryProblemAndExitsTwo) {
  CommandRun r = Rapidbyte({"check", Pipeline("invalid/many_mistakes.yaml")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Contains(r.out, "Pipeline structure: FAILED  9 problems\n")) << r.out;
  EXPECT_TRUE(Contains(r.err, "Error: Pipeline validation failed (9 problems) in ")) << r.err;
  for (const char* line :
       {"  - version: unsupported version '2.0', expected '1.0'\n",
        "  - pipeline: must not be empty\n",
        "  - resources.compression: Invalid compression codec 'snappy'. Must be 'lz4' or 'zstd'\n",
        "  - source.streams[1].name: duplicate stream 'public.users' (also source.streams[0])\n"}) {
    EXPECT_TRUE(Contains(r.err, line)) << line << "\n" << r.err;
  }
  // Every problem also appears as a detail line of the check.
  EXPECT_TRUE(Contains(r.out, "    state.connection: required when backend is 'postgres'")) << r.out;
}

TEST(CliTest, CheckJsonOutputIsOneDocument) {
  CommandRun r = Rapidbyte({"check", Pipeline("invalid/many_mistakes.yaml"), "--output", "json"});
  EXPECT_EQ(r.exit_code, 2);
  const auto doc = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(doc.is_discarded()) << r.out;
  EXPECT_EQ(doc["ok"], false);
  ASSERT_GE(doc["checks"].size(), 1u);
  EXPECT_EQ(doc["checks"][0]["name"], "Pipeline structure");
  EXPECT_EQ(doc["checks"][0]["status"], "FAILED");
  EXPECT_EQ(doc["checks"][0]["details"].size(), 9u);
  // The checks that need the invalid parts are skipped, never run.
  for (std::size_t i = 1; i < doc["checks"].size(); ++i) {
    EXPECT_NE(doc["checks"][i]["status"], "OK") << doc["checks"][i].dump();
  }
  CommandRun ok = Rapidbyte({"--output", "json", "check", CliPipeline("test_connectors.yaml")});
  EXPECT_EQ(ok.exit_code, 2) << "--output belongs to the command";
  CommandRun ok2 = Rapidbyte({"check", "--output", "json", CliPipeline("test_connectors.yaml")});
  EXPECT_EQ(ok2.exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(ok2.out)["ok"], true);
}

TEST(CliTest, SyntaxErrorNamesFileLineAndColumn) {
  CommandRun r = Rapidbyte({"check", Pipeline("invalid/syntax_error.yaml")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(std::regex_search(r.err, std::regex("syntax_error\\.yaml:[0-9]+:[0-9]+: "))) << r.err;
}

TEST(CliTest, MissingFile) {
  CommandRun r = Rapidbyte({"check", "/nonexistent/p.yaml"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Contains(r.err, "Error: Failed to read pipeline file: /nonexistent/p.yaml: ")) << r.err;
}

// A value from the environment is shown with its variable; a URL's password is not.
TEST(CliTest, EnvironmentValuesAreShownAndSecretsNever) {
  CommandRun r =
      Rapidbyte({"check", Pipeline("invalid/env_values.yaml")},
                {"PG_PORT=two", "MODE=upsret", "STATE_URL=mysql://u:supersecret@h/db"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(Contains(r.out + r.err, "supersecret")) << r.out << r.err;
  EXPECT_TRUE(Contains(r.err, "'two' (the value of ${PG_PORT})")) << r.err;
  EXPECT_TRUE(Contains(r.err, "'mysql://u:***@h/db' (the value of ${STATE_URL})")) << r.err;
}

TEST(CliTest, GlobalOptionsAfterTheCommandAndJsonLogs) {
  CommandRun r = Rapidbyte({"check", CliPipeline("cursor_ignored.yaml"), "--log-format", "json",
                     "--log-level", "debug"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_FALSE(r.err.empty());
  std::istringstream lines(r.err);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    const auto doc = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(doc.is_discarded()) << line;
    EXPECT_TRUE(doc.contains("ts") && doc.contains("level") && doc.contains("msg")) << line;
    ++n;
  }
  EXPECT_GE(n, 1);
  CommandRun human = Rapidbyte({"check", Pipeline("valid/cursor_ignored.yaml")});
  EXPECT_TRUE(std::regex_search(human.err, std::regex("Z WARN source\\.streams\\[0\\]\\.cursor_field: ignored")))
      << human.err;
  CommandRun quiet = Rapidbyte({"check", Pipeline("valid/cursor_ignored.yaml")}, {"RAPIDBYTE_LOG_LEVEL=error"});
  EXPECT_EQ(quiet.err, "");
}

}  // namespace
