// Unit tests of the state database URL parser: libpq URL forms, percent-decoding, defaults,
// and errors that never echo the password.
#include "state/postgres/pg_url.h"

#include <gtest/gtest.h>

#include "base/test_util.h"

namespace rapidbyte::state {
namespace {

TEST(PgUrlTest, FullUrlIsDecoded) {
  ASSERT_OK_AND_ASSIGN(PgUrl url,
                       ParsePgUrl("postgresql://us%40er:p%3Ass%2Fw@db.example:6543/my%20db"
                                  "?sslmode=require&application_name=rb%20state"));
  EXPECT_EQ(url.user, "us@er");
  EXPECT_EQ(url.password, "p:ss/w");
  EXPECT_EQ(url.host, "db.example");
  EXPECT_EQ(url.port, 6543);
  EXPECT_EQ(url.database, "my db");
  EXPECT_EQ(url.sslmode, pgwire::SslMode::kRequire);
  EXPECT_EQ(url.application_name, "rb state");
  EXPECT_EQ(url.Redacted(), "postgres://us@er@db.example:6543/my db");
}

TEST(PgUrlTest, Defaults) {
  ASSERT_OK_AND_ASSIGN(PgUrl url, ParsePgUrl("postgres://alice@/"));
  EXPECT_EQ(url.host, "localhost");
  EXPECT_EQ(url.port, 5432);
  EXPECT_EQ(url.database, "alice");  // libpq: the database defaults to the user
  EXPECT_EQ(url.sslmode, pgwire::SslMode::kPrefer);
  EXPECT_TRUE(url.password.empty());
}

TEST(PgUrlTest, Ipv6HostAndPort) {
  ASSERT_OK_AND_ASSIGN(PgUrl url, ParsePgUrl("postgres://u@[::1]:5433/d"));
  EXPECT_EQ(url.host, "::1");
  EXPECT_EQ(url.port, 5433);
  EXPECT_EQ(url.Redacted(), "postgres://u@[::1]:5433/d");
}

TEST(PgUrlTest, ParametersOverrideComponents) {
  ASSERT_OK_AND_ASSIGN(PgUrl url,
                       ParsePgUrl("postgres:///?host=10.0.0.1&port=7000&user=bob&dbname=s"));
  EXPECT_EQ(url.host, "10.0.0.1");
  EXPECT_EQ(url.port, 7000);
  EXPECT_EQ(url.user, "bob");
  EXPECT_EQ(url.database, "s");
}

TEST(PgUrlTest, ErrorsNameTheProblemNotThePassword) {
  Result<PgUrl> scheme = ParsePgUrl("mysql://u:secret@h/d");
  ASSERT_FALSE(scheme.ok());
  EXPECT_EQ(scheme.status().message(),
            "state.connection: expected a postgres:// or postgresql:// URL");
  Result<PgUrl> port = ParsePgUrl("postgres://u:secret@h:99999/d");
  ASSERT_FALSE(port.ok());
  EXPECT_EQ(port.status().message(),
            "state.connection: port '99999' is not a number from 1 to 65535");
  Result<PgUrl> pct = ParsePgUrl("postgres://u:sec%zzret@h/d");
  ASSERT_FALSE(pct.ok());
  EXPECT_EQ(pct.status().message(),
            "state.connection: invalid percent-encoding in the URL's password");
  Result<PgUrl> mode = ParsePgUrl("postgres://u@h/d?sslmode=always");
  ASSERT_FALSE(mode.ok());
  EXPECT_NE(mode.status().message().find("sslmode 'always' is not one of"), std::string::npos);
  Result<PgUrl> param = ParsePgUrl("postgres://u@h/d?target_session_attrs=any");
  ASSERT_FALSE(param.ok());
  EXPECT_NE(param.status().message().find("unsupported URL parameter 'target_session_attrs'"),
            std::string::npos);
  EXPECT_FALSE(ParsePgUrl("postgres://u@h1,h2/d").ok());
}

}  // namespace
}  // namespace rapidbyte::state
