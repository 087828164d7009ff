// Typed errors of source-postgres (SPEC §7.7) through the real connector: authentication,
// missing relations and columns, refused connections, a connection lost mid-read, and a
// cancelled run.
#include <gtest/gtest.h>

#include <atomic>

#include "tests/connectors/source_postgres/source_pg_harness.h"

namespace rapidbyte::testing {
namespace {

using ErrorsTest = SourcePgTest;

TEST_F(ErrorsTest, WrongPasswordIsAuthAndNotRetryable) {
  Sql("CREATE TABLE t (id int)");
  nlohmann::json config = Config();
  config["user"] = std::string(kPgScramRole);
  config["password"] = "not-the-password";
  ReadRun run = Read(config, Stream("t"));
  ASSERT_EQ(run.response["status"], "err") << run.response.dump();
  EXPECT_EQ(run.error()["category"], "auth");
  EXPECT_EQ(run.error()["code"], "AUTH_FAILED");
  EXPECT_EQ(run.error()["retryable"], false);
  const std::string message = run.error()["message"];
  EXPECT_EQ(message.find("not-the-password"), std::string::npos);
  EXPECT_NE(message.find("127.0.0.1:" + std::to_string(cluster()->port()) + "/" + db_),
            std::string::npos) << message;
  EXPECT_TRUE(run.frames.empty());
}

TEST_F(ErrorsTest, MissingTableNamesItAndSuggestsTheClosest) {
  Sql("CREATE TABLE orders (id int)");
  ReadRun run = Read(Stream("ordrs"));
  ASSERT_EQ(run.response["status"], "err") << run.response.dump();
  EXPECT_EQ(run.error()["category"], "config");
  EXPECT_EQ(run.error()["code"], "TABLE_NOT_FOUND");
  EXPECT_EQ(run.error()["retryable"], false);
  EXPECT_NE(run.error()["message"].get<std::string>().find(
                "relation public.ordrs not found (did you mean public.orders?)"),
            std::string::npos)
      << run.error()["message"];
}

TEST_F(ErrorsTest, MissingColumnListsTheAvailableOnes) {
  Sql("CREATE TABLE users (id int, name text)");
  nlohmann::json context = Stream("users");
  context["selected_columns"] = {"id", "nme"};
  ReadRun run = Read(context);
  ASSERT_EQ(run.response["status"], "err") << run.response.dump();
  EXPECT_EQ(run.error()["code"], "COLUMN_NOT_FOUND");
  const std::string message = run.error()["message"];
  EXPECT_NE(message.find("'nme'"), std::string::npos) << message;
  EXPECT_NE(message.find("did you mean 'name'"), std::string::npos) << message;
  EXPECT_NE(message.find("available columns: id, name"), std::string::npos) << message;
}

TEST_F(ErrorsTest, PermissionDeniedWithoutSelectPrivilege) {
  Sql("CREATE TABLE secret (id int); REVOKE ALL ON secret FROM PUBLIC;"
      "GRANT CONNECT ON DATABASE " + db_ + " TO " + std::string(kPgScramRole));
  nlohmann::json config = Config();
  config["user"] = std::string(kPgScramRole);
  config["password"] = std::string(kPgScramPassword);
  ReadRun run = Read(config, Stream("secret"));
  ASSERT_EQ(run.response["status"], "err") << run.response.dump();
  EXPECT_EQ(run.error()["category"], "permission");
  EXPECT_EQ(run.error()["code"], "PERMISSION_DENIED");
}

TEST_F(ErrorsTest, DataErrorsFailOrSkipPerPolicy) {
  Sql("CREATE TABLE prices (id int PRIMARY KEY, p numeric(6,2), note text);"
      "INSERT INTO prices VALUES (1, 1.00, 'a'), (2, 'NaN', 'b'), (3, 2.00, repeat('z', 5000));");
  ReadRun fail = Read(Stream("prices"));
  ASSERT_EQ(fail.response["status"], "err") << fail.response.dump();
  EXPECT_EQ(fail.error()["category"], "data");
  EXPECT_EQ(fail.error()["code"], "DATA_ERROR");
  EXPECT_NE(fail.error()["message"].get<std::string>().find("public.prices"), std::string::npos)
      << fail.error()["message"];

  nlohmann::json skip = Stream("prices");
  skip["policies"]["on_data_error"] = "skip";
  ReadRun skipped = Read(skip);
  ASSERT_EQ(skipped.response["status"], "ok") << skipped.response.dump();
  EXPECT_EQ(Decode(skipped).rows.size(), 2u);
  EXPECT_EQ(skipped.data()["records_skipped"], 1);

  nlohmann::json small = Stream("prices");
  small["policies"]["on_data_error"] = "skip";
  small["limits"]["max_record_bytes"] = 1000;
  ReadRun limited = Read(small);
  ASSERT_EQ(limited.response["status"], "ok") << limited.response.dump();
  EXPECT_EQ(limited.data()["records_read"], 1);
  EXPECT_EQ(limited.data()["records_skipped"], 2);

  small["policies"]["on_data_error"] = "fail";
  small["selected_columns"] = {"id", "note"};
  ReadRun too_large = Read(small);
  ASSERT_EQ(too_large.response["status"], "err") << too_large.response.dump();
  EXPECT_EQ(too_large.error()["code"], "RECORD_TOO_LARGE");
}

// A timestamp PostgreSQL accepts but Arrow's µs since 1970 cannot hold (after year 294247)
// is a data error of its row: skip drops that row, fail names the column.
TEST_F(ErrorsTest, TimestampBeyondArrowRangeIsARowDataError) {
  Sql("CREATE TABLE far (id int PRIMARY KEY, at timestamp);"
      "INSERT INTO far VALUES (1, '2024-01-01'), (2, '294270-01-01'), (3, 'infinity');");
  ReadRun fail = Read(Stream("far"));
  ASSERT_EQ(fail.response["status"], "err") << fail.response.dump();
  EXPECT_EQ(fail.error()["code"], "DATA_ERROR");
  EXPECT_NE(fail.error()["message"].get<std::string>().find("column at: timestamp after year 294247"),
            std::string::npos)
      << fail.error()["message"];
  nlohmann::json skip = Stream("far");
  skip["policies"]["on_data_error"] = "skip";
  ReadRun skipped = Read(skip);
  ASSERT_EQ(skipped.response["status"], "ok") << skipped.response.dump();
  EXPECT_EQ(Decode(skipped).rows.size(), 2u);
  EXPECT_EQ(skipped.data()["records_skipped"], 1);
}

TEST_F(ErrorsTest, RefusedConnectionIsTransientNetwork) {
  nlohmann::json config = Config();
  config["port"] = 1;  // nothing listens on port 1
  ReadRun run = Read(config, Stream("t"));
  ASSERT_EQ(run.response["status"], "err") << run.response.dump();
  EXPECT_EQ(run.error()["category"], "transient_network");
  EXPECT_EQ(run.error()["retryable"], true);
}

TEST_F(ErrorsTest, ConnectionLostMidReadIsRetryable) {
  Sql("CREATE TABLE big AS SELECT g AS id, repeat('x', 200) AS pad "
      "FROM generate_series(1, 300000) g");
  nlohmann::json context = Stream("big");
  context["limits"]["max_batch_bytes"] = 64 << 10;
  std::atomic<bool> killed{false};
  on_first_frame_ = [&](plugin::FrameChannel*) {
    if (!killed.exchange(true)) {
      Status st = cluster()->Exec(
          "postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE application_name = 'rapidbyte' AND datname = '" + db_ + "'");
      EXPECT_TRUE(st.ok()) << st.ToString();
    }
  };
  ReadRun run = Read(context);
  ASSERT_EQ(run.response["status"], "err") << run.response.dump();
  EXPECT_EQ(run.error()["category"], "transient_network") << run.response.dump();
  EXPECT_EQ(run.error()["retryable"], true);
  EXPECT_LT(run.Counter("records_read"), 300000);
}

TEST_F(ErrorsTest, CancelledRunReturnsPromptly) {
  Sql("CREATE TABLE big AS SELECT g AS id FROM generate_series(1, 200000) g");
  nlohmann::json context = Stream("big");
  context["limits"]["max_batch_bytes"] = 16 << 10;
  on_first_frame_ = [](plugin::FrameChannel* channel) { channel->FailConsumer(); };
  ReadRun run = Read(context);
  ASSERT_EQ(run.response["status"], "err") << run.response.dump();
  EXPECT_EQ(run.error()["category"], "cancelled");
  EXPECT_LT(run.frames.size(), 10u);
}

}  // namespace
}  // namespace rapidbyte::testing
