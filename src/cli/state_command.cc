// `rapidbyte state show` and `rapidbyte state reset` (SPEC §3.6): what the state backend
// holds for a pipeline, and starting streams over.
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <optional>

#include <nlohmann/json.hpp>

#include "base/log.h"
#include "base/strings.h"
#include "cli/cdc_reset.h"
#include "cli/commands.h"
#include "cli/run_report.h"
#include "config/loader.h"
#include "config/stream_patterns.h"
#include "engine/core/format.h"
#include "engine/position.h"
#include "state/state_backend.h"

namespace rapidbyte::cli {
namespace {

using nlohmann::json;

std::optional<config::Pipeline> LoadForState(
    const std::string& path, config::LoadPurpose purpose = config::LoadPurpose::kState) {
  config::LoadOptions options;
  options.purpose = purpose;
  config::LoadResult loaded = config::LoadPipelineFile(path, options);
  if (!loaded.ok()) {
    PrintError(loaded.Message(), {});
    return std::nullopt;
  }
  return std::move(loaded.pipeline);
}

// An ISO-8601 UTC timestamp as seconds since the epoch, with its fraction ("...:05.742Z";
// rows written before milliseconds were stored have none); nullopt when unparsable.
std::optional<double> EpochSeconds(const std::string& text) {
  std::tm tm{};
  const char* rest = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (rest == nullptr) return std::nullopt;
  double fraction = 0;
  if (*rest == '.') {
    double scale = 0.1;
    for (++rest; *rest >= '0' && *rest <= '9'; ++rest) {
      fraction += (*rest - '0') * scale;
      scale /= 10;
    }
  }
  return static_cast<double>(timegm(&tm)) + fraction;
}

// Seconds between two ISO-8601 UTC timestamps; -1 when either is missing.
double SecondsBetween(const std::string& from, const std::string& to) {
  if (from.empty() || to.empty()) return -1;
  const std::optional<double> a = EpochSeconds(from);
  const std::optional<double> b = EpochSeconds(to);
  if (!a || !b) return -1;
  return std::max(0.0, *b - *a);
}

std::string FirstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

void Print(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

// The stored name of the stream `--stream` names, resolved as `run` names streams: the
// name as written in the file ("accounts") or qualified ("public.accounts"). A name the
// file no longer holds is accepted when state is stored under it exactly (a removed stream
// can still be reset). Anything else is InvalidArgument listing the file's streams.
Result<std::string> ResolveResetStream(const config::Pipeline& pipeline,
                                       state::StateBackend& backend, const std::string& wanted) {
  std::vector<std::string> names;
  for (const auto& s : pipeline.source.streams) {
    if (s.name == wanted || s.QualifiedName() == wanted) return s.QualifiedName();
    names.push_back(s.QualifiedName());
  }
  RB_ASSIGN_OR_RETURN(auto cursors, backend.ListCursors(pipeline.name));
  // Streams a pattern matched are stored as "schema.table"; an unqualified name a pattern
  // matches is looked up in that pattern's schema.
  std::string qualified = wanted;
  for (const auto& s : pipeline.source.streams) {
    if (s.pattern && wanted.find('.') == std::string::npos && config::GlobMatch(s.table, wanted)) {
      qualified = s.schema + "." + wanted;
      break;
    }
  }
  for (const auto& c : cursors) {
    if (c.stream == wanted || c.stream == qualified) return c.stream;
  }
  std::vector<std::string> candidates = names;
  for (const auto& s : pipeline.source.streams) candidates.push_back(s.name);
  std::string message = "--stream: '" + wanted + "' is not a stream of pipeline '" +
                        pipeline.name + "' (its streams: " + Join(names, ", ") + ")";
  if (auto suggestion = SuggestClosest(wanted, candidates)) {
    message += "; did you mean '" + *suggestion + "'?";
  }
  return Status::InvalidArgument(message);
}

}  // namespace

int RunStateShowCommand(const std::string& pipeline_path, OutputFormat output) {
  auto pipeline = LoadForState(pipeline_path);
  if (!pipeline) return kExitUsage;
  auto backend = state::OpenStateBackend(pipeline->state);
  if (!backend.ok()) {
    PrintError(backend.status().message(), pipeline->secrets);
    return kExitFailed;
  }
  state::StateBackend& s = **backend;
  auto running = s.IsLocked(pipeline->name);
  auto cursors = s.ListCursors(pipeline->name);
  auto runs = s.ListRuns(pipeline->name, 10);
  auto counts = s.CountValues(pipeline->name);
  for (const Status& st : {running.status(), cursors.status(), runs.status(), counts.status()}) {
    if (!st.ok()) {
      PrintError(st.message(), pipeline->secrets);
      return kExitFailed;
    }
  }
  // Each row's position is read through the one position model (engine/position.h): the
  // row's columns as stored, plus `position` as its kind shows it.
  json streams = json::array();
  for (const auto& c : *cursors) {
    streams.push_back(
        {{"stream", c.stream},
         {"position", engine::PositionOfRow(c)->Show()},
         {"state_id", c.state_id},
         {"cursor_field", c.cursor_field.empty() ? json(nullptr) : json(c.cursor_field)},
         {"cursor_type", c.cursor_type.empty() ? json(nullptr) : json(c.cursor_type)},
         {"cursor_value",
          c.cursor_value.empty() ? json(nullptr) : json::parse(c.cursor_value, nullptr, false)},
         {"updated_at", c.updated_at},
         {"run_id", c.position_run_id}});
  }
  json runs_json = json::array();
  for (const auto& r : *runs) {
    const double secs = SecondsBetween(r.started_at, r.finished_at);
    runs_json.push_back({{"id", r.id},
                         {"status", state::RunStatusName(r.status)},
                         {"started_at", r.started_at},
                         {"finished_at", r.finished_at.empty() ? json(nullptr) : json(r.finished_at)},
                         {"duration_secs", secs < 0 ? json(nullptr) : json(secs)},
                         {"records_read", r.counters.records_read},
                         {"records_written", r.counters.records_written},
                         {"error", r.error_message.empty() ? json(nullptr) : json(FirstLine(r.error_message))}});
  }
  const json keys = {{"pipeline", (*counts)[0]}, {"stream", (*counts)[1]}, {"connector_instance", (*counts)[2]}};
  if (output == OutputFormat::kJson) {
    Print(json({{"pipeline", pipeline->name},
                {"backend", s.Describe()},
                {"running", *running},
                {"streams", streams},
                {"runs", runs_json},
                {"connector_state", keys}})
              .dump(2) +
          "\n");
    return kExitOk;
  }
  std::string out = "Pipeline '" + pipeline->name + "'\n";
  out += "  Backend:  " + s.Describe() + "\n";
  out += std::string("  Running:  ") + (*running ? "yes" : "no") + "\n";
  out += "  Streams:\n";
  if (cursors->empty()) out += "    (none yet)\n";
  for (const auto& c : *cursors) {
    const auto position = engine::PositionOfRow(c);
    out += "    " + c.stream + "  " + position->Describe();
    if (position->has_value()) {
      out += ", updated " + c.updated_at + " by run #" + std::to_string(position->stamp.run_id);
    }
    out += "\n";
  }
  out += "  Last runs:\n";
  if (runs->empty()) out += "    (none yet)\n";
  for (const auto& r : *runs) {
    const double secs = SecondsBetween(r.started_at, r.finished_at);
    out += "    #" + std::to_string(r.id) + "  " + std::string(state::RunStatusName(r.status)) + "  " +
           r.started_at + "  " + (secs < 0 ? std::string("-") : engine::FormatSeconds(secs, 2)) + "  " +
           std::to_string(r.counters.records_read) + " read, " + std::to_string(r.counters.records_written) +
           " written";
    if (!r.error_message.empty()) out += "  " + FirstLine(r.error_message);
    out += "\n";
  }
  out += "  Connector state keys: pipeline " + std::to_string((*counts)[0]) + ", stream " +
         std::to_string((*counts)[1]) + ", connector_instance " + std::to_string((*counts)[2]) + "\n";
  // Cursor values and error messages came from connectors; only one line of each is shown.
  Print(SanitizeLinesForTerminal(out));
  return kExitOk;
}

int RunStateResetCommand(const std::string& pipeline_path, const std::string& stream) {
  // Naming a stream needs the file's streams too (to resolve the name as `run` does).
  auto pipeline = LoadForState(pipeline_path, stream.empty() ? config::LoadPurpose::kState
                                                             : config::LoadPurpose::kStateStreams);
  if (!pipeline) return kExitUsage;
  auto backend = state::OpenStateBackend(pipeline->state);
  if (!backend.ok()) {
    PrintError(backend.status().message(), pipeline->secrets);
    return kExitFailed;
  }
  std::optional<std::string> target;
  if (!stream.empty()) {
    auto resolved = ResolveResetStream(*pipeline, **backend, stream);
    if (!resolved.ok()) {
      PrintError(resolved.status().message(), pipeline->secrets);
      return resolved.status().code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailed;
    }
    target = *resolved;
  }
  auto lock = (*backend)->TryLock(pipeline->name);
  if (!lock.ok()) {
    PrintError(lock.status().message(), pipeline->secrets);
    return kExitFailed;
  }
  if (!DropCdcSlots(pipeline_path, target)) return kExitFailed;
  auto counts = (*backend)->Reset(pipeline->name, target);
  if (!counts.ok()) {
    PrintError(counts.status().message(), pipeline->secrets);
    return kExitFailed;
  }
  const std::string what =
      !target ? "pipeline '" + pipeline->name + "'"
              : "stream '" + *target + "' of pipeline '" + pipeline->name + "'";
  Print("Reset state of " + what + ": " + std::to_string(counts->cursors) +
        (counts->cursors == 1 ? " cursor, " : " cursors, ") + std::to_string(counts->connector_state_keys) +
        " connector state keys removed.\n");
  return kExitOk;
}

}  // namespace rapidbyte::cli
