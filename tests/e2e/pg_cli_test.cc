// SPEC §11 acceptance, PostgreSQL → PostgreSQL: the other commands and the run lock
// (scenarios 37, 38, 45, 46, 50, 51, 52): concurrent runs on one SQLite state file, the
// PostgreSQL state backend, connector config errors, `check`, `discover`, an unsupported
// sync mode.
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>

#include "tests/e2e/e2e_fixture.h"

namespace rapidbyte::e2e {
namespace {

class PgCliTest : public E2eTest {
 protected:
  // A pipeline `e2e_slow` whose run takes a few seconds: its destination table exists with a
  // row trigger that sleeps (400 rows x 10 ms).
  PipelineSpec SlowPipeline(const std::string& state_block) {
    src_.Exec(
        "CREATE TABLE slow_src (id int PRIMARY KEY, name text);"
        "INSERT INTO slow_src SELECT i, 'row ' || i FROM generate_series(1, 400) AS i");
    dst_.Exec(
        "CREATE SCHEMA raw_slow; CREATE TABLE raw_slow.slow_src (id int, name text);"
        "CREATE FUNCTION raw_slow.slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "PERFORM pg_sleep(0.01); RETURN NEW; END $$;"
        "CREATE TRIGGER slow BEFORE INSERT ON raw_slow.slow_src FOR EACH ROW EXECUTE FUNCTION "
        "raw_slow.slow()");
    PipelineSpec spec;
    spec.name = "e2e_slow";
    spec.streams = "    - name: slow_src\n";
    spec.dest_schema = "raw_slow";
    spec.extra = state_block;
    return spec;
  }

