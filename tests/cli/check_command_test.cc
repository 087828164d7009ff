// `rapidbyte check` end to end (SPEC §3.3, scenarios 50 and 51): the real binary with the
// bundled PostgreSQL connectors against a throwaway server, and with the engine's test
// connectors. Every check line, its status and reason, the closing sentence, the exit code
// and the JSON document.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/sha.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/harness/pg_cluster_fixture.h"
#include "tests/harness/rapidbyte_process.h"

namespace rapidbyte::testing {
namespace {

using nlohmann::json;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The lines of the report up to the blank line before the closing sentence.
std::vector<std::string> CheckLines(const std::string& out) {
  std::vector<std::string> lines;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line) && !line.empty()) lines.push_back(line);
  return lines;
}

// A loopback port nothing listens on (bound, then released).
int UnusedPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

std::int64_t CountRows(const std::string& db_path, const std::string& table) {
  sqlite3* db = nullptr;
  std::int64_t n = -1;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, ("SELECT count(*) FROM " + table).c_str(), -1, &stmt, nullptr) ==
            SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      n = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return n;
}

class CheckCommandTest : public PgClusterTest {
 protected:
  void SetUp() override {
    PgClusterTest::SetUp();
    if (HasFatalFailure()) return;
    dir_ = MakeTempDir("rb-check");
    // A fresh HOME: no installed connectors shadow the bundled ones.
    setenv("HOME", dir_.c_str(), 1);
    db_ = "chk_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name());
    for (auto& ch : db_) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    ASSERT_TRUE(cluster()->CreateDatabase(db_).ok());
    ASSERT_TRUE(cluster()
                    ->Exec(db_,
                           "CREATE TABLE users (id serial primary key, name text not null, "
                           "email text, updated_at timestamptz);"
                           "INSERT INTO users (name, email, updated_at) VALUES "
                           "('Alice', 'a@x', now()), ('Bob', 'b@x', now()), ('Carol', NULL, now());"
                           "CREATE TABLE orders (id serial primary key, user_id int references users, "
                           "amount_cents int not null, status text);"
                           "INSERT INTO orders (user_id, amount_cents, status) VALUES "
                           "(1, 100, 'paid'), (2, 250, 'open'), (3, 999, 'paid');")
                    .ok());
  }
  void TearDown() override {
    if (!HasFailure() && !dir_.empty()) std::filesystem::remove_all(dir_);
  }

  std::string PgConfig(int port, const std::string& extra = "") const {
    return "{host: 127.0.0.1, port: " + std::to_string(port) + ", user: postgres, database: " + db_ +
           extra + "}";
  }

  // source-postgres -> dest-postgres with the given streams and configs.
  std::string Pipeline(const std::string& streams, const std::string& source_config,
                       const std::string& dest_config, const std::string& extra = "") {
    const std::string path = dir_ + "/pipeline.yaml";
    WriteFile(path, "version: \"1.0\"\npipeline: check_test\nsource:\n  use: source-postgres\n  config: " +
                        source_config + "\n  streams:\n" + streams +
                        "destination:\n  use: dest-postgres\n  config: " + dest_config +
                        "\nstate:\n  connection: " + dir_ + "/state.db\n" + extra);
    return path;
  }

  std::string dir_;
  std::string db_;
};

const char* kTwoStreams =
    "    - name: public.users\n      sync_mode: incremental\n      cursor_field: id\n"
    "    - name: public.orders\n";

TEST_F(CheckCommandTest, EveryCheckPassesAgainstALiveServer) {
  const int port = cluster()->port();
  const std::string p = Pipeline(kTwoStreams, PgConfig(port), PgConfig(port, ", schema: raw"));
  const CommandRun r = RunRapidbyte({"check", p});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string where = "127.0.0.1:" + std::to_string(port) + "/" + db_;
  for (const std::string& line :
       {std::string("Pipeline structure: OK\n"),
        std::string("Source connector:   OK  source-postgres 0.1.0 (bundled)\n"),
        std::string("Source config:      OK\n"),
        std::string("Dest connector:     OK  dest-postgres 0.1.0 (bundled)\n"),
        std::string("Dest config:        OK\n"),
        "State backend:      OK  sqlite " + dir_ + "/state.db\n",
        "Source:             OK  Connected to " + where + " (PostgreSQL 15.",
        std::string("  public.users      OK  "), std::string("  public.orders     OK  "),
        "Destination:        OK  Connected to " + where + " (schema 'raw' will be created)\n",
        std::string("\nAll checks passed.\n")}) {
    EXPECT_TRUE(Contains(r.out, line)) << "missing '" << line << "' in\n" << r.out;
  }
  const std::vector<std::string> lines = CheckLines(r.out);
  EXPECT_EQ(lines.size(), 12u) << r.out;
  for (const std::string& line : lines) {
    EXPECT_EQ(line.substr(20, 2), "OK") << line;
  }
  // check moves nothing and records nothing: no run row, no connector state, no schema.
  EXPECT_EQ(CountRows(dir_ + "/state.db", "sync_runs"), 0);
  EXPECT_EQ(CountRows(dir_ + "/state.db", "connector_state"), 0);
  auto schemas = cluster()->Query(db_, "SELECT count(*) FROM pg_namespace WHERE nspname = 'raw'");
  ASSERT_TRUE(schemas.ok());
  EXPECT_EQ((*schemas)[0][0], "0");
  std::fprintf(stderr, "check wall time (dev build): %.3f s\n", r.wall_secs);
}

