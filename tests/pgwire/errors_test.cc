// SQLSTATE mapping with errors triggered for real (SPEC §7.7, §8.8): each statement below makes
// PostgreSQL 15 raise the state, and the test checks the category and code pgwire assigns.
// Also cancellation of a long query (CancelRequest on a second connection) and a backend
// terminated by an administrator.
#include <chrono>
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "base/test_util.h"
#include "pgwire/error_mapping.h"
#include "pgwire/server_error.h"
#include "tests/harness/pg_cluster_fixture.h"
#include "tests/pgwire/pg_session.h"

namespace rapidbyte::pgwire {
namespace {

using testing::OpenSession;
using testing::SessionOptions;

class PgwireErrorTest : public rapidbyte::testing::PgClusterTest {
 protected:
  void SetUp() override {
    PgClusterTest::SetUp();
    if (HasFatalFailure()) return;
    auto conn = OpenSession(*cluster(), SessionOptions());
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    conn_ = conn.MoveValueUnsafe();
  }

  // Check that `status` is a server error with `sqlstate` classified as `category`/`code`.
  static void ExpectMapped(const Status& status, std::string_view sqlstate, ErrorCategory category,
                           std::string_view code) {
    const ServerError* err = GetServerError(status);
    ASSERT_NE(err, nullptr) << status.ToString();
    EXPECT_EQ(err->sqlstate(), sqlstate) << status.ToString();
    const ErrorClass cls = ClassifyStatus(status);
    EXPECT_EQ(cls.category, category) << sqlstate;
    EXPECT_EQ(cls.code, code) << sqlstate;
    EXPECT_EQ(cls.retryable, IsRetryableCategory(category)) << sqlstate;
  }

