#include "config/redact.h"

#include <gtest/gtest.h>

namespace rapidbyte::config {
namespace {

TEST(RedactTest, SecretKeys) {
  for (const char* k : {"password", "PASSWORD", "db_password", "api_key", "client_secret",
                        "token", "access_token", "credentials", "key"}) {
    EXPECT_TRUE(IsSecretKey(k)) << k;
  }
  for (const char* k : {"host", "keyspace", "passwords_file", "user", "monkey_business"}) {
    EXPECT_FALSE(IsSecretKey(k)) << k;
  }
}

TEST(RedactTest, UrlPassword) {
  EXPECT_EQ(UrlPassword("postgres://u:s3cret@h:5432/db"), "s3cret");
  EXPECT_EQ(UrlPassword("postgres://u@h/db"), std::nullopt);
  EXPECT_EQ(UrlPassword("postgres://h/db?user=a:b@c"), std::nullopt);
  EXPECT_EQ(RedactUrlPassword("postgresql://u:p%40ss@h/db"), "postgresql://u:***@h/db");
  EXPECT_EQ(RedactUrlPassword("postgres://h/db"), "postgres://h/db");
}

TEST(RedactTest, TextMasksEveryOccurrenceOfLongSecrets) {
  EXPECT_EQ(RedactText("pw=hunter2 again hunter2", {"hunter2"}), "pw=*** again ***");
  EXPECT_EQ(RedactText("abc is short", {"abc"}), "abc is short");
  EXPECT_EQ(RedactText("token abcdef", {"abcd", "abcdef"}), "token ***");
}

}  // namespace
}  // namespace rapidbyte::config
