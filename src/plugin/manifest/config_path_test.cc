// Tests for the directory a config grants through permissions.fs.config_path: which values
// grant it, and the `within` rule (lexical and through symlinks).
#include "plugin/manifest/config_path.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "plugin/manifest/test_fixtures.h"

namespace rapidbyte::plugin::manifest {
namespace {

using nlohmann::json;

Manifest Files(std::vector<std::string> within, bool write = true) {
  Manifest m;
  m.id = "rapidbyte/dest-files";
  m.permissions.fs_config_path = ConfigPathGrant{"path", write, true, std::move(within)};
  return m;
}

struct Outcome {
  std::optional<ConfigPreopen> preopen;
  std::vector<std::string> problems;
};

Outcome Grant(const Manifest& m, const json& config) {
  Outcome out;
  out.preopen = ConfigPathPreopen(m, config, "destination.config", out.problems);
  return out;
}

TEST(ConfigPathTest, ALocalPathInsideItsDirectoriesIsGranted) {
  const Outcome o =
      Grant(Files({"/data", "/tmp"}), json{{"path", "/data/lake"}, {"format", "csv"}});
  EXPECT_TRUE(o.problems.empty());
  ASSERT_TRUE(o.preopen);
  EXPECT_EQ(o.preopen->path, "/data/lake");
  EXPECT_TRUE(o.preopen->write);
  EXPECT_TRUE(o.preopen->create);
  EXPECT_EQ(o.preopen->field_path, "destination.config.path");
  // The directory itself, a trailing slash and a path written untidily all lie within.
  for (const char* path : {"/data", "/data/", "/data//lake/./x/", "/tmp/a/../b"}) {
    const Outcome ok = Grant(Files({"/data/", "/tmp"}), json{{"path", path}});
    EXPECT_TRUE(ok.problems.empty()) << path << ": " << ok.problems.front();
    ASSERT_TRUE(ok.preopen) << path;
    EXPECT_EQ(ok.preopen->path, path);  // as configured: the name the connector uses
  }
  // Without `within`, any absolute local path.
  EXPECT_TRUE(Grant(Files({}), json{{"path", "/srv/out"}}).preopen);
}

TEST(ConfigPathTest, NothingIsGrantedWithoutALocalPath) {
  const Manifest m = Files({"/data"});
  for (const json& config : {json::object(), json{{"path", 5}}, json{{"path", nullptr}},
                             json{{"path", "s3://bucket/prefix"}}, json{{"path", "file:///etc"}}}) {
    const Outcome o = Grant(m, config);
    EXPECT_FALSE(o.preopen) << config.dump();
    EXPECT_TRUE(o.problems.empty()) << config.dump();
  }
  Manifest none;
  none.id = "acme/x";
  EXPECT_FALSE(Grant(none, json{{"path", "/data/x"}}).preopen);
}

TEST(ConfigPathTest, OutsideItsDirectoriesIsAConfigProblem) {
  const Manifest m = Files({"/data", "/tmp"});
  for (const char* path :
       {"/etc/x", "/", "/data2", "/datalake", "/data/../etc", "/tmp/../../etc"}) {
    const Outcome o = Grant(m, json{{"path", path}});
    EXPECT_FALSE(o.preopen) << path;
    EXPECT_EQ(o.problems,
              std::vector<std::string>{"destination.config.path: " + std::string(path) +
                                       " is outside the directories rapidbyte/dest-files may write "
                                       "(/data, /tmp)"});
  }
  EXPECT_EQ(Grant(Files({"/data"}, false), json{{"path", "/etc"}}).problems,
            std::vector<std::string>{"destination.config.path: /etc is outside the directories "
                                     "rapidbyte/dest-files may read (/data)"});
}

TEST(ConfigPathTest, ARelativePathIsAConfigProblem) {
  for (const char* path : {"lake", "./lake", "", "~/lake"}) {
    const Outcome o = Grant(Files({"/data", "/tmp"}), json{{"path", path}});
    EXPECT_FALSE(o.preopen) << path;
    EXPECT_EQ(o.problems,
              std::vector<std::string>{"destination.config.path: '" + std::string(path) +
                                       "' is not an absolute path (rapidbyte/dest-files may "
                                       "write beneath /data, /tmp)"});
  }
  EXPECT_EQ(Grant(Files({}), json{{"path", "lake"}}).problems,
            std::vector<std::string>{"destination.config.path: 'lake' is not an absolute path"});
}

// A symlink inside an allowed directory that points elsewhere does not pass for it, whether
// the link is the path itself or one of its existing parents; a symlink pointing into an
// allowed directory does not make the path that names it lexically allowed either.
TEST(ConfigPathTest, SymlinksAreResolvedBeforeTheWithinCheck) {
  testing::TempDir tmp;
  namespace fs = std::filesystem;
  const std::string allowed = tmp.path() + "/allowed";
  const std::string elsewhere = tmp.path() + "/elsewhere";
  fs::create_directories(allowed);
  fs::create_directories(elsewhere);
  fs::create_symlink(elsewhere, allowed + "/out");
  fs::create_symlink(allowed, tmp.path() + "/into");

  EXPECT_TRUE(PathIsWithin(allowed + "/lake/new", {allowed}));
  EXPECT_FALSE(PathIsWithin(allowed + "/out", {allowed}));
  EXPECT_FALSE(PathIsWithin(allowed + "/out/lake/new", {allowed}));
  // ".." after a symlink is the parent of its target, as the kernel walks it.
  EXPECT_FALSE(PathIsWithin(allowed + "/out/../lake", {allowed}));
  EXPECT_FALSE(PathIsWithin(tmp.path() + "/into/lake", {allowed}));
  // A root given through a symlink is compared resolved as well.
  EXPECT_TRUE(PathIsWithin(tmp.path() + "/into/lake", {tmp.path() + "/into"}));
  EXPECT_FALSE(PathIsWithin(allowed + "/lake", {tmp.path() + "/into"}));

  const Outcome o = Grant(Files({allowed}), json{{"path", allowed + "/out/lake"}});
  EXPECT_FALSE(o.preopen);
  EXPECT_EQ(o.problems, std::vector<std::string>{"destination.config.path: " + allowed +
                                                 "/out/lake is outside the directories "
                                                 "rapidbyte/dest-files may write (" +
                                                 allowed + ")"});
}

}  // namespace
}  // namespace rapidbyte::plugin::manifest
