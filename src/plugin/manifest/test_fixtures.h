// Test helpers: the testdata manifests, YAML config blocks as config::Value trees, and
// throwaway directories for resolution tests.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "base/test_util.h"
#include "config/env_subst.h"
#include "config/yaml_reader.h"
#include "plugin/manifest/manifest.h"

namespace rapidbyte::plugin::manifest::testing {

inline std::string TestdataPath(const std::string& file) {
  if (const char* root = std::getenv("RB_SOURCE_DIR")) {
    return std::string(root) + "/src/plugin/manifest/testdata/" + file;
  }
  // Run outside ctest: this header's own directory.
  return (std::filesystem::path(__FILE__).parent_path() / "testdata" / file).string();
}

inline std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

/// The text of a testdata manifest.
inline std::string TestManifestText(const std::string& name) {
  return ReadFileOrEmpty(TestdataPath(name + ".manifest.json"));
}

/// Parse `yaml` (a map) and substitute `env` into it, as the pipeline loader does.
inline config::Value YamlConfig(const std::string& yaml,
                                std::map<std::string, std::string> env = {}) {
  Result<config::Value> parsed = config::ParseYaml(yaml, "test.yaml");
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  if (!parsed.ok()) return config::Value::Map();
  config::Value value = parsed.MoveValueUnsafe();
  config::SubstitutionReport report;
  config::SubstituteEnvironment(
      value, "config",
      [env](std::string_view name) -> std::optional<std::string> {
        auto it = env.find(std::string(name));
        if (it == env.end()) return std::nullopt;
        return it->second;
      },
      report);
  return value;
}

/// A minimal valid manifest with the given identity and roles object.
inline std::string MiniManifest(
    const std::string& id, const std::string& version,
    const std::string& roles = R"({"source": {"supported_sync_modes": ["full_refresh"]}})") {
  return R"({"id": ")" + id + R"(", "name": "Test", "version": ")" + version +
         R"(", "protocol_version": "1", "roles": )" + roles + "}";
}

/// A fresh directory under the test temp dir, removed on destruction.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("rb_manifest_" + std::to_string(::getpid()) + "_" + info->name() + "_" +
             std::to_string(++counter));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string path() const { return path_.string(); }
  /// Write `content` to `relative`, creating parent directories.
  void Write(const std::string& relative, const std::string& content) const {
    const auto file = path_ / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << content;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace rapidbyte::plugin::manifest::testing
