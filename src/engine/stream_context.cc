// Building the connector-facing JSON documents (SPEC §4.10).
#include "engine/stream_context.h"

namespace rapidbyte::engine {

using nlohmann::json;

namespace {

json SchemaEvolutionJson(const config::SchemaEvolution& e) {
  return {{"new_column", config::Name(e.new_column)},
          {"removed_column", config::Name(e.removed_column)},
          {"type_change", config::Name(e.type_change)},
          {"nullability_change", config::Name(e.nullability_change)}};
}

}  // namespace

json OpenContextJson(const StageConnector& connector, const std::string& pipeline,
                     std::int64_t run_id) {
  return {{"config", {{"json", connector.config}}},
          {"connector_id", connector.manifest().id},
          {"connector_version", connector.manifest().version},
          {"pipeline", pipeline},
          {"run_id", run_id}};
}

std::string StreamName(const config::StreamSpec& stream) { return stream.QualifiedName(); }

json StreamContextJson(const config::Pipeline& pipeline, const config::StreamSpec& stream,
                       plugin::HostContext::Role stage, std::int64_t run_id, int attempt,
                       const json& cursor_info, bool resumable, bool follow) {
  const config::ResourcesSpec& r = pipeline.resources;
  const bool single_transaction = !resumable && pipeline.destination &&
                                  pipeline.destination->write_mode == config::WriteMode::kAppend &&
                                  stage == plugin::HostContext::Role::kDestination;
  json limits = {{"max_batch_bytes", r.max_batch_bytes},
                 {"max_record_bytes", r.max_record_bytes},
                 {"max_inflight_batches", r.max_inflight_batches},
                 {"max_parallel_requests", 1},
                 {"checkpoint_interval_bytes", single_transaction ? 0 : r.checkpoint_interval_bytes},
                 {"checkpoint_interval_rows", single_transaction ? 0 : r.checkpoint_interval_rows},
                 {"checkpoint_interval_seconds", single_transaction ? 0 : r.checkpoint_interval_seconds}};
  // A cdc stream commits at least every 10 s by default, so a follow run's changes and its
  // slot's confirmed position keep moving (SPEC §14.6).
  if (stream.cdc && r.checkpoint_interval_seconds == 0) limits["checkpoint_interval_seconds"] = 10;
  std::vector<std::string> primary_key;
  if (stream.primary_key) {
    primary_key = *stream.primary_key;
  } else if (pipeline.destination) {
    primary_key = pipeline.destination->primary_key;
  }
  json write_mode = "append";
  json policies = {{"on_data_error", "fail"}, {"schema_evolution", SchemaEvolutionJson({})}};
  if (pipeline.destination) {
    const auto& d = *pipeline.destination;
    write_mode = std::string(config::Name(d.write_mode));
    if (d.write_mode == config::WriteMode::kUpsert) {
      write_mode = {{"upsert", {{"primary_key", primary_key}}}};
    }
    policies = {{"on_data_error", config::Name(d.on_data_error)},
                {"schema_evolution", SchemaEvolutionJson(d.schema_evolution)}};
  }
  json selected = nullptr;
  if (stream.columns) selected = *stream.columns;
  json out = {{"pipeline", pipeline.name},
              {"run_id", run_id},
              {"attempt", attempt},
              {"stream_name", StreamName(stream)},
              {"schema", {{"columns", json::array()}}},
              {"sync_mode", config::Name(stream.sync_mode)},
              {"cursor_info", cursor_info},
              {"limits", limits},
              {"policies", policies},
              {"write_mode", write_mode},
              {"selected_columns", selected},
              {"primary_key", primary_key}};
  if (stream.cdc && stage == plugin::HostContext::Role::kSource) {
    out["cdc"] = {{"slot", stream.cdc->slot},
                  {"publication", stream.cdc->publication},
                  {"create", stream.cdc->create},
                  {"follow", follow}};
  }
  return out;
}

}  // namespace rapidbyte::engine
