// Dropping the replication slots of cdc streams for `state reset` (see cdc_reset.h).
#include "cli/cdc_reset.h"

#include <cstdio>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/log.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/run_report.h"
#include "config/loader.h"
#include "engine/connector_call.h"
#include "engine/pipeline_connectors.h"
#include "engine/position.h"
#include "engine/stream_context.h"

namespace rapidbyte::cli {

using nlohmann::json;

bool DropCdcSlots(const std::string& pipeline_path, const std::optional<std::string>& target) {
  config::LoadOptions options;
  options.purpose = config::LoadPurpose::kCheck;
  const config::LoadResult loaded = config::LoadPipelineFile(pipeline_path, options);
  if (!loaded.ok()) return true;  // the state-only load already reported what it needs
  const config::Pipeline& pipeline = *loaded.pipeline;
  std::vector<const config::StreamSpec*> streams;
  for (const config::StreamSpec& s : pipeline.source.streams) {
    if (s.cdc && (!target || s.QualifiedName() == *target)) streams.push_back(&s);
  }
  if (streams.empty()) return true;

  auto connectors = engine::ResolvePipelineConnectors(pipeline, engine::DefaultResolveOptions());
  auto fail = [&](const std::string& why) {
    PrintError("could not drop the replication slots of the cdc streams (" + why +
                   "); the state was not reset",
               pipeline.secrets);
    return false;
  };
  if (!connectors.ok()) return fail(connectors.status().message());
  const engine::StageConnector& source = connectors->source;
  auto module = engine::LoadStageConnector(source, "");
  if (!module.ok()) return fail(module.status().message());
  json request = engine::OpenContextJson(source, pipeline.name, 0);
  json contexts = json::array();
  for (const config::StreamSpec* s : streams) {
    const auto kind = engine::MakePositionKind(*s);
    json context = engine::StreamContextJson(pipeline, *s, source.role, 0, 1, nullptr,
                                             kind->resumable());
    context["cdc_reset"] = true;
    contexts.push_back(std::move(context));
  }
  request["streams"] = std::move(contexts);
  auto result = engine::CallOnce(source, module->module, plugin::Export::kValidate, request,
                                 pipeline.resources);
  if (!result.ok()) return fail(result.status().message());
  bool ok = true;
  for (const json& check : result->value("checks", json::array())) {
    const std::string name = check.value("name", "");
    if (name.rfind("stream ", 0) != 0) continue;  // the connection check
    const std::string message = check.value("message", "");
    if (check.value("status", "") == "failed") {
      ok = false;
      PrintError(name + ": " + message, pipeline.secrets);
    } else {
      std::fputs(SanitizeLinesForTerminal(name + ": " + message + "\n").c_str(), stdout);
    }
  }
  if (!ok) PrintError("the state was not reset", pipeline.secrets);
  return ok;
}

}  // namespace rapidbyte::cli
