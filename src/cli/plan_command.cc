// The plan of a run (see plan_command.h).
#include "cli/plan_command.h"

#include <cstdio>
#include <filesystem>
#include <map>

#include "base/strings.h"
#include "engine/core/format.h"
#include "cli/run_report.h"
#include "config/loader.h"
#include "config/redact.h"
#include "engine/connector_call.h"
#include "engine/position.h"
#include "engine/stream_context.h"
#include "engine/stream_expansion.h"
#include "state/state_backend.h"

namespace rapidbyte::cli {
namespace {

using nlohmann::json;

struct Planning {
  config::Pipeline pipeline;
  json catalog;
  std::vector<std::string> secrets;
  std::vector<state::CursorRecord> cursors;
};

const json* CatalogStream(const json& catalog, const std::string& name) {
  const auto streams = catalog.find("streams");
  if (streams == catalog.end() || !streams->is_array()) return nullptr;
  for (const json& s : *streams) {
    if (s.is_object() && s.value("name", "") == name) return &s;
  }
  return nullptr;
}

// The stored positions, without creating anything: a SQLite state file that does not exist
// yet holds none.
Result<std::vector<state::CursorRecord>> StoredPositions(const config::Pipeline& pipeline) {
  if (pipeline.state.backend == config::StateBackendKind::kSqlite &&
      !std::filesystem::exists(pipeline.state.connection)) {
    return std::vector<state::CursorRecord>{};
  }
  RB_ASSIGN_OR_RETURN(auto backend, state::OpenStateBackend(pipeline.state));
  return backend->ListCursors(pipeline.name);
}

// What a stream's source read would cover.
json ReadPlan(const Planning& p, const config::StreamSpec& stream) {
  json out = {{"estimated_rows", nullptr}, {"position", nullptr}};
  if (const json* entry = CatalogStream(p.catalog, stream.QualifiedName())) {
    if (const auto e = entry->find("estimated_rows"); e != entry->end() && e->is_number_integer()) {
      out["estimated_rows"] = *e;
    }
  }
  if (stream.sync_mode == config::SyncMode::kFullRefresh) {
    out["read"] = "every row (full refresh)";
    return out;
  }
  const auto kind = engine::MakePositionKind(stream);
  for (const state::CursorRecord& row : p.cursors) {
    if (row.stream != stream.QualifiedName()) continue;
    if (auto conflict = kind->CheckRow(row)) {
      out["read"] = "nothing: the stream would fail (" + conflict->code + ": " + conflict->message + ")";
      out["error"] = conflict->message;
      return out;
    }
    const auto position = kind->FromRow(row);
    if (position->has_value()) {
      out["position"] = position->Show();
      out["read"] = "rows after the stored position: " + position->Describe();
      return out;
    }
  }
  out["read"] = "every row (no stored position yet)";
  return out;
}

// The source's columns for the destination's plan: the catalog's, narrowed to the stream's
// projection. Null when the destination cannot know them (transforms reshape the data).
json SourceSchema(const Planning& p, const config::StreamSpec& stream) {
  const json* entry = CatalogStream(p.catalog, stream.QualifiedName());
  if (entry == nullptr || !p.pipeline.transforms.empty() || !entry->contains("schema")) return nullptr;
  json columns = json::array();
  for (const json& c : (*entry)["schema"]) {
    const std::string name = c.value("name", "");
    if (stream.columns &&
        std::find(stream.columns->begin(), stream.columns->end(), name) == stream.columns->end()) {
      continue;
    }
    columns.push_back(c);
  }
  json key = entry->value("source_defined_primary_key", json(nullptr));
  return {{"columns", std::move(columns)}, {"primary_key", key.is_array() ? key : json::array()}};
}

// rb_validate of the destination with a plan request: one check per stream carries its plan.
Result<json> DestinationPlans(const Planning& p, const engine::StageConnector& dest) {
  RB_ASSIGN_OR_RETURN(plugin::LoadedConnector loaded, engine::LoadStageConnector(dest, ""));
  json request = engine::OpenContextJson(dest, p.pipeline.name, 0);
  request["plan"] = true;
  json contexts = json::array();
  for (const config::StreamSpec& stream : p.pipeline.source.streams) {
    const auto kind = engine::MakePositionKind(stream);
    json context = engine::StreamContextJson(p.pipeline, stream, dest.role, 0, 1,
                                             kind->FromRow(state::CursorRecord{})->Request(),
                                             kind->resumable());
    if (json schema = SourceSchema(p, stream); !schema.is_null()) context["source_schema"] = schema;
    contexts.push_back(std::move(context));
  }
  request["streams"] = std::move(contexts);
  return engine::CallOnce(dest, loaded.module, plugin::Export::kValidate, request,
                          p.pipeline.resources);
}

const json* StreamCheck(const json& validation, const std::string& stream) {
  const auto checks = validation.find("checks");
  if (checks == validation.end() || !checks->is_array()) return nullptr;
  for (const json& c : *checks) {
    const std::string name = c.value("name", "");
    if (name == "stream " + stream || name == stream) return &c;
  }
  return nullptr;
}

std::string Estimate(const json& read) {
  if (!read["estimated_rows"].is_number_integer()) return "";
  return "; the table holds about " + engine::FormatCount(read["estimated_rows"].get<std::uint64_t>()) + " rows";
}

// The human form of one stream's plan.
std::string RenderStream(const json& s) {
  const std::string& mode = s["write_mode"].get_ref<const std::string&>();
  std::string out = s["name"].get<std::string>() + "  " + s["sync_mode"].get<std::string>() +
                    " -> " + mode;
  if (s.contains("key") && s["key"].is_array() && !s["key"].empty()) {
    out += " on (" + Join(s["key"].get<std::vector<std::string>>(), ", ") + ")";
  }
  out += "\n  read:   " + s["read"]["read"].get<std::string>() + Estimate(s["read"]) + "\n";
  const json& w = s["write"];
  if (w.is_null()) {
    out += "  write:  " + s.value("write_note", std::string("not planned")) + "\n";
    return out;
  }
  const std::string action = w.value("action", "");
  const std::string table = w.value("table", "");
  if (action == "fail") {
    out += "  write:  FAILS: " + s.value("error", std::string()) + "\n";
    return out;
  }
  static const std::map<std::string, std::string> kVerb = {
      {"create", "create table "}, {"append", "append to "}, {"upsert", "upsert into "},
      {"replace", "replace "}};
  const auto verb = kVerb.find(action);
  out += "  write:  " + (verb == kVerb.end() ? action + " " : verb->second) + table;
  if ((action == "append" || action == "upsert") && w["statements"].empty()) {
    out += " (exists; no schema change)";
  }
  out += "\n";
  for (const json& st : w["statements"]) out += "          " + st.get<std::string>() + ";\n";
  for (const json& n : w["notes"]) out += "          note: " + n.get<std::string>() + "\n";
  return out;
}

// Connector text (a discover or validate error) is printed as such: one line, sanitised.
PlanOutcome Fail(const std::string& message, int code, const std::vector<std::string>& secrets) {
  if (code == kExitUsage) {
    PrintError(message, secrets);
  } else {
    PrintConnectorError(message, secrets);
  }
  PlanOutcome out;
  out.exit_code = code;
  return out;
}

// Load, discover the catalog (needed for estimates and columns), expand patterns, read the
// stored positions. False with `out` set when the plan cannot be made.
bool Prepare(const std::string& pipeline_path, Planning* p, PlanOutcome* out) {
  config::LoadOptions load;
  load.purpose = config::LoadPurpose::kRun;
  const config::LoadResult loaded = config::LoadPipelineFile(pipeline_path, load);
  if (!loaded.ok()) {
    *out = Fail(loaded.Message(), kExitUsage, {});
    return false;
  }
  p->secrets = loaded.pipeline->secrets;
  auto catalog = engine::DiscoverCatalog(*loaded.pipeline, engine::DefaultResolveOptions(), &p->secrets);
  if (!catalog.ok()) {
    const bool invalid = catalog.status().code() == StatusCode::kInvalidArgument;
    *out = Fail(invalid ? catalog.status().message()
                        : "the source's discover failed: " + catalog.status().message(),
                invalid ? kExitUsage : kExitFailed, p->secrets);
    return false;
  }
  p->catalog = std::move(*catalog);
  config::ExpansionResult expanded =
      config::ExpandStreamPatterns(*loaded.pipeline, engine::CatalogRelations(p->catalog));
  if (!expanded.problems.empty()) {
    std::string message = "Pipeline validation failed after expanding the stream patterns:";
    for (const auto& line : expanded.problems) message += "\n  - " + line;
    *out = Fail(message, kExitUsage, p->secrets);
    return false;
  }
  p->pipeline = std::move(expanded.pipeline);
  auto cursors = StoredPositions(p->pipeline);
  if (!cursors.ok()) {
    *out = Fail("cannot read the stored positions: " + cursors.status().message(), kExitFailed,
                p->secrets);
    return false;
  }
  p->cursors = std::move(*cursors);
  return true;
}

// One stream's plan: identity, modes, the read and the destination's plan.
json StreamPlan(const Planning& p, const config::StreamSpec& stream, const json& validation) {
  const config::DestinationSpec& dest = *p.pipeline.destination;
  json s = {{"name", stream.QualifiedName()},
            {"sync_mode", std::string(config::Name(stream.sync_mode))},
            {"write_mode", std::string(config::Name(dest.write_mode))},
            {"read", ReadPlan(p, stream)}, {"write", nullptr}};
  if (dest.write_mode == config::WriteMode::kUpsert) {
    s["key"] = stream.primary_key ? *stream.primary_key : dest.primary_key;
  }
  if (s["read"].contains("error")) s["error"] = s["read"]["error"];
  const json* check = StreamCheck(validation, stream.QualifiedName());
  if (check == nullptr) {
    s["write_note"] = "the destination gave no plan for it";
  } else if (check->contains("plan")) {
    s["write"] = (*check)["plan"];
    if (check->value("status", "") == "failed") s["error"] = check->value("message", "");
  } else {
    s["write_note"] = p.pipeline.transforms.empty()
                          ? check->value("message", std::string("not planned"))
                          : "depends on the transforms' output: " + check->value("message", std::string());
    if (check->value("status", "") == "failed") s["error"] = check->value("message", "");
  }
  return s;
}

}  // namespace

PlanOutcome PlanPipeline(const std::string& pipeline_path) {
  PlanOutcome out;
  Planning p;
  if (!Prepare(pipeline_path, &p, &out)) return out;
  auto connectors = engine::ResolvePipelineConnectors(p.pipeline, engine::DefaultResolveOptions());
  if (!connectors.ok()) return Fail(connectors.status().message(), kExitUsage, p.secrets);
  p.secrets.insert(p.secrets.end(), connectors->secrets.begin(), connectors->secrets.end());
  auto validation = DestinationPlans(p, *connectors->destination);
  if (!validation.ok()) {
    return Fail("the destination could not plan: " + validation.status().message(), kExitFailed,
                p.secrets);
  }
  json& doc = out.document;
  doc = {{"pipeline", p.pipeline.name}, {"dry_run", true}, {"streams", json::array()}};
  doc["destination"] = {{"status", validation->value("status", "")},
                        {"message", validation->value("message", "")}};
  std::string body;
  for (const config::StreamSpec& stream : p.pipeline.source.streams) {
    json s = StreamPlan(p, stream, *validation);
    if (s.contains("error")) out.exit_code = kExitFailed;
    body += RenderStream(s);
    doc["streams"].push_back(std::move(s));
  }
  out.text = "Plan for pipeline '" + p.pipeline.name +
             "' (dry run: nothing is read from a table, nothing is written)\n\n" + body;
  if (const json* connection = StreamCheck(*validation, "connection")) {
    out.text += "\nDestination: " + connection->value("message", std::string()) + "\n";
  }
  out.text = config::RedactText(out.text, p.secrets);
  doc = json::parse(config::RedactText(doc.dump(), p.secrets));
  return out;
}

int RunDryRunCommand(const std::string& pipeline_path, OutputFormat output) {
  const PlanOutcome plan = PlanPipeline(pipeline_path);
  if (plan.exit_code == kExitUsage && plan.document.is_null()) return plan.exit_code;
  const std::string text = output == OutputFormat::kJson ? plan.document.dump(2) + "\n" : plan.text;
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
  return plan.exit_code;
}

}  // namespace rapidbyte::cli
