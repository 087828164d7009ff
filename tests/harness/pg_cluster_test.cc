// Integration tests for the PostgreSQL test harness: server start, SQL helpers, auth roles,
// pg_hba rules, restart, and cleanup after destruction and after a crashed owner process.
#include "tests/harness/pg_cluster.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "base/test_util.h"
#include "tests/harness/pg_cluster_fixture.h"

namespace rapidbyte::testing {
namespace {

using ::testing::HasSubstr;

// True if PQconnectdb(conninfo) succeeds; the server's error goes to *error otherwise.
bool CanConnect(const std::string& conninfo, std::string* error = nullptr) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  const bool ok = PQstatus(conn) == CONNECTION_OK;
  if (!ok && error != nullptr) *error = PQerrorMessage(conn);
  PQfinish(conn);
  return ok;
}

// True if something accepts TCP connections on 127.0.0.1:port.
bool PortAcceptsConnections(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

bool Exists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec);
}

// Polls `done` for up to `seconds`.
template <typename Pred>
bool WaitFor(Pred done, int seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

TEST_F(PgClusterTest, SelectOneAndVersion) {
  ASSERT_OK_AND_ASSIGN(auto one, cluster()->Query("postgres", "SELECT 1"));
  ASSERT_EQ(one.size(), 1u);
  ASSERT_EQ(one[0].size(), 1u);
  EXPECT_EQ(one[0][0], "1");

  ASSERT_OK_AND_ASSIGN(auto version, cluster()->Query("postgres", "SELECT version()"));
  ASSERT_EQ(version.size(), 1u);
  EXPECT_THAT(version[0][0].value_or(""), HasSubstr("PostgreSQL 15"));

  EXPECT_EQ(cluster()->host(), "127.0.0.1");
  EXPECT_GT(cluster()->port(), 0);
  EXPECT_LT(cluster()->socket_dir().size() + 20, 107u);  // ".s.PGSQL.NNNNN" must fit
  ASSERT_OK_AND_ASSIGN(auto listen, cluster()->Query("postgres", "SHOW listen_addresses"));
  EXPECT_EQ(listen[0][0], "127.0.0.1");
}

TEST_F(PgClusterTest, CreateDatabaseTableRowsAndNull) {
  ASSERT_OK(cluster()->Exec("postgres", "DROP DATABASE IF EXISTS harness_rows"));  // --gtest_repeat
  ASSERT_OK(cluster()->CreateDatabase("harness_rows"));
  ASSERT_OK(cluster()->Exec("harness_rows",
                            "CREATE TABLE t (id int PRIMARY KEY, name text);"
                            "INSERT INTO t VALUES (1, 'one'), (2, NULL), (3, '');"));
  ASSERT_OK_AND_ASSIGN(auto rows, cluster()->Query("harness_rows", "SELECT * FROM t ORDER BY id"));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (PgCluster::Row{"1", "one"}));
  EXPECT_EQ(rows[1], (PgCluster::Row{"2", std::nullopt}));
  EXPECT_EQ(rows[2], (PgCluster::Row{"3", ""}));  // empty string is not NULL

  ASSERT_OK_AND_ASSIGN(auto none, cluster()->Query("harness_rows", "DELETE FROM t WHERE false"));
  EXPECT_TRUE(none.empty());
}

TEST_F(PgClusterTest, SqlErrorsCarrySqlstate) {
  Status s = cluster()->Exec("postgres", "SELECT * FROM no_such_table");
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("42P01"));
  EXPECT_FALSE(cluster()->Query("no_such_db", "SELECT 1").ok());
}

TEST_F(PgClusterTest, ScramRoleNeedsTheRightPassword) {
  PgCluster* pg = cluster();
  EXPECT_TRUE(CanConnect(pg->ConnectionString("postgres", kPgScramRole, kPgScramPassword)));
  std::string error;
  EXPECT_FALSE(CanConnect(pg->ConnectionString("postgres", kPgScramRole, "wrong"), &error));
  EXPECT_THAT(error, HasSubstr("password authentication failed"));
  EXPECT_FALSE(
      CanConnect(pg->ConnectionString("postgres", kPgScramRole) + " passfile=/nonexistent/pgpass"));
  EXPECT_TRUE(CanConnect(pg->Url("postgres", kPgScramRole, kPgScramPassword)));

  ASSERT_OK_AND_ASSIGN(auto hash, pg->Query("postgres",
                                            "SELECT rolpassword FROM pg_authid "
                                            "WHERE rolname = 'rb_auth'"));
  EXPECT_THAT(hash[0][0].value_or(""), HasSubstr("SCRAM-SHA-256$"));
}

TEST_F(PgClusterTest, Md5RoleNeedsTheRightPassword) {
  PgCluster* pg = cluster();
  EXPECT_TRUE(CanConnect(pg->ConnectionString("postgres", kPgMd5Role, kPgMd5Password)));
  std::string error;
  EXPECT_FALSE(CanConnect(pg->ConnectionString("postgres", kPgMd5Role, "wrong"), &error));
  EXPECT_THAT(error, HasSubstr("password authentication failed"));

  ASSERT_OK_AND_ASSIGN(auto hash, pg->Query("postgres",
                                            "SELECT rolpassword FROM pg_authid "
                                            "WHERE rolname = 'rb_md5'"));
  EXPECT_EQ(hash[0][0].value_or("").rfind("md5", 0), 0u) << hash[0][0].value_or("NULL");
}

