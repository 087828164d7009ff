// Simple and extended queries against a real server: text rows, binary parameters and results
// through the unnamed and named statements, NULLs, multi-statement strings, notices, and the
// fields of a server error.
#include <gtest/gtest.h>

#include "base/log.h"
#include "base/test_util.h"
#include "pgwire/server_error.h"
#include "pgwire/wire_buffer.h"
#include "tests/harness/pg_cluster_fixture.h"
#include "tests/pgwire/pg_session.h"

namespace rapidbyte::pgwire {
namespace {

using testing::OpenSession;
using testing::SessionOptions;

class PgwireQueryTest : public rapidbyte::testing::PgClusterTest {
 protected:
  void SetUp() override {
    PgClusterTest::SetUp();
    if (HasFatalFailure()) return;
    auto conn = OpenSession(*cluster(), SessionOptions());
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    conn_ = conn.MoveValueUnsafe();
  }
  std::unique_ptr<Connection> conn_;
};

std::uint32_t BigEndian32(const std::string& cell) {
  return LoadU32(reinterpret_cast<const std::uint8_t*>(cell.data()));
}

TEST_F(PgwireQueryTest, SimpleQueryReturnsTextRows) {
  ASSERT_OK_AND_ASSIGN(QueryResult r,
                       conn_->SimpleQuery("SELECT 1 AS a, NULL::text AS b, 'héllo' AS c "
                                          "UNION ALL SELECT 2, '', 'x'"));
  ASSERT_EQ(r.fields.size(), 3u);
  EXPECT_EQ(r.fields[0].name, "a");
  EXPECT_EQ(r.fields[0].type_oid, 23u);
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0], (QueryResult::Row{"1", std::nullopt, "héllo"}));
  EXPECT_EQ(r.rows[1], (QueryResult::Row{"2", "", "x"}));
  EXPECT_EQ(r.command_tag, "SELECT 2");
  EXPECT_EQ(r.RowsAffected(), 2u);
}

TEST_F(PgwireQueryTest, MultiStatementAndTransactionStatus) {
  ASSERT_OK(conn_->Execute("CREATE TABLE q_multi (id int)"));
  ASSERT_OK(conn_->Execute("BEGIN; INSERT INTO q_multi VALUES (1)"));
  EXPECT_EQ(conn_->transaction_status(), TransactionStatus::kInTransaction);
  EXPECT_FALSE(conn_->Execute("SELECT 1/0").ok());
  EXPECT_EQ(conn_->transaction_status(), TransactionStatus::kFailed);
  ASSERT_OK(conn_->Execute("ROLLBACK"));
  EXPECT_EQ(conn_->transaction_status(), TransactionStatus::kIdle);
  ASSERT_OK_AND_ASSIGN(QueryResult r,
                       conn_->SimpleQuery("INSERT INTO q_multi VALUES (5); SELECT id FROM q_multi"
                                          "; SELECT 42 WHERE false"));
  EXPECT_EQ(r.command_tag, "SELECT 0");  // the last statement that produced rows
  EXPECT_TRUE(r.rows.empty());
}

TEST_F(PgwireQueryTest, ExtendedQueryWithBinaryParamsAndResults) {
  const std::uint8_t seven[4] = {0, 0, 0, 7};
  const Param params[] = {Param::Binary(seven, 23), Param::Text("abc", 25), Param::Null(25)};
  ASSERT_OK_AND_ASSIGN(QueryResult r,
                       conn_->Query("SELECT $1::int4 * 6, $2 || 'd', $3::text IS NULL", params));
  ASSERT_EQ(r.rows.size(), 1u);
  ASSERT_EQ(r.fields[0].format, Format::kBinary);
  EXPECT_EQ(BigEndian32(*r.rows[0][0]), 42u);
  EXPECT_EQ(r.rows[0][1], "abcd");
  EXPECT_EQ(r.rows[0][2], std::string("\x01", 1));  // binary bool true
  // A parameter that only NUL-free text could carry is still safe as a binary value.
  const std::string with_quote = "it's; DROP TABLE x";
  const Param quoted[] = {Param::Text(with_quote, 25)};
  ASSERT_OK_AND_ASSIGN(QueryResult echo, conn_->Query("SELECT $1", quoted, Format::kText));
  EXPECT_EQ(echo.rows[0][0], with_quote);
}

