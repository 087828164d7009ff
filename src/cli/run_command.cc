// `rapidbyte run` (SPEC §3.2): load the pipeline, run it with live progress and Ctrl-C
// handling, print the root-cause errors first, then the summary (human, or one JSON document).
#include <unistd.h>

#include <cstdio>

#include "base/log.h"
#include "cli/commands.h"
#include "cli/run_report.h"
#include "cli/run_watch.h"
#include "cli/stream_selection.h"
#include "config/loader.h"
#include "config/redact.h"
#include "engine/run.h"

namespace rapidbyte::cli {

int RunRunCommand(const std::string& pipeline_path, OutputFormat output, bool no_progress,
                  const RunReportOptions& report, StderrLogSink* sink, bool json_logs,
                  bool follow) {
  const auto started = std::chrono::steady_clock::now();
  config::LoadOptions load;
  load.purpose = config::LoadPurpose::kRun;
  const config::LoadResult loaded = config::LoadPipelineFile(pipeline_path, load);
  for (const auto& warning : loaded.warnings) Log(LogLevel::kWarn, warning);
  if (!loaded.ok()) {
    PrintError(loaded.Message(), {});
    return kExitUsage;
  }
  int expand_exit = kExitOk;
  const std::optional<config::Pipeline> expanded =
      ExpandStreamsForCommand(*loaded.pipeline, &expand_exit);
  if (!expanded) return expand_exit;
  const config::Pipeline& pipeline = *expanded;
  std::vector<std::string> secrets = pipeline.secrets;
  sink->set_secrets(secrets);

  engine::RunControl control;
  control.set_follow(follow);
  RunWatch watch(&control, pipeline, sink);  // signals, timeout and progress
  engine::RunOptions options;
  options.control = &control;
  options.resolve = engine::DefaultResolveOptions();
  options.started = started;
  const bool interactive = !no_progress && !json_logs && isatty(STDERR_FILENO) == 1;
  options.on_connectors = [&](const engine::PipelineConnectors& connectors) {
    secrets = connectors.secrets;
    sink->set_secrets(secrets);
  };
  options.on_streams = [&](const engine::RunProgressView& view) { watch.Start(view, interactive); };
  options.on_streams_end = [&] { watch.Stop(); };
  auto result = engine::RunPipeline(pipeline, options);
  watch.Stop();
  if (!result.ok()) {
    PrintError(result.status().message(), secrets);
    return result.status().code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailed;
  }
  // Errors first: on a terminal the reason for a failure is read before the table.
  if (result->status != "completed") PrintRunErrors(*result, secrets);
  const std::string text = output == OutputFormat::kJson ? RenderRunJson(*result, secrets)
                                                         : RenderRunHuman(*result, secrets, report);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
  if (result->status == "completed") return kExitOk;
  // Cancelled by Ctrl-C or SIGTERM: 130 or 143, so scripts can tell it from a failure.
  if (result->status == "cancelled" && watch.first_signal() != 0) {
    return kExitSignalBase + watch.first_signal();
  }
  return kExitFailed;
}

}  // namespace rapidbyte::cli