TEST_F(CheckCommandTest, JsonOutputIsOneDocumentWithEveryCheck) {
  const int port = cluster()->port();
  const std::string p = Pipeline(kTwoStreams, PgConfig(port), PgConfig(port));
  const CommandRun r = RunRapidbyte({"check", p, "--output", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const json doc = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(doc.is_object()) << r.out;
  ASSERT_EQ(doc.size(), 2u);
  EXPECT_EQ(doc["ok"], true);
  ASSERT_TRUE(doc["checks"].is_array());
  ASSERT_EQ(doc["checks"].size(), 12u) << r.out;
  for (const json& c : doc["checks"]) {
    EXPECT_EQ(c.size(), 4u) << c;
    EXPECT_TRUE(c["name"].is_string() && c["status"].is_string() && c["message"].is_string() &&
                c["details"].is_array())
        << c;
    EXPECT_EQ(c["status"], "OK") << c;
  }
  EXPECT_EQ(doc["checks"][0]["name"], "Pipeline structure");
  EXPECT_EQ(doc["checks"][1]["name"], "Source connector");
  EXPECT_EQ(doc["checks"][1]["message"], "source-postgres 0.1.0 (bundled)");
  EXPECT_EQ(doc["checks"][5]["name"], "State backend");
  EXPECT_EQ(doc["checks"][6]["name"], "Source");
  EXPECT_EQ(doc["checks"][7]["name"], "Source public.users");
}

TEST_F(CheckCommandTest, UnreachableSourceAndBadDestinationConfig) {
  const int port = cluster()->port();
  const std::string p =
      Pipeline(kTwoStreams, PgConfig(UnusedPort(), ", connect_timeout: 2"),
               PgConfig(port, ", load_method: bulk"));
  const CommandRun r = RunRapidbyte({"check", p});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  for (const std::string& line :
       {std::string("Pipeline structure: OK\n"),
        std::string("Source connector:   OK  source-postgres 0.1.0 (bundled)\n"),
        std::string("Source config:      OK\n"),
        std::string("Dest connector:     OK  dest-postgres 0.1.0 (bundled)\n"),
        std::string("Dest config:        FAILED  1 problem\n"
                    "    destination.config.load_method: 'bulk' is not one of copy, insert\n"),
        "State backend:      OK  sqlite " + dir_ + "/state.db\n",
        std::string("Source:             FAILED  [transient_network] CONNECT_FAILED: "),
        std::string("  public.users      SKIPPED  not checked\n"),
        std::string("  public.orders     SKIPPED  not checked\n"),
        std::string("Destination:        SKIPPED  config invalid\n"),
        std::string("\n2 of 10 checks failed.\n")}) {
    EXPECT_TRUE(Contains(r.out, line)) << "missing '" << line << "' in\n" << r.out;
  }
  EXPECT_EQ(r.err, "") << "a failed check is a report, not an error";

  const CommandRun j = RunRapidbyte({"check", p, "--output", "json"});
  EXPECT_EQ(j.exit_code, 1);
  const json doc = json::parse(j.out, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << j.out;
  EXPECT_EQ(doc["ok"], false);
  ASSERT_EQ(doc["checks"].size(), 10u) << j.out;
  EXPECT_EQ(doc["checks"][4]["name"], "Dest config");
  EXPECT_EQ(doc["checks"][4]["status"], "FAILED");
  EXPECT_EQ(doc["checks"][4]["details"],
            json::array({"destination.config.load_method: 'bulk' is not one of copy, insert"}));
  EXPECT_EQ(doc["checks"][9]["name"], "Destination");
  EXPECT_EQ(doc["checks"][9]["status"], "SKIPPED");
}

TEST_F(CheckCommandTest, MisspelledTableGetsASuggestion) {
  const int port = cluster()->port();
  const std::string p = Pipeline("    - name: public.users\n    - name: public.ordrs\n", PgConfig(port),
                                 PgConfig(port));
  const CommandRun r = RunRapidbyte({"check", p});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  for (const std::string& line :
       {std::string("Source:             OK  Connected to "),
        std::string("  public.users      OK  "),
        std::string("  public.ordrs      FAILED  relation public.ordrs not found (did you mean "
                    "public.orders?)\n"),
        std::string("Destination:        OK  "), std::string("\n1 of 12 checks failed.\n")}) {
    EXPECT_TRUE(Contains(r.out, line)) << "missing '" << line << "' in\n" << r.out;
  }
}

TEST_F(CheckCommandTest, WrongPasswordIsAnAuthFailureAndNeverPrinted) {
  const int port = cluster()->port();
  const std::string source = "{host: 127.0.0.1, port: " + std::to_string(port) + ", user: " +
                             std::string(kPgScramRole) + ", password: \"${PG_PW}\", database: " + db_ + "}";
  const std::string p = Pipeline("    - name: public.users\n", source, PgConfig(port));
  CommandOptions options;
  options.env = {"PG_PW=wrong-password-xyz"};
  const CommandRun r = RunRapidbyte({"check", p, "--log-level", "debug"}, options);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(Contains(r.out, "Source:             FAILED  [auth] AUTH_FAILED: ")) << r.out;
  EXPECT_FALSE(Contains(r.out + r.err, "wrong-password-xyz")) << r.out << r.err;
}

TEST_F(CheckCommandTest, StructureFailureSkipsWhatNeedsTheInvalidParts) {
  const int port = cluster()->port();
  const std::string p = Pipeline(kTwoStreams, PgConfig(port), PgConfig(port),
                                 "transforms:\n  - use: test-transform\nresources:\n  parallelism: 0\n");
  const CommandRun r = RunRapidbyte({"check", p});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  const std::string expected =
      "Pipeline structure: FAILED  1 problem\n"
      "    resources.parallelism: must be at least 1, got 0\n"
      "Source connector:   SKIPPED  pipeline invalid\n"
      "Source config:      SKIPPED  pipeline invalid\n"
      "Transform[0] connector: SKIPPED  pipeline invalid\n"
      "Transform[0] config: SKIPPED  pipeline invalid\n"
      "Dest connector:     SKIPPED  pipeline invalid\n"
      "Dest config:        SKIPPED  pipeline invalid\n"
      "State backend:      OK  sqlite " + dir_ + "/state.db\n"
      "Source:             SKIPPED  pipeline invalid\n"
      "Transform[0]:       SKIPPED  pipeline invalid\n"
      "Destination:        SKIPPED  pipeline invalid\n"
      "\n1 of 11 checks failed.\n";
  EXPECT_EQ(r.out, expected);
  EXPECT_TRUE(Contains(r.err, "Error: Pipeline validation failed (1 problem) in ")) << r.err;

  const CommandRun j = RunRapidbyte({"check", p, "--output", "json"});
  EXPECT_EQ(j.exit_code, 2);
  const json doc = json::parse(j.out, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << j.out;
  EXPECT_EQ(doc["ok"], false);
  EXPECT_EQ(doc["checks"].size(), 11u);
}

TEST_F(CheckCommandTest, ARunningPipelineIsReportedWithoutTakingTheLock) {
  const int port = cluster()->port();
  const std::string p = Pipeline("    - name: public.users\n", PgConfig(port), PgConfig(port));
  // Hold the pipeline's lock the way a run does (SPEC §6.3).
  unsigned char digest[SHA256_DIGEST_LENGTH];
  const std::string name = "check_test";
  SHA256(reinterpret_cast<const unsigned char*>(name.data()), name.size(), digest);
  char stem[17];
  for (int i = 0; i < 8; ++i) std::snprintf(stem + 2 * i, 3, "%02x", digest[i]);
  const std::string lock_dir = dir_ + "/state.db.locks";
  mkdir(lock_dir.c_str(), 0755);
  const int fd = open((lock_dir + "/" + stem + ".lock").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(flock(fd, LOCK_EX | LOCK_NB), 0);
  const CommandRun r = RunRapidbyte({"check", p});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(Contains(r.out, "State backend:      WARNING  sqlite " + dir_ +
                                  "/state.db\n    pipeline 'check_test' is running\n"))
      << r.out;
  EXPECT_TRUE(Contains(r.out, "\nAll checks passed.\n")) << r.out;
  // check never took the lock: it is still ours.
  const int other = open((lock_dir + "/" + stem + ".lock").c_str(), O_RDWR);
  EXPECT_NE(flock(other, LOCK_EX | LOCK_NB), 0);
  close(other);
  close(fd);
}

TEST_F(CheckCommandTest, MissingConnectorConfigFailsAndSkipsTheLiveCheck) {
  const std::string p = Pipeline("    - name: users\n", "{}", "{host: h, user: u, database: d}");
  const CommandRun r = RunRapidbyte({"check", p});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(Contains(r.out, "Source config:      FAILED  3 problems\n")) << r.out;
  EXPECT_TRUE(Contains(r.out, "Source:             SKIPPED  config invalid\n")) << r.out;
}

TEST_F(CheckCommandTest, TestConnectorsPassTheirChecks) {
  const std::string path = dir_ + "/gen.yaml";
  WriteFile(path, "version: \"1.0\"\npipeline: check_gen\nsource:\n  use: test-gen\n  config: {rows: 5}\n"
                  "  streams:\n    - name: public.items\ndestination:\n  use: test-sink\n"
                  "state:\n  connection: " + dir_ + "/state.db\n");
  const CommandRun r = RunRapidbyte({"check", path});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(Contains(r.out, "Source connector:   OK  test-gen 0.1.0 (bundled)\n")) << r.out;
  EXPECT_TRUE(Contains(r.out, "Source:             OK\n")) << r.out;
  EXPECT_TRUE(Contains(r.out, "Destination:        OK\n")) << r.out;
  EXPECT_TRUE(Contains(r.out, "\nAll checks passed.\n")) << r.out;
}

TEST_F(CheckCommandTest, UnknownConnectorIsAFailedConnectorLine) {
  const std::string path = dir_ + "/unknown.yaml";
  WriteFile(path, "version: \"1.0\"\npipeline: check_unknown\nsource:\n  use: no-such-source\n"
                  "  streams:\n    - name: public.items\ndestination:\n  use: test-sink\n"
                  "state:\n  connection: " + dir_ + "/state.db\n");
  const CommandRun r = RunRapidbyte({"check", path});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(Contains(r.out, "Source connector:   FAILED  1 problem\n"
                              "    source.use: connector 'no-such-source' not found")) << r.out;
  EXPECT_TRUE(Contains(r.out, "Source config:      SKIPPED  connector unavailable\n")) << r.out;
  EXPECT_TRUE(Contains(r.out, "Source:             SKIPPED  connector unavailable\n")) << r.out;
  EXPECT_TRUE(Contains(r.out, "Destination:        OK\n")) << r.out;
}

// A directory the config grants (test-hostile's `dir`: permissions.fs.config_path, within
// /tmp) outside the manifest's directories is a failed config check naming the field and
// the directories, and the live check is skipped; inside them it passes, and `check`
// creates nothing (only `run` does).
TEST_F(CheckCommandTest, ConfigPathOutsideItsDirectoriesIsAConfigError) {
  auto pipeline = [&](const std::string& dir) {
    const std::string path = dir_ + "/files.yaml";
    WriteFile(path, "version: \"1.0\"\npipeline: check_files\nsource:\n  use: test-hostile\n"
                    "  config: {dir: \"" + dir + "\"}\n  streams:\n    - name: files.ok\n"
                    "destination:\n  use: test-sink\nstate:\n  connection: " + dir_ +
                    "/state.db\n");
    return path;
  };
  const CommandRun r = RunRapidbyte({"check", pipeline("/etc/rb-check/out")});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  for (const std::string& line :
       {std::string("Source connector:   OK  test-hostile 0.1.0 (bundled)\n"),
        std::string("Source config:      FAILED  1 problem\n"
                    "    source.config.dir: /etc/rb-check/out is outside the directories "
                    "rapidbyte/test-hostile may write (/tmp)\n"),
        std::string("Source:             SKIPPED  config invalid\n")}) {
    EXPECT_TRUE(Contains(r.out, line)) << "missing '" << line << "' in\n" << r.out;
  }

  const std::string inside = dir_ + "/lake/out";
  const CommandRun ok = RunRapidbyte({"check", pipeline(inside)});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_TRUE(Contains(ok.out, "Source config:      OK\n")) << ok.out;
  EXPECT_FALSE(std::filesystem::exists(inside));
}

}  // namespace
}  // namespace rapidbyte::testing