TEST_F(PgClusterTest, HbaRulesArePrependedAndValidated) {
  PgCluster* pg = cluster();
  static int run = 0;  // rules persist in the shared cluster: a new role per --gtest_repeat
  const std::string role = "harness_blocked_" + std::to_string(++run);
  ASSERT_OK(pg->CreateRole(role, ""));
  EXPECT_TRUE(CanConnect(pg->ConnectionString("postgres", role)));  // default: trust
  ASSERT_OK(pg->AddHbaRule("host all " + role + " all reject"));
  std::string error;
  EXPECT_FALSE(CanConnect(pg->ConnectionString("postgres", role), &error));
  EXPECT_THAT(error, HasSubstr("rejects connection"));

  Status bad = pg->AddHbaRule("host all nobody all no-such-method");
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument) << bad.ToString();
  EXPECT_TRUE(CanConnect(pg->ConnectionString("postgres")));  // rolled back, still serving
}

TEST_F(PgClusterTest, UrlEncodesComponents) {
  ASSERT_OK(cluster()->Exec("postgres", "DROP ROLE IF EXISTS \"harness url\""));
  ASSERT_OK(cluster()->CreateRole("harness url", "p@ss:w/rd'", /*superuser=*/true));
  ASSERT_OK(cluster()->AddHbaRule("host all \"harness url\" all scram-sha-256"));
  const std::string url = cluster()->Url("postgres", "harness url", "p@ss:w/rd'");
  EXPECT_THAT(url, HasSubstr("harness%20url:p%40ss%3Aw%2Frd%27@127.0.0.1:"));
  EXPECT_TRUE(CanConnect(url));
  EXPECT_TRUE(CanConnect(cluster()->ConnectionString("postgres", "harness url", "p@ss:w/rd'")));
}

TEST(PgClusterLifecycle, RestartKeepsDataAndDestructionCleansUp) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<PgCluster> pg, PgCluster::Start());
  ASSERT_OK(pg->Exec("postgres", "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('x')"));
  const int port = pg->port();

  ASSERT_OK(pg->Restart());
  EXPECT_EQ(pg->port(), port);
  ASSERT_OK_AND_ASSIGN(auto rows, pg->Query("postgres", "SELECT v FROM kept"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "x");

  ASSERT_OK(pg->Stop());
  EXPECT_FALSE(pg->Exec("postgres", "SELECT 1").ok());
  ASSERT_OK(pg->Stop());  // idempotent
  ASSERT_OK(pg->Restart());
  ASSERT_OK(pg->Exec("postgres", "SELECT 1"));

  const std::string base = pg->base_dir();
  const std::string conninfo = pg->ConnectionString("postgres");
  ASSERT_TRUE(Exists(pg->data_dir() + "/PG_VERSION"));
  pg.reset();
  EXPECT_FALSE(PortAcceptsConnections(port));
  EXPECT_FALSE(CanConnect(conninfo));
  EXPECT_FALSE(Exists(base)) << base;
}

TEST(PgClusterLifecycle, ExtraConfigIsApplied) {
  PgClusterOptions opts;
  opts.extra_config = {"wal_level = logical"};
  opts.create_auth_roles = false;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<PgCluster> pg, PgCluster::Start(opts));
  ASSERT_OK_AND_ASSIGN(auto rows, pg->Query("postgres", "SHOW wal_level"));
  EXPECT_EQ(rows[0][0], "logical");
}

TEST(PgClusterLifecycle, BadBinDirIsAnError) {
  PgClusterOptions opts;
  opts.bin_dir = "/nonexistent/pg/bin";
  Result<std::unique_ptr<PgCluster>> pg = PgCluster::Start(opts);
  EXPECT_EQ(pg.status().code(), StatusCode::kFailedPrecondition) << pg.status().ToString();
}

// The owner process dies without destructors (as on an ASan abort): the watchdog must stop
// the server and remove the temp dir.
TEST(PgClusterLifecycle, WatchdogCleansUpAfterACrashedOwner) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(fds[0]);
    Result<std::unique_ptr<PgCluster>> pg = PgCluster::Start();
    const std::string msg = pg.ok()
                                ? pg.value()->base_dir() + " " + std::to_string(pg.value()->port())
                                : "ERROR " + pg.status().ToString();
    ssize_t ignored = write(fds[1], msg.data(), msg.size());
    (void)ignored;
    close(fds[1]);
    kill(getpid(), SIGKILL);
  }
  close(fds[1]);
  std::string msg;
  char buf[512];
  for (ssize_t n; (n = read(fds[0], buf, sizeof(buf))) > 0;) msg.append(buf, buf + n);
  close(fds[0]);
  int wstatus = 0;
  ASSERT_EQ(waitpid(child, &wstatus, 0), child);
  ASSERT_TRUE(WIFSIGNALED(wstatus));
  ASSERT_EQ(msg.rfind("ERROR", 0), std::string::npos) << msg;

  const std::string base = msg.substr(0, msg.find(' '));
  const int port = std::atoi(msg.c_str() + msg.find(' ') + 1);
  EXPECT_TRUE(WaitFor([&] { return !Exists(base); }, 20)) << base;
  EXPECT_TRUE(WaitFor([&] { return !PortAcceptsConnections(port); }, 10)) << port;
}

}  // namespace
}  // namespace rapidbyte::testing
