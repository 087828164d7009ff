// The catalog and pattern expansion before a run (see stream_expansion.h).
#include "engine/stream_expansion.h"

#include "engine/connector_call.h"
#include "engine/stream_context.h"

namespace rapidbyte::engine {

using nlohmann::json;

Result<json> DiscoverCatalog(const config::Pipeline& pipeline, const ResolveOptions& options,
                             std::vector<std::string>* secrets) {
  ResolveOptions source_only = options;
  source_only.source_only = true;
  RB_ASSIGN_OR_RETURN(PipelineConnectors connectors,
                      ResolvePipelineConnectors(pipeline, source_only));
  if (secrets != nullptr) {
    secrets->insert(secrets->end(), connectors.secrets.begin(), connectors.secrets.end());
  }
  RB_ASSIGN_OR_RETURN(plugin::LoadedConnector source,
                      LoadStageConnector(connectors.source, ""));
  return CallOnce(connectors.source, source.module, plugin::Export::kDiscover,
                  OpenContextJson(connectors.source, pipeline.name, 0), pipeline.resources);
}

std::vector<config::CatalogRelation> CatalogRelations(const json& catalog) {
  std::vector<config::CatalogRelation> out;
  const auto streams = catalog.find("streams");
  if (streams == catalog.end() || !streams->is_array()) return out;
  auto strings = [](const json& s, const char* key) {
    std::vector<std::string> list;
    const auto it = s.find(key);
    if (it == s.end() || !it->is_array()) return list;
    for (const json& v : *it) {
      if (v.is_string()) list.push_back(v.get<std::string>());
    }
    return list;
  };
  for (const json& s : *streams) {
    if (!s.is_object() || !s.contains("name") || !s["name"].is_string()) continue;
    const std::string name = s["name"].get<std::string>();
    const std::size_t dot = name.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == name.size()) continue;
    config::CatalogRelation r;
    r.schema = name.substr(0, dot);
    r.table = name.substr(dot + 1);
    r.primary_key = strings(s, "source_defined_primary_key");
    if (const auto c = s.find("source_defined_cursor"); c != s.end() && c->is_string()) {
      r.suggested_cursor = c->get<std::string>();
    }
    out.push_back(std::move(r));
  }
  return out;
}

Result<config::ExpansionResult> ExpandPipelineStreams(const config::Pipeline& pipeline,
                                                      const ResolveOptions& options,
                                                      std::vector<std::string>* secrets) {
  if (!config::HasStreamPatterns(pipeline)) {
    config::ExpansionResult unchanged;
    unchanged.pipeline = pipeline;
    return unchanged;
  }
  RB_ASSIGN_OR_RETURN(json catalog, DiscoverCatalog(pipeline, options, secrets));
  return config::ExpandStreamPatterns(pipeline, CatalogRelations(catalog));
}

std::string DescribeExpansion(const config::PatternExpansion& expansion) {
  std::string out = expansion.path + " '" + expansion.pattern + "' matched " +
                    std::to_string(expansion.streams.size()) +
                    (expansion.streams.size() == 1 ? " table" : " tables");
  for (std::size_t i = 0; i < expansion.streams.size(); ++i) {
    out += (i == 0 ? ": " : ", ") + expansion.streams[i];
  }
  return out;
}

}  // namespace rapidbyte::engine
