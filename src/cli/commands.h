// The CLI's commands. Each returns the process exit code (SPEC §3.1): 0 success, 1 the
// command ran and failed, 2 invalid input or usage.
#pragma once

#include <string>

namespace rapidbyte::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

enum class OutputFormat { kHuman, kJson };

/// `rapidbyte check <pipeline.yaml>`.
int RunCheckCommand(const std::string& pipeline_path, OutputFormat output);

}  // namespace rapidbyte::cli
