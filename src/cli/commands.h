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

/// `rapidbyte connectors [list]` (SPEC §3.5): every search location and what it holds.
int RunConnectorsListCommand();

/// `rapidbyte connectors install <file.wasm> [--manifest <file>] [--force]` (SPEC §3.5).
/// `manifest_path` empty means `<stem>.manifest.json` beside the module.
int RunConnectorsInstallCommand(const std::string& wasm_path, const std::string& manifest_path,
                                bool force);

}  // namespace rapidbyte::cli
