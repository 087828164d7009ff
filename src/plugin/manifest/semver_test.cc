// Tests for semantic version parsing and precedence.
#include "plugin/manifest/semver.h"

#include <gtest/gtest.h>

namespace rapidbyte::plugin::manifest {
namespace {

int Cmp(const char* a, const char* b) {
  auto x = ParseSemver(a);
  auto y = ParseSemver(b);
  EXPECT_TRUE(x && y) << a << " " << b;
  return x && y ? CompareSemver(*x, *y) : 99;
}

TEST(SemverTest, ParsesEveryPart) {
  auto v = ParseSemver("1.22.333-rc.1+build.5");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->major, 1u);
  EXPECT_EQ(v->minor, 22u);
  EXPECT_EQ(v->patch, 333u);
  EXPECT_EQ(v->pre, (std::vector<std::string>{"rc", "1"}));
  EXPECT_EQ(v->build, "build.5");
  EXPECT_EQ(v->ToString(), "1.22.333-rc.1+build.5");
}

TEST(SemverTest, RejectsMalformedVersions) {
  for (const char* bad :
       {"", "1", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.3-", "1.2.3-a..b", "1.2.3-01", "1.2.3+",
        "v1.2.3", "1.2.x", "-1.2.3", "1.2.3-a_b", "99999999999999999999.0.0"}) {
    EXPECT_FALSE(ParseSemver(bad)) << bad;
  }
}

TEST(SemverTest, PrecedenceFollowsSemverDotOrg) {
  // The chain from semver.org §11.
  const char* chain[] = {"1.0.0-alpha",  "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                         "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1",       "1.0.0"};
  for (std::size_t i = 0; i + 1 < std::size(chain); ++i) {
    EXPECT_LT(Cmp(chain[i], chain[i + 1]), 0) << chain[i] << " < " << chain[i + 1];
    EXPECT_GT(Cmp(chain[i + 1], chain[i]), 0) << chain[i + 1] << " > " << chain[i];
  }
  EXPECT_LT(Cmp("1.9.0", "1.10.0"), 0);
  EXPECT_LT(Cmp("0.9.9", "1.0.0"), 0);
  EXPECT_LT(Cmp("1.0.9", "1.0.10"), 0);
  EXPECT_EQ(Cmp("1.0.0+a", "1.0.0+b"), 0);
  EXPECT_EQ(Cmp("2.0.0-rc.1", "2.0.0-rc.1"), 0);
}

}  // namespace
}  // namespace rapidbyte::plugin::manifest
