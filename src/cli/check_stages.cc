// Connector, config and live (rb_validate) checks of `rapidbyte check`.
#include "cli/check_stages.h"

#include <algorithm>

#include "engine/connector_call.h"
#include "engine/position.h"
#include "engine/stream_context.h"

namespace rapidbyte::cli {
namespace {

using nlohmann::json;
using plugin::HostContext;

std::string Count(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " problem" : " problems");
}

// Problem texts may span lines (a connector not found lists what each location held).
std::vector<std::string> DetailLines(const std::vector<std::string>& problems) {
  std::vector<std::string> out;
  for (const std::string& problem : problems) {
    std::size_t start = 0;
    while (start <= problem.size()) {
      std::size_t end = problem.find('\n', start);
      if (end == std::string::npos) end = problem.size();
      if (end > start) out.push_back(problem.substr(start, end - start));
      start = end + 1;
    }
  }
  return out;
}

CheckLine ProblemsLine(std::string name, const std::vector<std::string>& problems,
                       std::string ok_message) {
  CheckLine line{std::move(name), CheckStatus::kOk, std::move(ok_message), {}, {}};
  if (!problems.empty()) {
    line.status = CheckStatus::kFailed;
    line.message = Count(problems.size());
    line.details = DetailLines(problems);
  }
  return line;
}

std::string Text(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

CheckStatus StatusOf(const json& j) {
  std::string s = Text(j, "status");
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  if (s == "success" || s == "ok" || s == "passed") return CheckStatus::kOk;
  if (s == "warning") return CheckStatus::kWarning;
  if (s == "skipped") return CheckStatus::kSkipped;
  return CheckStatus::kFailed;
}

int Severity(CheckStatus s) {
  switch (s) {
    case CheckStatus::kFailed: return 3;
    case CheckStatus::kWarning: return 2;
    case CheckStatus::kSkipped: return 1;
    case CheckStatus::kOk: return 0;
  }
  return 3;
}

// A check's message; a failed check that carries its error's category and code (a
// connection refused, a wrong password) shows them as "[category] CODE: message".
std::string CheckMessage(const json& check, bool with_category) {
  std::string message = Text(check, "message");
  const std::string category = Text(check, "category");
  if (with_category && !category.empty() && (message.empty() || message[0] != '[')) {
    const std::string code = Text(check, "code");
    message = "[" + category + "]" + (code.empty() ? "" : " " + code) + ": " + message;
  }
  return message;
}

// Connectors name stream checks "stream <name>" (or just "<name>").
std::optional<std::string> StreamOf(const std::string& check_name,
                                    const std::vector<std::string>& streams) {
  if (check_name.rfind("stream ", 0) == 0) return check_name.substr(7);
  if (std::find(streams.begin(), streams.end(), check_name) != streams.end()) return check_name;
  return std::nullopt;
}

}  // namespace

std::string StageOutcome::SkipReason() const {
  if (connector_line.status == CheckStatus::kFailed || !connector || !module) {
    return "connector unavailable";
  }
  if (config_line.status == CheckStatus::kFailed) return "config invalid";
  return "";
}

std::string StagePrefix(HostContext::Role role, std::size_t transform_index) {
  if (role == HostContext::Role::kSource) return "Source";
  if (role == HostContext::Role::kDestination) return "Dest";
  return "Transform[" + std::to_string(transform_index) + "]";
}

std::string StageLabel(HostContext::Role role, std::size_t transform_index) {
  if (role == HostContext::Role::kDestination) return "Destination";
  return StagePrefix(role, transform_index);
}

StageOutcome CheckStageConnector(const config::Pipeline& pipeline, HostContext::Role role,
                                 std::size_t transform_index,
                                 const engine::ResolveOptions& options) {
  StageOutcome out;
  const std::string prefix = StagePrefix(role, transform_index);
  out.label = StageLabel(role, transform_index);
  engine::StageCheck check = engine::CheckStage(pipeline, role, transform_index, options);
  std::string identity;
  if (check.connector) {
    const auto& location = check.connector->resolved.location;
    identity = check.connector->manifest().Label() + " (" +
               (location.label.empty() ? location.path : location.label) + ")";
    if (check.connector_problems.empty()) {
      // The native code is part of the connector check (SPEC §3.3), and the live check
      // reuses the loaded module.
      auto loaded = engine::LoadStageConnector(*check.connector, "");
      if (loaded.ok()) {
        out.module = loaded->module;
      } else {
        check.connector_problems.push_back(loaded.status().message());
      }
    }
  }
  out.connector_line = ProblemsLine(prefix + " connector", check.connector_problems, identity);
  if (check.connector) {
    out.config_line = ProblemsLine(prefix + " config", check.config_problems, "");
  } else {
    out.config_line = {prefix + " config", CheckStatus::kSkipped, "connector unavailable", {}, {}};
  }
  out.connector = std::move(check.connector);
  return out;
}

std::vector<CheckLine> ValidateStage(const config::Pipeline& pipeline, const StageOutcome& stage) {
  const engine::StageConnector& c = *stage.connector;
  json request = engine::OpenContextJson(c, pipeline.name, 0);
  json contexts = json::array();
  std::vector<std::string> streams;
  for (const config::StreamSpec& stream : pipeline.source.streams) {
    // `check` starts from nothing stored: the stream kind's empty position.
    const auto kind = engine::MakePositionKind(stream);
    const json cursor_info = kind->FromRow(state::CursorRecord{})->Request();
    contexts.push_back(
        engine::StreamContextJson(pipeline, stream, c.role, 0, 1, cursor_info, kind->resumable()));
    streams.push_back(engine::StreamName(stream));
  }
  request["streams"] = std::move(contexts);
  auto result = engine::CallOnce(c, stage.module, plugin::Export::kValidate, request,
                                 pipeline.resources);
  if (!result.ok()) {
    return {CheckLine{stage.label, CheckStatus::kFailed, result.status().message(), {}, {}}};
  }
  if (!result->is_object()) {
    return {CheckLine{stage.label, CheckStatus::kFailed,
                      "rb_validate returned " + result->dump() + ", not a ValidationResult",
                      {}, {}}};
  }
  return ValidationLines(stage.label, *result, streams);
}

std::vector<CheckLine> ValidationLines(const std::string& label, const json& result,
                                       const std::vector<std::string>& streams) {
  std::vector<const json*> general;
  std::vector<std::pair<std::string, const json*>> per_stream;
  if (const auto it = result.find("checks"); it != result.end() && it->is_array()) {
    for (const json& check : *it) {
      if (!check.is_object()) continue;
      if (auto stream = StreamOf(Text(check, "name"), streams)) {
        per_stream.emplace_back(std::move(*stream), &check);
      } else {
        general.push_back(&check);
      }
    }
  }

  CheckLine overall{label, StatusOf(result), CheckMessage(result, true), {}, {}};
  if (!general.empty()) {
    // The worst check that is not about a stream decides; the others become details.
    const json* lead = general.front();
    for (const json* check : general) {
      if (Severity(StatusOf(*check)) > Severity(StatusOf(*lead))) lead = check;
    }
    overall.status = StatusOf(*lead);
    overall.message = CheckMessage(*lead, true);
    if (overall.status == CheckStatus::kFailed && overall.message.empty()) {
      overall.message = Text(result, "message");
    }
    for (const json* check : general) {
      if (check != lead) {
        overall.details.push_back(Text(*check, "name") + ": " +
                                  CheckStatusName(StatusOf(*check)) + "  " + CheckMessage(*check, true));
      }
    }
  } else if (!per_stream.empty() && overall.status != CheckStatus::kOk) {
    // The connector's overall verdict only repeats its stream checks.
    overall.status = CheckStatus::kOk;
    overall.message.clear();
  }
  std::string lowered = overall.message;
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char ch) { return std::tolower(ch); });
  if (overall.status == CheckStatus::kOk && (lowered == "ok" || lowered == "success")) {
    overall.message.clear();
  }

  std::vector<CheckLine> lines{overall};
  auto add_stream = [&](const std::string& name, const json& check) {
    lines.push_back({name, StatusOf(check), CheckMessage(check, false), {}, label});
  };
  for (const std::string& stream : streams) {
    bool reported = false;
    for (const auto& [name, check] : per_stream) {
      if (name == stream) {
        add_stream(name, *check);
        reported = true;
      }
    }
    if (!reported && overall.status == CheckStatus::kFailed) {
      lines.push_back({stream, CheckStatus::kSkipped, "not checked", {}, label});
    }
  }
  for (const auto& [name, check] : per_stream) {
    if (std::find(streams.begin(), streams.end(), name) == streams.end()) add_stream(name, *check);
  }
  return lines;
}

}  // namespace rapidbyte::cli
