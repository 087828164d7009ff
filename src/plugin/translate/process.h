// Running the translation tools (wasm2c, the C compiler) as child processes: posix_spawn
// with an argument vector (never a shell), stdin from /dev/null, and stdout plus stderr
// captured for error messages. Host only; safe to use from several threads at once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace rapidbyte::plugin::translate {

struct ProcessResult {
  int exit_code = -1;  // -1 when the process ended by a signal
  int signal = 0;      // the signal that ended it, else 0
  std::string output;  // stdout and stderr interleaved, at most kMaxCapturedOutput bytes

  bool succeeded() const { return exit_code == 0; }
  /// "exit code 1" or "signal 9".
  std::string Describe() const;
};

/// Output beyond this many bytes is read and dropped.
inline constexpr std::size_t kMaxCapturedOutput = 64 * 1024;

/// Run the executable `argv[0]` (a path; no PATH search) with `argv` and the current
/// environment, and wait for it. Fails only when the process cannot be started.
Result<ProcessResult> RunProcess(const std::vector<std::string>& argv);

/// Resolve a program name as execvp would: a name containing '/' is taken as is, others
/// are looked up in $PATH. Returns "" when no executable file is found.
std::string FindExecutable(std::string_view name);

}  // namespace rapidbyte::plugin::translate
