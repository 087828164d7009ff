// The e2e fixture (see e2e_fixture.h).
#include "tests/e2e/e2e_fixture.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <thread>

#include <netinet/in.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/wait.h>

namespace rapidbyte::e2e {
namespace {

std::string Cell(const std::optional<std::string>& cell) { return cell ? *cell : "<NULL>"; }

std::string Line(const PgCluster::Row& row) {
  std::string line;
  for (std::size_t i = 0; i < row.size(); ++i) line += (i ? "|" : "") + Cell(row[i]);
  return line;
}

std::string Tail(const std::string& text, std::size_t n) {
  return text.size() <= n ? text : "..." + text.substr(text.size() - n);
}

// A database name unique within this process (each test binary has its own server).
std::string NextDbName(const std::string& role) {
  static std::atomic<int> counter{0};
  return "e2e_" + role + "_" + std::to_string(counter.fetch_add(1));
}

}  // namespace

int UnusedPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  const bool ok = fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
                  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  if (fd >= 0) close(fd);
  return ok ? ntohs(addr.sin_port) : 1;
}

bool ChildExited(int pid) {
  siginfo_t info{};
  return waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
         info.si_pid == pid;
}

bool WaitWhileRunning(int pid, double timeout_secs, const std::function<bool()>& ready) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_secs);
  while (std::chrono::steady_clock::now() < deadline) {
    if (ready()) return true;
    if (ChildExited(pid)) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

void Db::Exec(const std::string& sql) const {
  const Status st = cluster->Exec(name, sql);
  EXPECT_TRUE(st.ok()) << "in " << name << ": " << st.ToString() << "\nSQL: " << sql;
}

std::vector<PgCluster::Row> Db::Query(const std::string& sql) const {
  auto rows = cluster->Query(name, sql);
  EXPECT_TRUE(rows.ok()) << "in " << name << ": " << rows.status().ToString() << "\nSQL: " << sql;
  return rows.ok() ? *rows : std::vector<PgCluster::Row>{};
}

std::string Db::Scalar(const std::string& sql) const {
  auto rows = cluster->Query(name, sql);
  if (!rows.ok()) return "<error: " + rows.status().ToString() + ">";
  if (rows->empty() || rows->front().empty()) return "<no rows>";
  return Cell(rows->front().front());
}

std::int64_t Db::Count(const std::string& table) const {
  const std::string n = Scalar("SELECT count(*) FROM " + table);
  char* end = nullptr;
  const long long v = std::strtoll(n.c_str(), &end, 10);
  EXPECT_TRUE(end != nullptr && *end == '\0' && !n.empty()) << "count of " << table << ": " << n;
  return v;
}

bool Db::Exists(const std::string& qualified) const {
  return Scalar("SELECT to_regclass('" + qualified + "') IS NOT NULL") == "t";
}

std::vector<std::string> Db::ColumnTypes(const std::string& qualified) const {
  std::vector<std::string> out;
  for (const auto& row :
       Query("SELECT attname || ' ' || format_type(atttypid, atttypmod) || "
             "CASE WHEN attnotnull THEN ' not null' ELSE '' END FROM pg_attribute "
             "WHERE attrelid = '" +
             qualified +
             "'::regclass AND attnum > 0 AND NOT attisdropped "
             "ORDER BY attnum")) {
    out.push_back(Cell(row.at(0)));
  }
  return out;
}

std::vector<std::string> Db::SortedRows(const std::string& sql) const {
  std::vector<std::string> out;
  for (const auto& row : Query(sql)) out.push_back(Line(row));
  std::sort(out.begin(), out.end());
  return out;
}

Json RunOutput::Stream(const std::string& name) const {
  if (!result.is_object() || !result.contains("streams")) return nullptr;
  for (const auto& s : result["streams"]) {
    if (s.value("name", "") == name) return s;
  }
  return nullptr;
}

std::string RunOutput::Describe() const {
  return "exit " + std::to_string(cmd.exit_code) + "\n--- stdout:\n" + Tail(cmd.out, 6000) +
         "\n--- stderr:\n" + Tail(cmd.err, 6000);
}

void E2eTest::SetUp() {
  PgClusterTest::SetUp();
  if (HasFatalFailure()) return;
  src_ = Db{cluster(), NextDbName("src")};
  dst_ = Db{cluster(), NextDbName("dst")};
  ASSERT_TRUE(pg().CreateDatabase(src_.name).ok());
  ASSERT_TRUE(pg().CreateDatabase(dst_.name).ok());
  home_ = testing::MakeTempDir("rb-e2e-home");
  dir_ = testing::MakeTempDir("rb-e2e");
  ASSERT_FALSE(home_.empty());
  ASSERT_FALSE(dir_.empty());
  // RunRapidbyte passes this process's HOME before CommandOptions.env, and getenv() takes the
  // first entry: point our own HOME at the fresh one too, so the child sees only it.
  setenv("HOME", home_.c_str(), 1);
}

void E2eTest::TearDown() {
  if (HasFailure()) {
    std::fprintf(stderr, "kept for inspection: HOME=%s pipelines=%s databases %s, %s\n",
                 home_.c_str(), dir_.c_str(), src_.name.c_str(), dst_.name.c_str());
    return;
  }
  std::filesystem::remove_all(home_);
  std::filesystem::remove_all(dir_);
  if (cluster() != nullptr) {
    // A database with a logical replication slot (a cdc stream's) cannot be dropped.
    (void)pg().Exec("postgres",
                    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                    "WHERE database IN ('" + src_.name + "', '" + dst_.name + "') AND NOT active");
    (void)pg().Exec("postgres", "DROP DATABASE IF EXISTS " + src_.name + " WITH (FORCE)");
    (void)pg().Exec("postgres", "DROP DATABASE IF EXISTS " + dst_.name + " WITH (FORCE)");
  }
}

void E2eTest::CreateUsersAndOrders(const Db& db) {
  db.Exec(
      "CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL, email text, "
      "updated_at timestamptz);"
      "INSERT INTO users (name, email, updated_at) VALUES "
      "('Alice', 'alice@example.com', '2024-01-01 10:00:00+00'),"
      "('Bob', 'bob@example.com', '2024-01-02 10:00:00+00'),"
      "('Carol', NULL, '2024-01-03 10:00:00+00');"
      "CREATE TABLE orders (id serial PRIMARY KEY, user_id int REFERENCES users, "
      "amount_cents int NOT NULL, status text);"
      "INSERT INTO orders (user_id, amount_cents, status) VALUES "
      "(1, 1250, 'paid'), (2, 999, 'pending'), (1, 4200, NULL);");
}

void E2eTest::CreateBenchEvents(const Db& db, std::int64_t rows) {
  db.Exec(
      "CREATE TABLE bench_events (id serial PRIMARY KEY, event_type text NOT NULL, "
      "user_id integer NOT NULL, amount integer NOT NULL, is_active boolean NOT NULL, "
      "payload text, created_at timestamp);"
      "INSERT INTO bench_events (event_type, user_id, amount, is_active, payload, created_at) "
      "SELECT (ARRAY['click','view','purchase','signup'])[1 + i % 4], i % 1000, (i * 37) % 10000, "
      "i % 3 = 0, CASE WHEN i % 10 = 0 THEN NULL ELSE repeat('payload-' || (i % 97), 4) END, "
      "timestamp '2024-01-01' + i * interval '1 second' "
      "FROM generate_series(1, " +
      std::to_string(rows) + ") AS i;");
}

CommandOptions E2eTest::WithoutAsanQuarantine() {
  CommandOptions options;
  const char* asan = std::getenv("ASAN_OPTIONS");
  options.env.push_back(std::string("ASAN_OPTIONS=") + (asan != nullptr ? std::string(asan) + ":" : "") +
                        "quarantine_size_mb=0:thread_local_quarantine_size_kb=0");
  return options;
}

std::int64_t E2eTest::RowsKnob(std::int64_t default_rows) {
  const char* v = std::getenv("RB_E2E_ROWS");
  if (v == nullptr || *v == '\0') return default_rows;
  const long long n = std::atoll(v);
  return n > 0 ? n : default_rows;
}

std::string E2eTest::PgConfig(const Db& db, const std::string& extra) {
  return "{host: 127.0.0.1, port: " + std::to_string(db.cluster->port()) +
         ", user: postgres, database: " + db.name + (extra.empty() ? "" : ", " + extra) + "}";
}

std::string E2eTest::HostilePipeline(const std::vector<std::string>& streams,
                                     const std::string& config, const std::string& resources) {
  std::string yaml =
      "version: \"1.0\"\npipeline: sandbox\nsource:\n  use: test-hostile\n  config: " + config +
      "\n  streams:\n";
  for (const auto& s : streams) yaml += "    - name: " + s + "\n";
  yaml += "destination:\n  use: test-sink\n  config: {}\n  write_mode: append\n";
  if (!resources.empty()) yaml += "resources:\n" + resources;
  const std::string path = dir_ + "/sandbox_" + std::to_string(pipelines_++) + ".yaml";
  testing::WriteFile(path, yaml);
  return path;
}

Json Probe(const RunOutput& r, const std::string& stream) {
  std::istringstream lines(r.cmd.err);
  for (std::string line; std::getline(lines, line);) {
    const Json entry = Json::parse(line, nullptr, false);
    if (!entry.is_object() || entry.value("origin", "") != "connector" ||
        entry.value("stream", "") != stream) {
      continue;
    }
    const std::string msg = entry.value("msg", "");
    if (msg.rfind("[connector] probe ", 0) != 0) continue;
    return Json::parse(msg.substr(msg.find('{')), nullptr, false);
  }
  return nullptr;
}

void ExpectStreamError(const RunOutput& r, const std::string& stream, const std::string& code,
                       const std::string& message, bool substring) {
  const Json s = r.Stream(stream);
  ASSERT_TRUE(s.is_object()) << stream << "\n" << r.Describe();
  EXPECT_EQ(s["status"], "failed") << stream;
  EXPECT_EQ(s["attempts"], 1) << stream;
  ASSERT_TRUE(s["error"].is_object()) << stream << ": " << s.dump();
  EXPECT_EQ(s["error"]["code"], code) << stream << ": " << s["error"].dump();
  if (substring) {
    EXPECT_TRUE(s["error"]["message"].is_string() &&
                Contains(s["error"]["message"].get<std::string>(), message))
        << stream << ": '" << message << "' not in " << s["error"].dump();
  } else {
    EXPECT_EQ(s["error"]["message"], message) << stream << ": " << s["error"].dump();
  }
  EXPECT_EQ(s["error"]["stage"], "Source") << stream;
}

std::string E2eTest::WritePipeline(const PipelineSpec& spec) {
  const Db& dest = spec.dest_db != nullptr ? *spec.dest_db : dst_;
  std::string dest_items = "schema: " + spec.dest_schema;
  if (!spec.dest_extra.empty()) dest_items += ", " + spec.dest_extra;
  std::string yaml =
      "version: \"1.0\"\npipeline: " + spec.name + "\nsource:\n  use: " + spec.source_use +
      "\n  config: " +
      (spec.source_config.empty() ? PgConfig(src_, spec.source_extra) : spec.source_config) +
      "\n  streams:\n" + spec.streams +
      "destination:\n  use: dest-postgres\n  config: " + PgConfig(dest, dest_items) +
      "\n  write_mode: " + spec.write_mode + "\n" + spec.destination + spec.extra;
  if (!spec.resources.empty()) yaml += "resources:\n" + spec.resources;
  const std::string path = dir_ + "/" + spec.name + "_" + std::to_string(pipelines_++) + ".yaml";
  testing::WriteFile(path, yaml);
  return path;
}

CommandRun E2eTest::Cli(const std::vector<std::string>& args, CommandOptions options) {
  options.env.push_back("HOME=" + home_);
  return testing::RunRapidbyte(args, options);
}

RunOutput E2eTest::Run(const std::string& pipeline, const std::vector<std::string>& extra,
                       CommandOptions options) {
  std::vector<std::string> args = {"run", pipeline, "--output", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  RunOutput out;
  out.cmd = Cli(args, std::move(options));
  out.result = Json::parse(out.cmd.out, nullptr, false);
  if (out.result.is_discarded()) {
    ADD_FAILURE() << "stdout of `rapidbyte run` is not one JSON document\n" << out.Describe();
    out.result = nullptr;
  }
  return out;
}

void E2eTest::ExpectSameRows(const Db& src, const std::string& src_sql, const Db& dst,
                             const std::string& dst_sql, int copies) {
  const std::vector<std::string> once = src.SortedRows(src_sql);
  std::vector<std::string> expected;
  for (int i = 0; i < copies; ++i) expected.insert(expected.end(), once.begin(), once.end());
  std::sort(expected.begin(), expected.end());
  const std::vector<std::string> actual = dst.SortedRows(dst_sql);
  std::vector<std::string> only_src, only_dst;
  std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(),
                      std::back_inserter(only_src));
  std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(),
                      std::back_inserter(only_dst));
  auto list = [](const std::vector<std::string>& v) {
    std::string s;
    for (std::size_t i = 0; i < v.size() && i < 10; ++i) s += "    " + v[i] + "\n";
    if (v.size() > 10) s += "    ... " + std::to_string(v.size() - 10) + " more\n";
    return s;
  };
  EXPECT_EQ(actual.size(), expected.size())
      << "rows of `" << dst_sql << "` vs " << copies << " x `" << src_sql << "`";
  EXPECT_TRUE(only_src.empty() && only_dst.empty())
      << "source rows missing from the destination (" << only_src.size() << "):\n"
      << list(only_src) << "destination rows not in the source (" << only_dst.size() << "):\n"
      << list(only_dst);
}

