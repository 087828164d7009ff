// `rapidbyte discover` (SPEC §3.4): the source's catalog, as a table or as JSON.
#include <cstdio>

#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "cli/commands.h"
#include "cli/run_report.h"
#include "config/loader.h"
#include "cli/init_command.h"
#include "engine/stream_expansion.h"

namespace rapidbyte::cli {
namespace {

using nlohmann::json;

// Text of a catalog field for the table. The catalog is the connector's: escaped, so a
// name cannot forge lines or drive the terminal (JSON output is escaped by dump()).
std::string Text(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? SanitizeForTerminal(j[key].get<std::string>())
                                               : "";
}

std::string RenderCatalog(const json& catalog) {
  std::string out;
  if (!catalog.contains("streams") || !catalog["streams"].is_array() || catalog["streams"].empty()) {
    return "No tables or views found.\n";
  }
  for (const auto& s : catalog["streams"]) {
    out += Text(s, "name") + " (" + Text(s, "kind") + ")\n";
    std::string pk;
    if (s.contains("source_defined_primary_key") && s["source_defined_primary_key"].is_array()) {
      for (const auto& k : s["source_defined_primary_key"]) {
        if (!k.is_string()) continue;
        pk += (pk.empty() ? "" : ", ") + SanitizeForTerminal(k.get<std::string>());
      }
    }
    out += "  primary key:      " + (pk.empty() ? std::string("none") : pk) + "\n";
    const std::string cursor = Text(s, "source_defined_cursor");
    out += "  suggested cursor: " + (cursor.empty() ? std::string("none") : cursor) + "\n";
    std::size_t name_w = 0, pg_w = 0, arrow_w = 0;
    const json columns = s.contains("schema") && s["schema"].is_array() ? s["schema"] : json::array();
    for (const auto& c : columns) {
      name_w = std::max(name_w, Text(c, "name").size());
      pg_w = std::max(pg_w, Text(c, "pg_type").size());
      arrow_w = std::max(arrow_w, Text(c, "data_type").size());
    }
    for (const auto& c : columns) {
      std::string name = Text(c, "name"), pg = Text(c, "pg_type"), arrow = Text(c, "data_type");
      name.resize(name_w, ' ');
      pg.resize(pg_w, ' ');
      arrow.resize(arrow_w, ' ');
      std::string line = "    " + name + "  " + pg + "  " + arrow;
      if (c.contains("nullable") && c["nullable"] == false) line += "  not null";
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line + "\n";
    }
  }
  return out;
}

}  // namespace

int RunDiscoverCommand(const std::string& pipeline_path, OutputFormat output,
                       const DiscoverYamlOptions& yaml) {
  config::LoadOptions load;
  load.purpose = config::LoadPurpose::kDiscover;
  const config::LoadResult loaded = config::LoadPipelineFile(pipeline_path, load);
  if (!loaded.ok()) {
    PrintError(loaded.Message(), {});
    return kExitUsage;
  }
  const config::Pipeline& pipeline = *loaded.pipeline;
  std::vector<std::string> secrets = pipeline.secrets;
  auto catalog = engine::DiscoverCatalog(pipeline, engine::DefaultResolveOptions(), &secrets);
  if (!catalog.ok()) {
    if (catalog.status().code() == StatusCode::kInvalidArgument) {
      PrintError(catalog.status().message(), secrets);
      return kExitUsage;
    }
    PrintConnectorError("discover failed: " + catalog.status().message(), secrets);
    return kExitFailed;
  }
  std::string text;
  if (yaml.enabled) {
    auto written = DiscoverYaml(pipeline_path, pipeline, *catalog, yaml.streams);
    if (!written.ok()) {
      PrintError(written.status().message(), secrets);
      return kExitUsage;
    }
    text = std::move(*written);
  } else {
    text = output == OutputFormat::kJson ? catalog->dump(2) + "\n" : RenderCatalog(*catalog);
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
  return kExitOk;
}

}  // namespace rapidbyte::cli
