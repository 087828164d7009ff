// Authentication against a real PostgreSQL 15: trust, cleartext, md5 and scram-sha-256 as
// pg_hba.conf demands them, wrong passwords (auth category), unknown database and role.
#include <gtest/gtest.h>

#include "base/test_util.h"
#include "pgwire/error_mapping.h"
#include "pgwire/server_error.h"
#include "tests/harness/pg_cluster_fixture.h"
#include "tests/pgwire/pg_session.h"

namespace rapidbyte::pgwire {
namespace {

using rapidbyte::testing::kPgMd5Password;
using rapidbyte::testing::kPgMd5Role;
using rapidbyte::testing::kPgScramPassword;
using rapidbyte::testing::kPgScramRole;
using testing::OpenSession;
using testing::SessionOptions;

class PgwireAuthTest : public rapidbyte::testing::PgClusterTest {};

// The role the server says we are, proving the session really authenticated.
std::string CurrentUser(Connection& conn) {
  auto result = conn.SimpleQuery("SELECT current_user");
  if (!result.ok() || result->rows.size() != 1 || !result->rows[0][0]) return "<error>";
  return *result->rows[0][0];
}

TEST_F(PgwireAuthTest, Trust) {
  ASSERT_OK_AND_ASSIGN(auto conn, OpenSession(*cluster(), SessionOptions()));
  EXPECT_EQ(CurrentUser(*conn), "postgres");
  EXPECT_EQ(conn->parameter("client_encoding"), "UTF8");
  EXPECT_EQ(conn->parameter("TimeZone"), "UTC");
  EXPECT_EQ(conn->parameter("DateStyle"), "ISO, MDY");
  EXPECT_EQ(conn->parameter("application_name"), "rapidbyte");
  EXPECT_NE(conn->backend_key().process_id, 0);
  ASSERT_OK(conn->Terminate());
}

TEST_F(PgwireAuthTest, Md5) {
  ASSERT_OK_AND_ASSIGN(auto conn,
                       OpenSession(*cluster(), SessionOptions(kPgMd5Role, kPgMd5Password)));
  EXPECT_EQ(CurrentUser(*conn), kPgMd5Role);
}

TEST_F(PgwireAuthTest, ScramSha256) {
  ASSERT_OK_AND_ASSIGN(auto conn,
                       OpenSession(*cluster(), SessionOptions(kPgScramRole, kPgScramPassword)));
  EXPECT_EQ(CurrentUser(*conn), kPgScramRole);
}

TEST_F(PgwireAuthTest, Cleartext) {
  ASSERT_OK(cluster()->CreateRole("rb_clear", "clear pw"));
  ASSERT_OK(cluster()->AddHbaRule("host all rb_clear all password"));
  ASSERT_OK_AND_ASSIGN(auto conn, OpenSession(*cluster(), SessionOptions("rb_clear", "clear pw")));
  EXPECT_EQ(CurrentUser(*conn), "rb_clear");
}

TEST_F(PgwireAuthTest, WrongPasswordIsAuthError) {
  for (auto [role, password] : {std::pair<std::string_view, std::string_view>{kPgScramRole, "nope"},
                                {kPgMd5Role, "nope"}}) {
    auto conn = OpenSession(*cluster(), SessionOptions(role, password));
    ASSERT_FALSE(conn.ok()) << role;
    EXPECT_EQ(conn.status().code(), StatusCode::kUnauthenticated) << conn.status().ToString();
    const ErrorClass cls = ClassifyStatus(conn.status());
    EXPECT_EQ(cls.category, ErrorCategory::kAuth);
    EXPECT_EQ(cls.code, "AUTH_FAILED");
    ASSERT_NE(GetServerError(conn.status()), nullptr);
    EXPECT_EQ(GetServerError(conn.status())->sqlstate(), "28P01");
  }
  // No password at all for a SCRAM role fails on our side, before anything is sent.
  auto empty = OpenSession(*cluster(), SessionOptions(kPgScramRole, ""));
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(ClassifyStatus(empty.status()).code, "AUTH_FAILED");
}

TEST_F(PgwireAuthTest, UnknownDatabaseAndRole) {
  auto db = OpenSession(*cluster(), SessionOptions("postgres", "", "no_such_db"));
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(ClassifyStatus(db.status()).code, "DATABASE_NOT_FOUND");
  auto role = OpenSession(*cluster(), SessionOptions("no_such_role"));
  ASSERT_FALSE(role.ok());
  EXPECT_EQ(ClassifyStatus(role.status()).category, ErrorCategory::kAuth);
}

}  // namespace
}  // namespace rapidbyte::pgwire