  // §11.37 on the state backend of `state_block`: while e2e_slow runs, a second run of it
  // exits 1 with `already running`, and another pipeline on the same state runs to completion.
  void ExpectOneRunPerPipeline(const std::string& state_block) {
    CreateUsersAndOrders(src_);
    const std::string slow = WritePipeline(SlowPipeline(state_block));
    PipelineSpec other;
    other.name = "e2e_other";
    other.streams = "    - name: users\n";
    other.extra = state_block;
    const std::string other_p = WritePipeline(other);
    CommandRun second;
    RunOutput concurrent;
    bool first_still_running = false;
    CommandOptions options;
    options.while_running = [&](int pid) {
      // Rows reaching the destination mean the first run holds the lock.
      if (!WaitWhileRunning(pid, 60, [&] {
            return dst_.Scalar(
                       "SELECT count(*) > 0 FROM pg_stat_progress_copy WHERE datname = "
                       "current_database()") == "t";
          })) {
        return;
      }
      second = Cli({"run", slow});
      concurrent = Run(other_p);
      first_still_running = !ChildExited(pid);
    };
    const RunOutput first = Run(slow, {}, options);
    ASSERT_EQ(first.exit_code(), 0) << first.Describe();
    EXPECT_TRUE(first_still_running)
        << "the slow run ended before the others finished; no overlap shown";
    EXPECT_EQ(second.exit_code, 1) << second.out << second.err;
    EXPECT_TRUE(std::regex_search(
        second.err, std::regex("Pipeline 'e2e_slow' is already running \\(run #[0-9]+ "
                               "started [-0-9T:.Z]+ on host .*, pid [0-9]+\\)")))
        << second.err;
    EXPECT_EQ(concurrent.exit_code(), 0) << concurrent.Describe();
    ExpectExactCopy("public.users", "raw.users");
    ExpectExactCopy("public.slow_src", "raw_slow.slow_src");
  }
};

// §11.37: one run per pipeline on a SQLite state file; other pipelines run concurrently.
TEST_F(PgCliTest, ConcurrentRunsOnSqliteState) {
  ExpectOneRunPerPipeline("");
  EXPECT_EQ(StateQuery("SELECT pipeline, status FROM sync_runs ORDER BY id"),
            "e2e_slow|completed\ne2e_other|completed\n");
}

// §11.38: scenario 4 and scenario 37 with the PostgreSQL state backend: tables in schema
// `rapidbyte`, cursors kept there, the advisory lock enforced; nothing under $HOME.
TEST_F(PgCliTest, PostgresStateBackend) {
  const Db state{cluster(), src_.name + "_state"};
  ASSERT_TRUE(pg().CreateDatabase(state.name).ok());
  const std::string block =
      "state:\n  backend: postgres\n  connection: postgresql://postgres@127.0.0.1:" +
      std::to_string(pg().port()) + "/" + state.name + "\n";
  ExpectOneRunPerPipeline(block);
  if (HasFatalFailure()) return;

  PipelineSpec spec;
  spec.name = "e2e_incremental";
  spec.streams = "    - name: users\n      sync_mode: incremental\n      cursor_field: id\n";
  spec.dest_schema = "raw_inc";
  spec.extra = block;
  const std::string p = WritePipeline(spec);
  const RunOutput first = Run(p);
  ASSERT_EQ(first.exit_code(), 0) << first.Describe();
  EXPECT_EQ(first.result["records_read"], 3);
  src_.Exec("INSERT INTO users (name) VALUES ('Dave'), ('Eve')");
  const RunOutput second = Run(p);
  ASSERT_EQ(second.exit_code(), 0) << second.Describe();
  EXPECT_EQ(second.result["records_read"], 2);
  const RunOutput third = Run(p);
  ASSERT_EQ(third.exit_code(), 0) << third.Describe();
  EXPECT_EQ(third.result["records_read"], 0);
  ExpectExactCopy("public.users", "raw_inc.users");

  EXPECT_EQ(
      state.Scalar(
          "SELECT cursor_value FROM rapidbyte.sync_cursors WHERE pipeline = 'e2e_incremental'"),
      "{\"int64\":5}");
  EXPECT_EQ(state.Scalar("SELECT string_agg(status, ',' ORDER BY id) FROM rapidbyte.sync_runs"),
            "completed,completed,completed,completed,completed");
  EXPECT_EQ(
      state.Scalar(
          "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'rapidbyte' AND "
          "table_name IN ('rb_meta', 'sync_runs', 'sync_run_streams', 'sync_cursors', "
          "'connector_state')"),
      "5");
  EXPECT_FALSE(std::filesystem::exists(home_ + "/.rapidbyte/state.db"));
  const CommandRun show = Cli({"state", "show", p, "--output", "json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  const Json doc = Json::parse(show.out, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << show.out;
  EXPECT_EQ(doc["streams"][0]["cursor_value"], Json::parse(R"({"int64":5})"));
  EXPECT_TRUE(Contains(doc.value("backend", ""), "postgres")) << show.out;
  (void)pg().Exec("postgres", "DROP DATABASE IF EXISTS " + state.name + " WITH (FORCE)");
}

// §11.46 (amended by §14.1): a cdc stream cannot be written with write_mode replace; the run
// is refused before anything runs, naming the allowed modes.
TEST_F(PgCliTest, CdcWithReplaceIsRefusedBeforeAnythingRuns) {
  CreateUsersAndOrders(src_);
  PipelineSpec spec;
  spec.write_mode = "replace";
  spec.streams = "    - name: users\n      sync_mode: cdc\n";
  const CommandRun r = Cli({"run", WritePipeline(spec)});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_TRUE(Contains(r.err, "'cdc' cannot be combined with write_mode 'replace'")) << r.err;
  EXPECT_FALSE(std::filesystem::exists(StatePath()));
  EXPECT_FALSE(dst_.Exists("raw.users"));
  EXPECT_EQ(src_.Scalar("SELECT count(*) FROM pg_replication_slots"), "0");
}

// §11.45: connector config problems (missing host, a misspelled key, a non-integer port, an
// unknown load method) are all reported with their paths and suggestions, exit 2, before the
// state is opened (so no run row).
TEST_F(PgCliTest, ConnectorConfigProblemsAreReportedTogether) {
  PipelineSpec spec;
  spec.streams = "    - name: users\n";
  spec.source_config = "{prot: 5432, port: abc, user: postgres, database: " + src_.name + "}";
  spec.dest_extra = "load_method: bulk";
  const CommandRun r = Cli({"run", WritePipeline(spec)});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_TRUE(Contains(r.err, "Pipeline validation failed (4 problems)")) << r.err;
  EXPECT_TRUE(std::regex_search(r.err, std::regex("\n  - source\\.config[.:][^\n]*host"))) << r.err;
  EXPECT_TRUE(std::regex_search(r.err, std::regex("\n  - source\\.config\\.port: [^\n]*abc")))
      << r.err;
  EXPECT_TRUE(std::regex_search(
      r.err, std::regex("\n  - source\\.config\\.prot: [^\n]*did you mean 'port'\\?")))
      << r.err;
  EXPECT_TRUE(
      Contains(r.err, "\n  - destination.config.load_method: 'bulk' is not one of copy, insert"))
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(StatePath()));
}

// §11.50: `check` of a good pipeline: every line OK, `All checks passed.`, exit 0; nothing
// is written anywhere.
TEST_F(PgCliTest, CheckAllOk) {
  CreateUsersAndOrders(src_);
  PipelineSpec spec;
  spec.streams =
      "    - name: users\n      sync_mode: incremental\n      cursor_field: id\n    - name: "
      "orders\n";
  const CommandRun r = Cli({"check", WritePipeline(spec)});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  std::istringstream lines(r.out);
  std::string line;
  int checks = 0;
  while (std::getline(lines, line)) {
    if (line.empty() || line == "All checks passed.") continue;
    ++checks;
    EXPECT_TRUE(std::regex_search(line, std::regex("^ *[A-Za-z][^ ]*( [A-Za-z]+)?: *OK( |$)")) ||
                std::regex_search(line, std::regex("^  public\\.[a-z]+ +OK( |$)")))
        << "not an OK line: '" << line << "'\n"
        << r.out;
  }
  EXPECT_GE(checks, 8) << r.out;
  EXPECT_TRUE(Contains(r.out, "\nAll checks passed.\n")) << r.out;
  EXPECT_FALSE(dst_.Exists("raw.users"));
  EXPECT_FALSE(dst_.Exists("raw.rapidbyte_watermarks"));
}

// §11.51: `check` with a misspelled table and a bad destination config, then with the source
// server unreachable: every check is printed with FAILED or SKIPPED and a reason, exit 1, and
// `--output json` parses.
TEST_F(PgCliTest, CheckReportsEveryFailure) {
  CreateUsersAndOrders(src_);
  PipelineSpec spec;
  spec.streams = "    - name: ordrs\n    - name: users\n";
  spec.dest_extra = "load_method: bulk";
  const std::string p = WritePipeline(spec);
  const CommandRun r = Cli({"check", p});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(std::regex_search(
      r.out, std::regex("\nDest config: +FAILED  1 problem\n +destination\\.config\\.load_method: "
                        "'bulk' is not one of copy, insert")))
      << r.out;
  EXPECT_TRUE(std::regex_search(
      r.out, std::regex("\n  public\\.ordrs +FAILED  relation public\\.ordrs not found "
                        "\\(did you mean public\\.orders\\?\\)")))
      << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\n  public\\.users +OK"))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\nDestination: +SKIPPED  "))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\n[0-9]+ of [0-9]+ checks failed\\.\n")))
      << r.out;

