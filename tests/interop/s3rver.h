// A test-only S3 server: s3rver (npm, pinned in tests/interop/package.json, installed by
// scripts/setup.sh) started by s3rver_start.mjs on a free loopback port over a temporary
// directory, with bucket `rb-test` and the credentials S3RVER / S3RVER; its middleware
// verifies SigV4 signatures, payload hashes and Content-MD5 independently of our C++. Shared
// by s3_interop_test and the dest-files e2e tests. Header-only (POSIX).
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include <gtest/gtest.h>

namespace rapidbyte::testing {

class S3rver {
 public:
  void Start() {
    const char* src = std::getenv("RB_SOURCE_DIR");
    ASSERT_NE(src, nullptr) << "RB_SOURCE_DIR is not set (run through ctest)";
    const std::filesystem::path scripts = std::filesystem::path(src) / "tests" / "interop";
    ASSERT_TRUE(std::filesystem::exists(scripts / "node_modules" / "s3rver" / "package.json"))
        << "s3rver is not installed: run scripts/setup.sh (npm ci in tests/interop)";
    char tmpl[] = "/tmp/rb-s3rver-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    int in[2];
    int out[2];
    ASSERT_EQ(pipe(in), 0);
    ASSERT_EQ(pipe(out), 0);
    pid_ = fork();
    ASSERT_GE(pid_, 0);
    if (pid_ == 0) {
      dup2(in[0], 0);
      dup2(out[1], 1);
      close(in[1]);
      close(out[0]);
      const std::string script = (scripts / "s3rver_start.mjs").string();
      // s3rver's ListObjectsV2 continuation tokens use DES, a legacy cipher in OpenSSL 3.
      execlp("node", "node", "--openssl-legacy-provider", script.c_str(), dir_.c_str(),
             static_cast<char*>(nullptr));
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    stdin_ = in[1];
    std::string line;
    char c;
    while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
    close(out[0]);
    const std::size_t colon = line.find(':');
    ASSERT_NE(colon, std::string::npos) << "s3rver did not start: '" << line << "'";
    port_ = static_cast<std::uint16_t>(std::atoi(line.c_str() + colon + 1));
    ASSERT_NE(port_, 0);
  }
  void Stop() {
    if (stdin_ >= 0) close(stdin_);
    if (pid_ > 0) {
      int status = 0;
      for (int i = 0; i < 50 && waitpid(pid_, &status, WNOHANG) == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (i == 30) kill(pid_, SIGTERM);
      }
    }
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  std::uint16_t port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int stdin_ = -1;
  std::string dir_;
  std::uint16_t port_ = 0;
};

}  // namespace rapidbyte::testing
