// Choosing what to move (issue #22 items 1-3): pattern streams (`name: public.*` with
// `exclude:`), scaffolding a pipeline (`discover --yaml`, `init`), and the plan of a run
// (`run --dry-run`, `check --plan`). The real binary against a throwaway PostgreSQL server.
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

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
  // A matched stream is reset by its table name too (the pattern names its schema).
  const CommandRun reset = Cli({"state", "reset", p, "--stream", "audit_log"});
  EXPECT_EQ(reset.exit_code, 0) << reset.out << reset.err;
  const std::string left = StateQuery("SELECT stream FROM sync_cursors ORDER BY 1");
  EXPECT_FALSE(Contains(left, "public.audit_log")) << left;
  EXPECT_TRUE(Contains(left, "public.users")) << left;
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

// Every relation and column of a database, to compare before and after a dry run.
std::vector<std::string> CatalogOf(const Db& db) {
  return db.SortedRows(
      "SELECT c.table_schema, c.table_name, c.column_name, c.data_type, c.is_nullable "
      "FROM information_schema.columns c WHERE c.table_schema NOT IN ('pg_catalog', "
      "'information_schema') UNION ALL SELECT n.nspname, '', '', '', '' FROM pg_namespace n");
}

// `run --dry-run` before the first run: the DDL of the table to create, the ALTER of a
// table missing a column, estimates and "no stored position"; nothing changes anywhere and no
// state file appears. After a run, the stored position is shown.
TEST_F(PgSelectionTest, DryRunShowsThePlanAndWritesNothing) {
  CreateUsersAndOrders(src_);
  src_.Exec("ANALYZE users; ANALYZE orders");
  dst_.Exec("CREATE SCHEMA raw; CREATE TABLE raw.orders (id int PRIMARY KEY)");
  PipelineSpec spec;
  spec.streams =
      "    - name: users\n      sync_mode: incremental\n      cursor_field: updated_at\n"
      "    - name: orders\n";
  const std::string p = WritePipeline(spec);
  const auto src_before = CatalogOf(src_), dst_before = CatalogOf(dst_);
  const CommandRun dry = Cli({"run", p, "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.out << dry.err;
  EXPECT_TRUE(Contains(dry.out, "Plan for pipeline 'e2e_pg' (dry run")) << dry.out;
  EXPECT_TRUE(Contains(dry.out, "public.users  incremental -> append\n"
                                "  read:   every row (no stored position yet); the table holds "
                                "about 3 rows\n  write:  create table raw.users\n"
                                "          CREATE TABLE \"raw\".\"users\" (\"id\" integer NOT NULL"))
      << dry.out;
  EXPECT_TRUE(Contains(dry.out, "public.orders  full_refresh -> append\n"
                                "  read:   every row (full refresh)"))
      << dry.out;
  EXPECT_TRUE(std::regex_search(dry.out, std::regex("ALTER TABLE \"raw\"\\.\"orders\" ADD COLUMN "
                                                    "\"user_id\" [a-z]+;")))
      << dry.out;
  EXPECT_EQ(CatalogOf(src_), src_before);
  EXPECT_EQ(CatalogOf(dst_), dst_before);
  EXPECT_FALSE(std::filesystem::exists(StatePath()));

  const CommandRun json_plan = Cli({"run", p, "--dry-run", "--output", "json"});
  ASSERT_EQ(json_plan.exit_code, 0) << json_plan.err;
  const Json doc = Json::parse(json_plan.out);
  EXPECT_EQ(doc["streams"][0]["write"]["action"], "create");
  EXPECT_EQ(doc["streams"][0]["read"]["estimated_rows"], 3);
  EXPECT_EQ(doc["streams"][1]["write"]["action"], "append");

  ASSERT_EQ(Run(p).exit_code(), 0);
  const CommandRun after = Cli({"run", p, "--dry-run"});
  ASSERT_EQ(after.exit_code, 0) << after.out << after.err;
  EXPECT_TRUE(Contains(after.out, "  read:   rows after the stored position: cursor updated_at "
                                  "(timestamp_micros) = 20"))
      << after.out;
  EXPECT_TRUE(Contains(after.out, "  write:  append to raw.users (exists; no schema change)"))
      << after.out;
}

// A change the destination's evolution policy rejects: the plan says the stream fails and
// why, exit 1; `check --plan` shows the checks and then the plan.
TEST_F(PgSelectionTest, DryRunNamesAStreamThatWouldFail) {
  CreateUsersAndOrders(src_);
  dst_.Exec("CREATE SCHEMA raw; CREATE TABLE raw.orders (id int PRIMARY KEY)");
  PipelineSpec spec;
  spec.streams = "    - name: orders\n";
  spec.destination = "  schema_evolution:\n    new_column: fail\n";
  const std::string p = WritePipeline(spec);
  const CommandRun dry = Cli({"run", p, "--dry-run"});
  EXPECT_EQ(dry.exit_code, 1) << dry.out << dry.err;
  EXPECT_TRUE(Contains(dry.out, "  write:  FAILS: [schema] SCHEMA_CHANGE_REJECTED: "
                                "destination.schema_evolution.new_column is 'fail'"))
      << dry.out;
  const CommandRun check = Cli({"check", p, "--plan"});
  EXPECT_EQ(check.exit_code, 1) << check.out << check.err;
  EXPECT_TRUE(Contains(check.out, "State backend")) << check.out;
  EXPECT_TRUE(Contains(check.out, "Plan for pipeline 'e2e_pg'")) << check.out;
  EXPECT_EQ(dst_.Count("raw.orders"), 0);
}

std::string PaneOf(const std::string& tmux) {
  std::string out;
  if (FILE* f = popen((tmux + " capture-pane -p -t init 2>/dev/null").c_str(), "r")) {
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    pclose(f);
  }
  return out;
}

// Waits until the pane shows `text`; the last pane otherwise.
bool WaitForPane(const std::string& tmux, const std::string& text, std::string* pane) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    *pane = PaneOf(tmux);
    if (Contains(*pane, text)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

// `init` on a terminal (tmux): it asks for the source and destination, lists the tables with
// their keys and cursors, takes the chosen streams and the write mode, and writes the file.
TEST_F(PgSelectionTest, InitAsksOnATerminal) {
  if (std::system("command -v tmux >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "tmux is not installed (scripts/setup.sh installs it)";
  }
  CreateUsersAndOrders(src_);
  CreateAudit();
  const std::string url = "postgres://postgres@127.0.0.1:" + std::to_string(pg().port()) + "/";
  const std::string file = dir_ + "/asked.yaml";
  const std::string script = dir_ + "/init.sh";
  testing::WriteFile(script, "cd '" + dir_ + "' && HOME='" + home_ + "' '" +
                                 testing::RapidbyteBinary() + "' init '" + file +
                                 "'; echo \"exit=$?\"; sleep 60\n");
  const std::string tmux = "tmux -L rb-e2e-init-" + std::to_string(getpid());
  ASSERT_EQ(std::system((tmux + " -f /dev/null new-session -d -x 200 -y 50 -s init 'sh " + script +
                         "'").c_str()),
            0);
  auto send = [&](const std::string& keys) {
    (void)std::system((tmux + " send-keys -t init -l '" + keys + "'").c_str());
    (void)std::system((tmux + " send-keys -t init Enter").c_str());
  };
  std::string pane;
  bool ok = WaitForPane(tmux, "Source PostgreSQL", &pane);
  if (ok) send(url + src_.name);
  ok = ok && WaitForPane(tmux, "Destination PostgreSQL", &pane);
  if (ok) send(url + dst_.name);
  ok = ok && WaitForPane(tmux, "Streams to copy", &pane);
  const std::string listing = pane;
  if (ok) send("users, audit_log");
  ok = ok && WaitForPane(tmux, "Write mode", &pane);
  if (ok) send("");
  ok = ok && WaitForPane(tmux, "exit=", &pane);
  (void)std::system((tmux + " kill-server >/dev/null 2>&1").c_str());
  ASSERT_TRUE(ok) << "last pane:\n" << pane;
  EXPECT_TRUE(Contains(pane, "exit=0")) << pane;
  EXPECT_TRUE(std::regex_search(listing, std::regex("public\\.users +key: id +cursor: updated_at")))
      << listing;
  EXPECT_TRUE(Contains(listing, "public.orders")) << listing;
  const std::string yaml = ReadFile(file);
  EXPECT_TRUE(Contains(yaml, "    - name: public.users")) << yaml;
  EXPECT_TRUE(Contains(yaml, "    - name: public.audit_log")) << yaml;
  EXPECT_FALSE(Contains(yaml, "public.orders")) << yaml;
  EXPECT_TRUE(Contains(yaml, "  write_mode: upsert\n")) << yaml;
  const CommandRun check = Cli({"check", file});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
}

}  // namespace
}  // namespace rapidbyte::e2e