  PipelineSpec down = spec;
  down.name = "e2e_down";
  down.source_config = "{host: 127.0.0.1, port: " + std::to_string(UnusedPort()) +
                       ", user: postgres, database: " + src_.name + ", connect_timeout: 2}";
  const CommandRun j = Cli({"check", WritePipeline(down), "--output", "json"});
  EXPECT_EQ(j.exit_code, 1) << j.out << j.err;
  const Json doc = Json::parse(j.out, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << j.out;
  EXPECT_EQ(doc["ok"], false);
  std::map<std::string, std::string> status;
  for (const auto& c : doc["checks"]) {
    status[c.value("name", "")] = c.value("status", "");
    EXPECT_FALSE(c.value("message", "").empty() && c.value("status", "") != "OK") << c.dump();
  }
  EXPECT_EQ(status["Source"], "FAILED") << j.out;
  EXPECT_EQ(status["Dest config"], "FAILED") << j.out;
  bool connect_failed = false;
  for (const auto& c : doc["checks"]) {
    connect_failed |=
        c.value("name", "") == "Source" && Contains(c.value("message", ""), "CONNECT_FAILED");
  }
  EXPECT_TRUE(connect_failed) << j.out;
}

// §11.52: discover lists tables and views across schemas with their primary keys and
// suggested cursors; the JSON form is a Catalog.
TEST_F(PgCliTest, DiscoverListsTablesAndViewsAcrossSchemas) {
  CreateUsersAndOrders(src_);
  src_.Exec(
      "CREATE SCHEMA sales; CREATE TABLE sales.items (sku bigint PRIMARY KEY, label varchar(40) "
      "NOT NULL, "
      "modified_at timestamptz); CREATE VIEW public.active_users AS SELECT id, name FROM users");
  PipelineSpec spec;
  spec.streams = "    - name: users\n";
  const std::string p = WritePipeline(spec);
  const CommandRun human = Cli({"discover", p});
  ASSERT_EQ(human.exit_code, 0) << human.err;
  for (const char* relation : {"public.users (table)", "public.orders (table)",
                               "public.active_users (view)", "sales.items (table)"}) {
    EXPECT_TRUE(Contains(human.out, relation)) << relation << " missing in\n" << human.out;
  }
  const CommandRun j = Cli({"discover", p, "--output", "json"});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  const Json catalog = Json::parse(j.out, nullptr, false);
  ASSERT_TRUE(catalog.is_object() && catalog["streams"].is_array()) << j.out;
  std::map<std::string, Json> streams;
  for (const auto& s : catalog["streams"]) {
    for (const char* key : {"name", "kind", "schema", "supported_sync_modes",
                            "source_defined_cursor", "source_defined_primary_key"}) {
      EXPECT_TRUE(s.contains(key)) << key << " missing in " << s.dump();
    }
    for (const auto& c : s["schema"]) {
      EXPECT_TRUE(c.contains("name") && c.contains("data_type") && c.contains("nullable"))
          << c.dump();
    }
    streams[s.value("name", "")] = s;
  }
  ASSERT_EQ(streams.count("public.users"), 1u) << j.out;
  ASSERT_EQ(streams.count("sales.items"), 1u) << j.out;
  ASSERT_EQ(streams.count("public.active_users"), 1u) << j.out;
  EXPECT_EQ(streams["public.users"]["source_defined_primary_key"], Json::parse(R"(["id"])"));
  EXPECT_EQ(streams["public.users"]["source_defined_cursor"], "updated_at");
  EXPECT_EQ(streams["sales.items"]["source_defined_primary_key"], Json::parse(R"(["sku"])"));
  EXPECT_EQ(streams["sales.items"]["source_defined_cursor"], "modified_at");
  EXPECT_EQ(streams["public.orders"]["source_defined_cursor"], "id");
  EXPECT_EQ(streams["public.active_users"]["kind"], "view");
  const Json label = streams["sales.items"]["schema"][1];
  EXPECT_EQ(label["name"], "label");
  EXPECT_EQ(label["data_type"], "utf8");
  EXPECT_EQ(label["nullable"], false);
  EXPECT_EQ(label["pg_type"], "character varying(40)");
}

}  // namespace
}  // namespace rapidbyte::e2e
