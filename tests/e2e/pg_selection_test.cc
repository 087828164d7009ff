// Choosing what to move (issue #22 items 1-3): pattern streams (`name: public.*` with
// `exclude:`), scaffolding a pipeline (`discover --yaml`, `init`), and the plan of a run
// (`run --dry-run`, `check --plan`). The real binary against a throwaway PostgreSQL server.
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "tests/e2e/e2e_fixture.h"

namespace rapidbyte::e2e {
namespace {

class PgSelectionTest : public E2eTest {
 protected:
  void CreateAudit() {
    src_.Exec(
        "CREATE TABLE audit_log (id int PRIMARY KEY, what text);"
        "INSERT INTO audit_log VALUES (1, 'x')");
  }
  std::vector<std::string> StreamNames(const RunOutput& r) {
    std::vector<std::string> names;
    for (const auto& s : r.result["streams"]) names.push_back(s["name"].get<std::string>());
    return names;
  }
};

// A pattern with an exclude reads every other table; a table created between runs is
// picked up by the next run; the excluded table is never written.
TEST_F(PgSelectionTest, PatternWithExcludeAndATableCreatedBetweenRuns) {
  CreateUsersAndOrders(src_);
  CreateAudit();
  PipelineSpec spec;
  spec.streams = "    - name: public.*\n      exclude: [audit_*]\n";
  const std::string p = WritePipeline(spec);
  RunOutput first = Run(p);
  ASSERT_EQ(first.exit_code(), 0) << first.Describe();
  EXPECT_EQ(StreamNames(first), (std::vector<std::string>{"public.orders", "public.users"}));
  EXPECT_TRUE(Contains(first.cmd.err, "source.streams[0] 'public.*' matched 2 tables: "
                                      "public.orders, public.users"))
      << first.cmd.err;
  ExpectExactCopy("users", "raw.users");
  ExpectExactCopy("orders", "raw.orders");
  EXPECT_FALSE(dst_.Exists("raw.audit_log"));

  src_.Exec("CREATE TABLE invoices (id int PRIMARY KEY, total numeric); "
            "INSERT INTO invoices VALUES (1, 9.5), (2, 10)");
  RunOutput second = Run(p);
  ASSERT_EQ(second.exit_code(), 0) << second.Describe();
  EXPECT_EQ(StreamNames(second),
            (std::vector<std::string>{"public.invoices", "public.orders", "public.users"}));
  ExpectExactCopy("invoices", "raw.invoices");
  EXPECT_FALSE(dst_.Exists("raw.audit_log"));
}

// An explicit stream keeps its own settings and the pattern does not read its table twice;
// an incremental pattern takes each table's suggested cursor; `check` shows the expansion.
TEST_F(PgSelectionTest, ExplicitStreamOverridesPatternAndCheckShowsTheExpansion) {
  CreateUsersAndOrders(src_);
  CreateAudit();
  PipelineSpec spec;
  spec.streams =
      "    - name: orders\n"
      "    - name: public.*\n      sync_mode: incremental\n";
  const std::string p = WritePipeline(spec);
  const CommandRun check = Cli({"check", p});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_TRUE(std::regex_search(check.out, std::regex("Stream patterns: +OK +1 pattern, 2 streams")))
      << check.out;
  EXPECT_TRUE(Contains(check.out, "source.streams[1] 'public.*' matched 2 tables: "
                                  "public.audit_log, public.users"))
      << check.out;

  RunOutput r = Run(p);
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  ASSERT_EQ(StreamNames(r),
            (std::vector<std::string>{"public.orders", "public.audit_log", "public.users"}));
  EXPECT_EQ(r.Stream("public.orders")["sync_mode"], "full_refresh");
  EXPECT_EQ(r.Stream("public.users")["sync_mode"], "incremental");
  // users suggests updated_at (a timestamp named so), audit_log its integer key.
  const std::string cursors = StateQuery("SELECT stream, cursor_field FROM sync_cursors ORDER BY 1");
  EXPECT_TRUE(Contains(cursors, "public.audit_log|id")) << cursors;
  EXPECT_TRUE(Contains(cursors, "public.users|updated_at")) << cursors;
}

// A pattern that matches nothing, and no other stream: exit 2 naming the pattern.
TEST_F(PgSelectionTest, PatternMatchingNothingIsAClearError) {
  CreateUsersAndOrders(src_);
  PipelineSpec spec;
  spec.streams = "    - name: public.nothing_*\n";
  const CommandRun r = Cli({"run", WritePipeline(spec)});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_TRUE(Contains(r.err, "'public.nothing_*' matches no table or view")) << r.err;
  EXPECT_TRUE(Contains(r.err, "source.streams: the patterns match no table or view")) << r.err;
  EXPECT_FALSE(std::filesystem::exists(StatePath()));
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// `init --yes` with flags: the written file names the chosen tables with their suggested
// cursors and keys, refers to passwords as ${VARS}, passes `check` and runs.
TEST_F(PgSelectionTest, InitWritesAPipelineThatPassesCheckAndRuns) {
  CreateUsersAndOrders(src_);
  CreateAudit();
  const std::string url = "postgres://postgres@127.0.0.1:" + std::to_string(pg().port()) + "/";
  const std::string file = dir_ + "/init.yaml";
  CommandOptions env;
  env.env = {"SOURCE_PGPASSWORD=", "DEST_PGPASSWORD="};
  const CommandRun init = Cli({"init", file, "--source", url + src_.name, "--destination",
                               url + dst_.name, "--streams", "users,orders", "--yes"},
                              env);
  ASSERT_EQ(init.exit_code, 0) << init.out << init.err;
  EXPECT_TRUE(Contains(init.out, "Wrote " + file)) << init.out;
  const std::string yaml = ReadFile(file);
  EXPECT_TRUE(Contains(yaml, "password: ${SOURCE_PGPASSWORD}")) << yaml;
  EXPECT_TRUE(Contains(yaml, "password: ${DEST_PGPASSWORD}")) << yaml;
  EXPECT_TRUE(Contains(yaml, "    - name: public.users")) << yaml;
  EXPECT_TRUE(Contains(yaml, "      cursor_field: updated_at\n")) << yaml;
  EXPECT_TRUE(Contains(yaml, "      primary_key: [id]\n")) << yaml;
  EXPECT_TRUE(Contains(yaml, "  write_mode: upsert\n")) << yaml;
  EXPECT_FALSE(Contains(yaml, "audit_log")) << yaml;

  const CommandRun check = Cli({"check", file}, env);
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  const CommandRun run = Cli({"run", file, "--output", "json"}, env);
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  ExpectExactCopy("users", "raw.users");
  ExpectExactCopy("orders", "raw.orders");

  // The file is never overwritten by accident, and without a terminal flags are required.
  const CommandRun again = Cli({"init", file, "--source", url + src_.name, "--destination",
                                url + dst_.name, "--yes"}, env);
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_TRUE(Contains(again.err, file + " exists; pass --force")) << again.err;
  const CommandRun bare = Cli({"init", dir_ + "/other.yaml"}, env);
  EXPECT_EQ(bare.exit_code, 2);
  EXPECT_TRUE(Contains(bare.err, "--source and --destination are required")) << bare.err;
  const CommandRun secret = Cli({"init", dir_ + "/x.yaml", "--source",
                                 "postgres://postgres:hunter22@127.0.0.1/db", "--destination",
                                 url + dst_.name, "--yes"}, env);
  EXPECT_EQ(secret.exit_code, 2);
  EXPECT_TRUE(Contains(secret.err, "must not hold the password")) << secret.err;
  EXPECT_FALSE(Contains(secret.err, "hunter22")) << secret.err;
}

// `discover --yaml` prints a pipeline from the file's own configs (a ${VAR} stays a
// reference) for the chosen tables; saved, it passes `check` and runs.
TEST_F(PgSelectionTest, DiscoverYamlWritesARunnablePipeline) {
  CreateUsersAndOrders(src_);
  CreateAudit();
  PipelineSpec spec;
  spec.streams = "    - name: users\n";
  spec.source_extra = "password: ${SRC_PW}";
  const std::string p = WritePipeline(spec);
  CommandOptions env;
  env.env = {"SRC_PW="};
  const CommandRun d = Cli({"discover", p, "--yaml", "--streams", "audit_log,public.ord*"}, env);
  ASSERT_EQ(d.exit_code, 0) << d.out << d.err;
  EXPECT_TRUE(Contains(d.out, "password: ${SRC_PW}")) << d.out;
  EXPECT_TRUE(Contains(d.out, "    - name: public.audit_log")) << d.out;
  EXPECT_TRUE(Contains(d.out, "    - name: public.orders")) << d.out;
  EXPECT_FALSE(Contains(d.out, "public.users")) << d.out;
  const std::string file = dir_ + "/discovered.yaml";
  std::ofstream(file) << d.out;
  const CommandRun check = Cli({"check", file}, env);
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  RunOutput run = Run(file, {}, env);
  ASSERT_EQ(run.exit_code(), 0) << run.Describe();
  ExpectExactCopy("audit_log", "raw.audit_log");
  ExpectExactCopy("orders", "raw.orders");

  const CommandRun none = Cli({"discover", p, "--yaml", "--streams", "nosuch"}, env);
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_TRUE(Contains(none.err, "'nosuch' matches no table or view of the source")) << none.err;
}

}  // namespace
}  // namespace rapidbyte::e2e
