// `rapidbyte check`: runs every check it can and prints one line per check. The structural
// check (parse and validate, SPEC §2.2-2.6) is done here; connector, state and live checks
// join as those components arrive.
#include <cstdio>

#include "base/log.h"
#include "cli/check_report.h"
#include "cli/commands.h"
#include "config/loader.h"

namespace rapidbyte::cli {

int RunCheckCommand(const std::string& pipeline_path, OutputFormat output) {
  config::LoadOptions options;
  options.purpose = config::LoadPurpose::kCheck;
  const config::LoadResult loaded = config::LoadPipelineFile(pipeline_path, options);
  for (const auto& warning : loaded.warnings) Log(LogLevel::kWarn, warning);

  CheckReport report;
  CheckLine structure{"Pipeline structure", CheckStatus::kOk, "", {}};
  if (!loaded.ok()) {
    structure.status = CheckStatus::kFailed;
    const std::size_t n = loaded.problems.size();
    structure.message = n == 0 ? loaded.headline
                               : std::to_string(n) + (n == 1 ? " problem" : " problems");
    structure.details = loaded.problems;
  }
  report.Add(structure);

  const std::string rendered =
      output == OutputFormat::kJson ? report.RenderJson() : report.RenderHuman();
  std::fwrite(rendered.data(), 1, rendered.size(), stdout);
  std::fflush(stdout);
  if (!loaded.ok()) {
    const std::string error = "Error: " + loaded.Message() + "\n";
    std::fwrite(error.data(), 1, error.size(), stderr);
    return kExitUsage;
  }
  return report.any_failed() ? kExitFailed : kExitOk;
}

}  // namespace rapidbyte::cli
