// Run a shell command from a test and return its stdout; a failed start or a non-zero exit
// fails the current test. Shared by the interop tests that drive node scripts.
#pragma once

#include <cstdio>
#include <string>

#include <gtest/gtest.h>
#include <sys/wait.h>

namespace rapidbyte::testing {

inline std::string RunCommand(const std::string& cmd) {
  FILE* p = popen(cmd.c_str(), "r");
  EXPECT_NE(p, nullptr) << cmd;
  if (p == nullptr) return {};
  std::string out;
  char buf[65536];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  const int status = pclose(p);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << cmd << " failed";
  return out;
}

}  // namespace rapidbyte::testing
