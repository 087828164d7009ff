// The CLI's commands. Each returns the process exit code (SPEC §3.1): 0 success, 1 the
// command ran and failed, 2 invalid input or usage; a run cancelled by a signal exits
// 128 + the signal's number (130 for Ctrl-C), as shells report a process it killed.
#pragma once

#include <string>

namespace rapidbyte::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitSignalBase = 128;

enum class OutputFormat { kHuman, kJson };

/// `rapidbyte check <pipeline.yaml>`.
/// `plan`: `check --plan`, the report followed by the run's plan (plan_command.h).
int RunCheckCommand(const std::string& pipeline_path, OutputFormat output, bool plan = false);
/// `rapidbyte run --dry-run`: the run's plan, nothing read or written (plan_command.h).
int RunDryRunCommand(const std::string& pipeline_path, OutputFormat output);

class StderrLogSink;
struct RunReportOptions;
/// `rapidbyte run <pipeline.yaml>` (SPEC §3.2). `report`: --verbose and --bench-json of the
/// human summary. `sink` gets the secrets and the progress block's hooks; `json_logs`
/// disables the live block.
/// `follow`: cdc streams keep streaming until Ctrl-C or SIGTERM (SPEC §14.6).
int RunRunCommand(const std::string& pipeline_path, OutputFormat output, bool no_progress,
                  const RunReportOptions& report, StderrLogSink* sink, bool json_logs,
                  bool follow);
/// `rapidbyte discover <pipeline.yaml>` (SPEC §3.4).
struct DiscoverYamlOptions;
/// `yaml`: print a pipeline for the chosen tables instead of the catalog (init_command.h).
int RunDiscoverCommand(const std::string& pipeline_path, OutputFormat output,
                       const DiscoverYamlOptions& yaml);
/// `rapidbyte state show <pipeline.yaml>` and `state reset [--stream S]` (SPEC §3.6).
int RunStateShowCommand(const std::string& pipeline_path, OutputFormat output);
int RunStateResetCommand(const std::string& pipeline_path, const std::string& stream);
/// `rapidbyte connectors [list]` (SPEC §3.5): every search location and what it holds.
int RunConnectorsListCommand();

/// `rapidbyte connectors install <file.wasm> [--manifest <file>] [--force]` (SPEC §3.5).
/// `manifest_path` empty means `<stem>.manifest.json` beside the module.
int RunConnectorsInstallCommand(const std::string& wasm_path, const std::string& manifest_path,
                                bool force);

}  // namespace rapidbyte::cli