  // Wait until some backend runs a query containing `needle` (no fixed sleeps).
  void WaitForActiveQuery(std::string_view needle) {
    for (int i = 0; i < 600; ++i) {
      auto rows = cluster()->Query("postgres",
                                   "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                                   "AND query LIKE '%" +
                                       std::string(needle) +
                                       "%' AND pid <> "
                                       "pg_backend_pid()");
      if (rows.ok() && !rows->empty() && (*rows)[0][0] != "0") return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << "query " << needle << " never became active";
  }

  std::unique_ptr<Connection> conn_;
};

TEST_F(PgwireErrorTest, StatementErrors) {
  ASSERT_OK(conn_->Execute("CREATE TABLE e_t (id int PRIMARY KEY, v text NOT NULL)"));
  ASSERT_OK(conn_->Execute("INSERT INTO e_t VALUES (1, 'a')"));
  ExpectMapped(conn_->Execute("SELECT * FROM e_missing"), "42P01", ErrorCategory::kConfig,
               "TABLE_NOT_FOUND");
  ExpectMapped(conn_->Execute("SELECT nope FROM e_t"), "42703", ErrorCategory::kConfig,
               "COLUMN_NOT_FOUND");
  ExpectMapped(conn_->Execute("SELEC 1"), "42601", ErrorCategory::kInternal, "QUERY_FAILED");
  ExpectMapped(conn_->Execute("SELECT 1/0"), "22012", ErrorCategory::kData, "DATA_ERROR");
  ExpectMapped(conn_->Execute("INSERT INTO e_t VALUES (1, 'b')"), "23505", ErrorCategory::kData,
               "DATA_ERROR");
  ExpectMapped(conn_->Execute("INSERT INTO e_t VALUES (2, NULL)"), "23502", ErrorCategory::kData,
               "DATA_ERROR");
  ExpectMapped(conn_->Execute("SELECT * FROM e_t WHERE id = 'x'::text"), "42883",
               ErrorCategory::kInternal, "QUERY_FAILED");
  // Separate statements: a multi-statement string runs in one implicit transaction.
  ASSERT_OK(conn_->Execute("SET default_transaction_read_only = on"));
  ExpectMapped(conn_->Execute("INSERT INTO e_t VALUES (3, 'c')"), "25006", ErrorCategory::kConfig,
               "DESTINATION_READ_ONLY");
  ASSERT_OK(conn_->Execute("SET default_transaction_read_only = off"));
  ExpectMapped(conn_->Execute("SET statement_timeout = '20ms'; SELECT pg_sleep(5)"), "57014",
               ErrorCategory::kTransientDb, "QUERY_CANCELED");  // not asked for by us: retryable
  ASSERT_OK(conn_->Execute("RESET statement_timeout"));
  EXPECT_TRUE(conn_->usable());
}

TEST_F(PgwireErrorTest, PermissionAndCatalog) {
  ASSERT_OK(conn_->Execute("CREATE TABLE e_private (id int)"));
  ASSERT_OK_AND_ASSIGN(auto md5,
                       OpenSession(*cluster(), SessionOptions(rapidbyte::testing::kPgMd5Role,
                                                              rapidbyte::testing::kPgMd5Password)));
  ExpectMapped(md5->Execute("SELECT * FROM e_private"), "42501", ErrorCategory::kPermission,
               "PERMISSION_DENIED");
  auto missing_db = OpenSession(*cluster(), SessionOptions("postgres", "", "e_no_db"));
  ExpectMapped(missing_db.status(), "3D000", ErrorCategory::kConfig, "DATABASE_NOT_FOUND");
  ExpectMapped(conn_->Execute("SELECT * FROM e_no_schema.t"), "42P01", ErrorCategory::kConfig,
               "TABLE_NOT_FOUND");
}

TEST_F(PgwireErrorTest, SerializationFailureBetweenTwoSessions) {
  ASSERT_OK(
      conn_->Execute("CREATE TABLE e_ser (id int PRIMARY KEY, v int); "
                     "INSERT INTO e_ser VALUES (1, 0)"));
  ASSERT_OK_AND_ASSIGN(auto other, OpenSession(*cluster(), SessionOptions()));
  ASSERT_OK(conn_->Execute("BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT * FROM e_ser"));
  ASSERT_OK(other->Execute("UPDATE e_ser SET v = 1 WHERE id = 1"));
  ExpectMapped(conn_->Execute("UPDATE e_ser SET v = 2 WHERE id = 1"), "40001",
               ErrorCategory::kTransientDb, "SERIALIZATION_FAILURE");
  ASSERT_OK(conn_->Execute("ROLLBACK"));
}

TEST_F(PgwireErrorTest, DeadlockBetweenTwoSessions) {
  ASSERT_OK(
      conn_->Execute("CREATE TABLE e_dead (id int PRIMARY KEY); "
                     "INSERT INTO e_dead VALUES (1), (2)"));
  ASSERT_OK_AND_ASSIGN(auto other, OpenSession(*cluster(), SessionOptions()));
  ASSERT_OK(
      conn_->Execute("SET deadlock_timeout = '50ms'; BEGIN; "
                     "SELECT * FROM e_dead WHERE id = 1 FOR UPDATE"));
  ASSERT_OK(
      other->Execute("SET deadlock_timeout = '50ms'; BEGIN; "
                     "SELECT * FROM e_dead WHERE id = 2 FOR UPDATE"));
  auto blocked = std::async(std::launch::async, [&other] {
    return other->Execute("SELECT * FROM e_dead WHERE id = 1 FOR UPDATE /* e_dead_wait */");
  });
  WaitForActiveQuery("e_dead_wait");
  Status mine = conn_->Execute("SELECT * FROM e_dead WHERE id = 2 FOR UPDATE");
  Status theirs = blocked.get();
  // Exactly one of the two sessions is chosen as the deadlock victim.
  const Status& victim = mine.ok() ? theirs : mine;
  EXPECT_TRUE(mine.ok() != theirs.ok()) << mine.ToString() << " / " << theirs.ToString();
  ExpectMapped(victim, "40P01", ErrorCategory::kTransientDb, "DEADLOCK");
  ASSERT_OK(conn_->Execute("ROLLBACK"));
  ASSERT_OK(other->Execute("ROLLBACK"));
}

TEST_F(PgwireErrorTest, CancelLongQuery) {
  Connection* conn = conn_.get();
  const auto start = std::chrono::steady_clock::now();
  auto running = std::async(std::launch::async,
                            [conn] { return conn->Execute("SELECT pg_sleep(60) /* e_cancel */"); });
  WaitForActiveQuery("e_cancel");
  ASSERT_OK(conn_->Cancel(testing::CancelFactory(*cluster())));
  Status result = running.get();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
  ExpectMapped(result, "57014", ErrorCategory::kCancelled, "QUERY_CANCELED");
  ASSERT_OK_AND_ASSIGN(QueryResult after, conn_->SimpleQuery("SELECT 'still usable'"));
  EXPECT_EQ(after.rows[0][0], "still usable");
}

TEST_F(PgwireErrorTest, AdminShutdownOfTheBackend) {
  ASSERT_OK_AND_ASSIGN(QueryResult pid, conn_->SimpleQuery("SELECT pg_backend_pid()"));
  ASSERT_OK(cluster()->Exec("postgres", "SELECT pg_terminate_backend(" + *pid.rows[0][0] + ")"));
  Status s = conn_->Execute("SELECT 1");
  ASSERT_FALSE(s.ok());
  const ErrorClass cls = ClassifyStatus(s);
  EXPECT_EQ(cls.category, ErrorCategory::kTransientNetwork) << s.ToString();
  // The server announces the shutdown with FATAL 57P01 before it closes the socket.
  ASSERT_NE(GetServerError(s), nullptr) << s.ToString();
  EXPECT_EQ(GetServerError(s)->sqlstate(), "57P01");
  EXPECT_FALSE(conn_->usable());
}

}  // namespace
}  // namespace rapidbyte::pgwire
