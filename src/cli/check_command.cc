// `rapidbyte check` (SPEC §3.3): runs every check, never stops early, prints one line per
// check. In order: the pipeline's structure; each connector and its config; the state
// backend; each connector's live check (rb_validate on a fresh instance). A check that
// needs something invalid is SKIPPED. Independent checks run concurrently; the report keeps
// the order above. Nothing moves data, the pipeline lock is never taken and connector
// state is a throwaway in-memory store.
#include <cstdio>
#include <fstream>
#include <future>
#include <sstream>

#include "base/log.h"
#include "cli/check_report.h"
#include "cli/check_stages.h"
#include "cli/commands.h"
#include "cli/plan_command.h"
#include "cli/run_report.h"
#include "config/loader.h"
#include "config/yaml_reader.h"
#include "engine/stream_expansion.h"
#include "state/state_backend.h"

namespace rapidbyte::cli {
namespace {

using plugin::HostContext;

constexpr const char* kStructureInvalid = "pipeline invalid";

CheckLine StructureLine(const config::LoadResult& loaded) {
  CheckLine line{"Pipeline structure", CheckStatus::kOk, "", {}, {}};
  if (!loaded.ok()) {
    line.status = CheckStatus::kFailed;
    const std::size_t n = loaded.problems.size();
    line.message = n == 0 ? loaded.headline : std::to_string(n) + (n == 1 ? " problem" : " problems");
    line.details = loaded.problems;
  }
  return line;
}

// The State backend check: open (creating the SQLite file or connecting), the schema
// version, whether a run holds the lock (never taking it).
CheckLine CheckStateBackend(const config::Pipeline& pipeline) {
  CheckLine line{"State backend", CheckStatus::kOk, "", {}, {}};
  auto backend = state::OpenStateBackend(pipeline.state);
  if (!backend.ok()) {
    line.status = CheckStatus::kFailed;
    line.message = backend.status().message();
    return line;
  }
  line.message = (*backend)->Describe();
  auto version = (*backend)->SchemaVersion();
  if (!version.ok() || *version > state::kSchemaVersion) {
    line.status = CheckStatus::kFailed;
    line.details.push_back(version.ok() ? "schema version " + std::to_string(*version) +
                                              " is newer than this rapidbyte supports (" +
                                              std::to_string(state::kSchemaVersion) + ")"
                                        : version.status().message());
    return line;
  }
  auto locked = (*backend)->IsLocked(pipeline.name);
  if (!locked.ok()) {
    line.status = CheckStatus::kFailed;
    line.details.push_back("cannot tell whether the pipeline is running: " +
                           locked.status().message());
    return line;
  }
  if (*locked) {
    line.status = CheckStatus::kWarning;
    std::string running = "pipeline '" + pipeline.name + "' is running";
    auto runs = (*backend)->ListRuns(pipeline.name, 1);
    if (runs.ok() && !runs->empty() && runs->front().status == state::RunStatus::kRunning) {
      const state::RunRecord& r = runs->front();
      running += " (run #" + std::to_string(r.id) + " started " + r.started_at + " on host " +
                 r.hostname + ", pid " + std::to_string(r.pid) + ")";
    }
    line.details.push_back(running);
  }
  return line;
}

// How many transforms the file lists, read from the YAML alone (for the SKIPPED lines of
// a pipeline that failed to load); 0 when the file cannot be parsed.
std::size_t CountTransforms(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return 0;
  std::ostringstream text;
  text << in.rdbuf();
  auto root = config::ParseYaml(text.str(), path);
  if (!root.ok() || !root->is_map()) return 0;
  const config::Value* transforms = root->Find("transforms");
  return transforms != nullptr && transforms->is_list() ? transforms->items().size() : 0;
}

// The lines after a failed structure check: the state backend runs when its own section
// loads; everything else needs the whole pipeline and is SKIPPED.
void AddSkippedChecks(const std::string& pipeline_path, CheckReport& report,
                      std::vector<std::string>& secrets) {
  const std::size_t transforms = CountTransforms(pipeline_path);
  auto skipped = [](std::string name) {
    return CheckLine{std::move(name), CheckStatus::kSkipped, kStructureInvalid, {}, {}};
  };
  auto stage_lines = [&](HostContext::Role role, std::size_t i) {
    report.Add(skipped(StagePrefix(role, i) + " connector"));
    report.Add(skipped(StagePrefix(role, i) + " config"));
  };
  stage_lines(HostContext::Role::kSource, 0);
  for (std::size_t i = 0; i < transforms; ++i) stage_lines(HostContext::Role::kTransform, i);
  stage_lines(HostContext::Role::kDestination, 0);

  config::LoadOptions state_only;
  state_only.purpose = config::LoadPurpose::kState;
  const config::LoadResult state = config::LoadPipelineFile(pipeline_path, state_only);
  if (state.ok()) {
    secrets = state.pipeline->secrets;
    report.Add(CheckStateBackend(*state.pipeline));
  } else {
    report.Add(skipped("State backend"));
  }

  report.Add(skipped(StageLabel(HostContext::Role::kSource, 0)));
  for (std::size_t i = 0; i < transforms; ++i) {
    report.Add(skipped(StageLabel(HostContext::Role::kTransform, i)));
  }
  report.Add(skipped(StageLabel(HostContext::Role::kDestination, 0)));
}

// One stage's checks, static then live.
struct StageResult {
  StageOutcome outcome;
  std::vector<CheckLine> live;
};

StageResult CheckStageFully(const config::Pipeline& pipeline, HostContext::Role role, std::size_t index,
                            const engine::ResolveOptions& options) {
  StageResult result;
  result.outcome = CheckStageConnector(pipeline, role, index, options);
  const std::string skip = result.outcome.SkipReason();
  if (skip.empty()) {
    result.live = ValidateStage(pipeline, result.outcome);
  } else {
    result.live.push_back({result.outcome.label, CheckStatus::kSkipped, skip, {}, {}});
  }
  return result;
}

// Every check of a pipeline that loaded. The stages (resolution, native code, rb_validate)
// and the state backend are independent: each runs on its own thread, so the wall time is
// that of the slowest, not the sum.
void AddPipelineChecks(const config::Pipeline& pipeline, CheckReport& report,
                       std::vector<std::string>& secrets) {
  const engine::ResolveOptions options = engine::DefaultResolveOptions();
  auto state_line = std::async(std::launch::async, [&pipeline] { return CheckStateBackend(pipeline); });
  std::vector<std::future<StageResult>> stages;
  auto start = [&](HostContext::Role role, std::size_t index) {
    stages.push_back(std::async(std::launch::async, [&pipeline, &options, role, index] {
      return CheckStageFully(pipeline, role, index, options);
    }));
  };
  start(HostContext::Role::kSource, 0);
  for (std::size_t i = 0; i < pipeline.transforms.size(); ++i) start(HostContext::Role::kTransform, i);
  if (pipeline.destination) start(HostContext::Role::kDestination, 0);

  std::vector<StageResult> results;
  for (auto& stage : stages) results.push_back(stage.get());
  for (const StageResult& r : results) {
    report.Add(r.outcome.connector_line);
    report.Add(r.outcome.config_line);
    if (r.outcome.connector) {
      secrets.insert(secrets.end(), r.outcome.connector->secrets.begin(),
                     r.outcome.connector->secrets.end());
    }
  }
  report.Add(state_line.get());
  for (StageResult& r : results) report.Add(std::move(r.live));
}

// The "Stream patterns" line (only for a pipeline with patterns): what each pattern
// matched in the source's catalog. The live checks then see the expanded streams; when the
// expansion fails they see the explicit streams only.
config::Pipeline ExpandPatterns(const config::Pipeline& pipeline, CheckReport& report,
                                std::vector<std::string>& secrets) {
  CheckLine line{"Stream patterns", CheckStatus::kOk, "", {}, {}};
  config::Pipeline explicit_only = pipeline;
  std::erase_if(explicit_only.source.streams, [](const auto& s) { return s.pattern; });
  auto expanded =
      engine::ExpandPipelineStreams(pipeline, engine::DefaultResolveOptions(), &secrets);
  if (!expanded.ok()) {
    line.status = CheckStatus::kFailed;
    line.message = "the source's discover failed: " + expanded.status().message();
    report.Add(std::move(line));
    return explicit_only;
  }
  std::size_t streams = 0;
  for (const auto& e : expanded->expansions) {
    line.details.push_back(engine::DescribeExpansion(e));
    streams += e.streams.size();
  }
  line.message = std::to_string(expanded->expansions.size()) +
                 (expanded->expansions.size() == 1 ? " pattern, " : " patterns, ") +
                 std::to_string(streams) + (streams == 1 ? " stream" : " streams");
  for (const auto& w : expanded->warnings) {
    line.status = CheckStatus::kWarning;
    line.details.push_back(w);
  }
  if (!expanded->problems.empty()) {
    line.status = CheckStatus::kFailed;
    line.details.insert(line.details.end(), expanded->problems.begin(), expanded->problems.end());
    report.Add(std::move(line));
    return explicit_only;
  }
  report.Add(std::move(line));
  return std::move(expanded->pipeline);
}

}  // namespace

int RunCheckCommand(const std::string& pipeline_path, OutputFormat output, bool plan) {
  config::LoadOptions options;
  options.purpose = config::LoadPurpose::kCheck;
  const config::LoadResult loaded = config::LoadPipelineFile(pipeline_path, options);
  for (const auto& warning : loaded.warnings) Log(LogLevel::kWarn, warning);

  CheckReport report;
  report.Add(StructureLine(loaded));
  std::vector<std::string> secrets;
  if (loaded.ok()) {
    secrets = loaded.pipeline->secrets;
    if (config::HasStreamPatterns(*loaded.pipeline)) {
      const config::Pipeline expanded = ExpandPatterns(*loaded.pipeline, report, secrets);
      AddPipelineChecks(expanded, report, secrets);
    } else {
      AddPipelineChecks(*loaded.pipeline, report, secrets);
    }
  } else {
    AddSkippedChecks(pipeline_path, report, secrets);
  }
  report.set_secrets(secrets);

  std::string rendered = output == OutputFormat::kJson ? report.RenderJson() : report.RenderHuman();
  int plan_exit = kExitOk;
  if (plan && loaded.ok()) {
    const PlanOutcome planned = PlanPipeline(pipeline_path);
    plan_exit = planned.exit_code;
    if (output == OutputFormat::kJson) {
      nlohmann::json doc = nlohmann::json::parse(rendered);
      doc["plan"] = planned.document;
      rendered = doc.dump(2) + "\n";
    } else {
      rendered += "\n" + planned.text;
    }
  }
  std::fwrite(rendered.data(), 1, rendered.size(), stdout);
  std::fflush(stdout);
  if (!loaded.ok()) {
    PrintError(loaded.Message(), {});
    return kExitUsage;
  }
  return report.any_failed() || plan_exit != kExitOk ? kExitFailed : kExitOk;
}

}  // namespace rapidbyte::cli