void E2eTest::ExpectExactCopy(const std::string& src_table, const std::string& dst_table,
                              const std::string& key, const std::string& columns) {
  ExpectExactCopy(src_, src_table, dst_, dst_table, key, columns);
}

void E2eTest::ExpectExactCopy(const Db& src, const std::string& src_table, const Db& dst,
                              const std::string& dst_table, const std::string& key,
                              const std::string& columns) {
  ASSERT_TRUE(dst.Exists(dst_table)) << dst_table << " does not exist in " << dst.name;
  EXPECT_EQ(dst.Count(dst_table), src.Count(src_table)) << dst_table << " vs " << src_table;
  EXPECT_EQ(dst.Scalar("SELECT count(DISTINCT " + key + ") = count(*) FROM " + dst_table), "t")
      << "duplicate keys in " << dst_table;
  ExpectSameRows(src, "SELECT " + columns + " FROM " + src_table, dst,
                 "SELECT " + columns + " FROM " + dst_table);
}

std::string E2eTest::StateQuery(const std::string& sql) const {
  sqlite3* db = nullptr;
  std::string out;
  if (sqlite3_open_v2(StatePath().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return "<cannot open " + StatePath() + ">";
  }
  sqlite3_busy_timeout(db, 5000);
  char* error = nullptr;
  sqlite3_exec(
      db, sql.c_str(),
      [](void* acc, int n, char** values, char**) {
        auto* s = static_cast<std::string*>(acc);
        for (int i = 0; i < n; ++i) {
          *s += std::string(values[i] ? values[i] : "NULL") + (i + 1 < n ? "|" : "\n");
        }
        return 0;
      },
      &out, &error);
  if (error != nullptr) {
    out += std::string("<error: ") + error + ">";
    sqlite3_free(error);
  }
  sqlite3_close(db);
  return out;
}

}  // namespace rapidbyte::e2e
