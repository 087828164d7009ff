// Pattern streams for run and dry-run (see stream_selection.h).
#include "cli/stream_selection.h"

#include "base/log.h"
#include "cli/commands.h"
#include "cli/run_report.h"
#include "engine/stream_expansion.h"

namespace rapidbyte::cli {

std::optional<config::Pipeline> ExpandStreamsForCommand(const config::Pipeline& pipeline,
                                                        int* exit_code) {
  if (!config::HasStreamPatterns(pipeline)) return pipeline;
  std::vector<std::string> secrets = pipeline.secrets;
  auto expanded =
      engine::ExpandPipelineStreams(pipeline, engine::DefaultResolveOptions(), &secrets);
  if (!expanded.ok()) {
    const bool invalid = expanded.status().code() == StatusCode::kInvalidArgument;
    *exit_code = invalid ? kExitUsage : kExitFailed;
    PrintConnectorError(invalid ? expanded.status().message()
                                : "cannot expand the stream patterns: the source's discover "
                                  "failed: " + expanded.status().message(),
                        secrets);
    return std::nullopt;
  }
  for (const auto& e : expanded->expansions) {
    Log(LogLevel::kInfo, engine::DescribeExpansion(e), {{"pipeline", pipeline.name}});
  }
  for (const auto& w : expanded->warnings) Log(LogLevel::kWarn, w, {{"pipeline", pipeline.name}});
  if (!expanded->problems.empty()) {
    const std::size_t n = expanded->problems.size();
    std::string message = "Pipeline validation failed (" + std::to_string(n) +
                          (n == 1 ? " problem" : " problems") + ") in " + pipeline.file +
                          " after expanding the stream patterns:";
    for (const auto& p : expanded->problems) message += "\n  - " + p;
    PrintError(message, secrets);
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  return std::move(expanded->pipeline);
}

}  // namespace rapidbyte::cli
