// Data-driven tests of the pipeline loader: every file under tests/config/{valid,invalid}
// is one case. Directives in its leading comments say what to expect:
//   # env: NAME=value          environment for the load (HOME is /home/tester)
//   # purpose: check|discover|state
//   # expect: <problem line>   (invalid/) every problem, exactly, in any order
//   # expect-headline: <text>  (invalid/) the headline starts with this text
//   # expect-warning: <line>   a warning that must be reported
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "config/loader.h"

namespace rapidbyte::config {
namespace {

namespace fs = std::filesystem;

struct Case {
  std::string path;
  bool valid = true;
  std::map<std::string, std::string> env;
  LoadPurpose purpose = LoadPurpose::kCheck;
  std::vector<std::string> expected;
  std::string headline;
  std::vector<std::string> warnings;
};

// Name the case by its file in failure messages.
void PrintTo(const Case& c, std::ostream* os) { *os << c.path; }

std::string SourceDir() {
  const char* dir = std::getenv("RB_SOURCE_DIR");
  return dir ? dir : ".";
}

Case ReadCase(const fs::path& path, bool valid) {
  Case c;
  c.path = path.string();
  c.valid = valid;
  std::ifstream in(path);
  std::string line;
  auto directive = [&](const std::string& name, std::string* value) {
    const std::string prefix = "# " + name + ": ";
    if (line.rfind(prefix, 0) != 0) return false;
    *value = line.substr(prefix.size());
    return true;
  };
  while (std::getline(in, line)) {
    std::string v;
    if (directive("env", &v)) {
      const auto eq = v.find('=');
      c.env[v.substr(0, eq)] = v.substr(eq + 1);
    } else if (directive("purpose", &v)) {
      c.purpose = v == "discover" ? LoadPurpose::kDiscover
                  : v == "state"  ? LoadPurpose::kState
                                  : LoadPurpose::kCheck;
    } else if (directive("expect", &v)) {
      c.expected.push_back(v);
    } else if (directive("expect-headline", &v)) {
      c.headline = v;
    } else if (directive("expect-warning", &v)) {
      c.warnings.push_back(v);
    }
  }
  return c;
}

std::vector<Case> AllCases() {
  std::vector<Case> cases;
  for (const auto& [sub, valid] : {std::pair{"valid", true}, std::pair{"invalid", false}}) {
    const fs::path dir = fs::path(SourceDir()) / "tests" / "config" / sub;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().extension() == ".yaml") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) cases.push_back(ReadCase(f, valid));
  }
  return cases;
}

class ConfigFileTest : public ::testing::TestWithParam<Case> {};

TEST_P(ConfigFileTest, LoadsAsExpected) {
  const Case& c = GetParam();
  LoadOptions options;
  options.purpose = c.purpose;
  std::map<std::string, std::string> env = c.env;
  env.emplace("HOME", "/home/tester");
  options.env = [env](std::string_view name) -> std::optional<std::string> {
    auto it = env.find(std::string(name));
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
  LoadResult r = LoadPipelineFile(c.path, options);
  if (c.valid) {
    EXPECT_TRUE(r.ok()) << r.Message();
  } else {
    ASSERT_FALSE(r.ok()) << c.path << " loaded but should not";
    EXPECT_FALSE(c.expected.empty() && c.headline.empty()) << c.path << " has no expectations";
    if (!c.headline.empty()) {
      EXPECT_EQ(r.headline.rfind(c.headline, 0), 0u) << r.headline;
    }
    if (!c.expected.empty()) {
      std::vector<std::string> got = r.problems;
      std::vector<std::string> want = c.expected;
      std::sort(got.begin(), got.end());
      std::sort(want.begin(), want.end());
      EXPECT_EQ(got, want) << r.Message();
      const std::string count = "(" + std::to_string(want.size()) +
                                (want.size() == 1 ? " problem)" : " problems)");
      EXPECT_NE(r.headline.find(count), std::string::npos) << r.headline;
    }
  }
  for (const auto& w : c.warnings) {
    EXPECT_NE(std::find(r.warnings.begin(), r.warnings.end(), w), r.warnings.end())
        << "missing warning: " << w;
  }
}

INSTANTIATE_TEST_SUITE_P(Files, ConfigFileTest, ::testing::ValuesIn(AllCases()),
                         [](const ::testing::TestParamInfo<Case>& param_info) {
                           std::string name = (param_info.param.valid ? "valid_" : "invalid_") +
                                              fs::path(param_info.param.path).stem().string();
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace rapidbyte::config
