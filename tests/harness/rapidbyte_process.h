// Running the real `rapidbyte` binary from tests: capture stdout, stderr and the exit code,
// optionally signal it while it runs. The binary is <RB_BINARY_DIR>/bin/rapidbyte.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace rapidbyte::testing {

struct CommandRun {
  int exit_code = -1;  // 128 + signal when killed by one
  std::string out;
  std::string err;
  double wall_secs = 0;
};

struct CommandOptions {
  /// Extra "NAME=value" entries (HOME, PATH and ASAN_OPTIONS are passed by default).
  std::vector<std::string> env;
  /// Called with the child's pid while it runs (e.g. to send SIGINT); may be empty.
  std::function<void(int pid)> while_running;
};

std::string RapidbyteBinary();

/// Run `rapidbyte <args>` to completion.
CommandRun RunRapidbyte(const std::vector<std::string>& args, const CommandOptions& options = {});

/// A fresh directory under /tmp (removed by the caller or left for inspection).
std::string MakeTempDir(const std::string& prefix);

/// Write `text` to `path`.
void WriteFile(const std::string& path, const std::string& text);

}  // namespace rapidbyte::testing