TEST_F(PgwireQueryTest, NamedStatementsPrepareExecuteClose) {
  const std::uint32_t oids[] = {20};
  ASSERT_OK_AND_ASSIGN(PreparedStatement stmt,
                       conn_->Prepare("double_it", "SELECT $1 * 2 AS doubled", oids));
  EXPECT_EQ(stmt.param_oids, (std::vector<std::uint32_t>{20}));
  ASSERT_EQ(stmt.fields.size(), 1u);
  EXPECT_EQ(stmt.fields[0].name, "doubled");
  for (std::uint8_t v : {1, 21, 100}) {
    const std::uint8_t value[8] = {0, 0, 0, 0, 0, 0, 0, v};
    const Param params[] = {Param::Binary(value, 20)};
    ASSERT_OK_AND_ASSIGN(QueryResult r, conn_->ExecutePrepared(stmt, params, Format::kText));
    EXPECT_EQ(r.rows[0][0], std::to_string(2 * v));
  }
  ASSERT_OK(conn_->ClosePrepared("double_it"));
  const std::uint8_t one[8] = {0, 0, 0, 0, 0, 0, 0, 1};
  const Param params[] = {Param::Binary(one, 20)};
  auto gone = conn_->ExecutePrepared(stmt, params);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(GetServerError(gone.status())->sqlstate(), "26000");  // invalid statement name
  EXPECT_TRUE(conn_->usable());
}

class CollectingSink : public LogSink {
 public:
  void Write(LogLevel level, std::string_view message, const LogFields&) override {
    messages.emplace_back(level, std::string(message));
  }
  std::vector<std::pair<LogLevel, std::string>> messages;
};

TEST_F(PgwireQueryTest, NoticesGoToTheLogAndErrorsKeepEveryField) {
  CollectingSink sink;
  SetLogSink(&sink);
  ASSERT_OK(conn_->Execute("DO $$ BEGIN RAISE WARNING 'watch out %', 42; END $$"));
  SetLogSink(nullptr);
  ASSERT_EQ(sink.messages.size(), 1u);
  EXPECT_EQ(sink.messages[0].first, LogLevel::kWarn);
  EXPECT_EQ(sink.messages[0].second, "postgres: watch out 42");

  ASSERT_OK(conn_->Execute("CREATE TABLE q_err (id int PRIMARY KEY, v text NOT NULL)"));
  ASSERT_OK(conn_->Execute("INSERT INTO q_err VALUES (1, 'a')"));
  auto dup = conn_->Execute("INSERT INTO q_err VALUES (1, 'b')");
  const ServerError* err = GetServerError(dup);
  ASSERT_NE(err, nullptr) << dup.ToString();
  EXPECT_EQ(err->fields().severity_nonlocal, "ERROR");
  EXPECT_EQ(err->sqlstate(), "23505");
  EXPECT_EQ(err->fields().detail, "Key (id)=(1) already exists.");
  EXPECT_EQ(err->fields().schema, "public");
  EXPECT_EQ(err->fields().table, "q_err");
  EXPECT_EQ(err->fields().constraint, "q_err_pkey");
  auto syntax = conn_->Execute("SELECT * FRM q_err");
  ASSERT_NE(GetServerError(syntax), nullptr);
  EXPECT_EQ(GetServerError(syntax)->fields().position, "10");
  auto hint = conn_->Execute("SELECT * FROM q_err WHERE vv = 'a'");
  ASSERT_NE(GetServerError(hint), nullptr);
  EXPECT_EQ(GetServerError(hint)->fields().hint,
            "Perhaps you meant to reference the column \"q_err.v\".");
}

}  // namespace
}  // namespace rapidbyte::pgwire
