#include "config/connector_ref.h"

#include <gtest/gtest.h>

namespace rapidbyte::config {
namespace {

TEST(ConnectorRefTest, Forms) {
  auto plain = ParseConnectorRef("source-postgres");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->org, "");
  EXPECT_EQ(plain->name, "source-postgres");
  EXPECT_EQ(plain->version, "");

  auto full = ParseConnectorRef("rapidbyte/dest-postgres@0.1.0");
  ASSERT_TRUE(full);
  EXPECT_EQ(full->org, "rapidbyte");
  EXPECT_EQ(full->name, "dest-postgres");
  EXPECT_EQ(full->version, "0.1.0");
  EXPECT_EQ(full->text, "rapidbyte/dest-postgres@0.1.0");

  auto v = ParseConnectorRef("x_y@v1.2.3-rc.1");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->version, "1.2.3-rc.1");
}

TEST(ConnectorRefTest, Rejects) {
  for (const char* bad : {"", "dest postgres", "Dest", "-x", "a/b/c", "a@1.2", "a@", "/a",
                          "a@1.2.3-", "a@1.x.3", "a/", "@1.0.0"}) {
    EXPECT_FALSE(ParseConnectorRef(bad)) << bad;
  }
}

}  // namespace
}  // namespace rapidbyte::config
