// The run's result object (SPEC §5.10) and the @@BENCH_JSON@@ shape (§10.5).
#include <algorithm>

#include "engine/run.h"

namespace rapidbyte::engine {

using nlohmann::json;

double RunResult::wasm_overhead_secs() const {
  const AttemptResult& t = totals;
  return std::max(0.0, t.dest_secs - t.dest_vm_setup - t.dest_connect - t.dest_flush - t.dest_commit -
                           t.dest_wait);
}

namespace {

json ErrorJson(const StageError& e, const std::string& stream) {
  json j = e.error.ToJson();
  j["stream"] = stream;
  j["stage"] = e.stage;
  return j;
}

json StreamJson(const StreamOutcome& s, const std::string& sync_mode, const std::string& write_mode,
                bool with_errors) {
  const AttemptResult& t = s.totals;
  json j = {{"name", s.name},
            {"status", state::StreamStatusName(s.status)},
            {"sync_mode", sync_mode},
            {"write_mode", write_mode},
            {"attempts", s.attempts},
            {"records_read", t.records_read},
            {"records_written", t.records_written},
            {"records_skipped", t.records_skipped},
            {"records_failed", t.records_failed},
            {"bytes_read", t.bytes_read},
            {"bytes_written", t.bytes_written},
            {"batches_emitted", t.batches_emitted},
            {"batches_written", t.batches_written},
            {"checkpoints", t.checkpoints},
            {"cursor", nullptr},
            {"duration_secs", s.duration_secs},
            {"source_connect_secs", t.source_connect},
            {"source_query_secs", t.source_query},
            {"source_fetch_secs", t.source_fetch},
            {"dest_connect_secs", t.dest_connect},
            {"dest_flush_secs", t.dest_flush},
            {"dest_commit_secs", t.dest_commit},
            {"compressed_bytes", t.compressed_bytes},
            {"uncompressed_bytes", t.uncompressed_bytes}};
  j["cursor"] = s.cursor;
  if (with_errors) {
    j["error"] = s.error ? ErrorJson(*s.error, s.name) : json(nullptr);
    j["metrics"] = s.metrics;  // not in @@BENCH_JSON@@, whose keys are fixed (SPEC §10.5)
    if (sync_mode == "cdc") {
      j["changes"] = {{"inserts", s.changes.inserts},
                      {"updates", s.changes.updates},
                      {"deletes", s.changes.deletes},
                      {"truncates", s.changes.truncates}};
    }
  }
  return j;
}

}  // namespace

json RunResult::ToJson(bool with_errors) const {
  const AttemptResult& t = totals;
  json streams_json = json::array();
  for (std::size_t i = 0; i < streams.size(); ++i) {
    streams_json.push_back(StreamJson(streams[i], sync_modes[i], write_mode[i], with_errors));
  }
  json j = {{"bytes_read", t.bytes_read},
            {"bytes_written", t.bytes_written},
            {"compress_secs", t.compress_secs},
            {"compressed_bytes", t.compressed_bytes},
            {"compression", compression.empty() ? json(nullptr) : json(compression)},
            {"cpu_secs", cpu_secs},
            {"decompress_secs", t.decompress_secs},
            {"dest_commit_secs", t.dest_commit},
            {"dest_connect_secs", t.dest_connect},
            {"dest_duration_secs", t.dest_secs},
            {"dest_flush_secs", t.dest_flush},
            {"dest_module_load_ms", dest_module_load_ms},
            {"dest_recv_secs", t.dest_recv},
            {"dest_vm_setup_secs", t.dest_vm_setup},
            {"dest_wait_secs", t.dest_wait},
            {"duration_secs", duration_secs},
            {"parallelism", parallelism},
            {"peak_rss_bytes", peak_rss_bytes},
            {"records_failed", t.records_failed},
            {"records_read", t.records_read},
            {"records_skipped", t.records_skipped},
            {"records_written", t.records_written},
            {"retries", retries},
            {"run_id", run_id},
            {"source_connect_secs", t.source_connect},
            {"source_duration_secs", t.source_secs},
            {"source_fetch_secs", t.source_fetch},
            {"source_module_load_ms", source_module_load_ms},
            {"source_query_secs", t.source_query},
            {"streams", streams_json},
            {"transform_count", transform_module_load_ms.size()},
            {"transform_duration_secs", t.transform_secs},
            {"transform_module_load_ms", transform_module_load_ms},
            {"uncompressed_bytes", t.uncompressed_bytes},
            {"wasm_overhead_secs", wasm_overhead_secs()}};
  if (with_errors) {
    j["status"] = status;
    j["pipeline"] = pipeline;
    j["started_at"] = started_at;
    j["finished_at"] = finished_at;
    if (error) {
      j["error"] = ErrorJson(*error, error_stream);
    } else if (!run_error.empty()) {
      j["error"] = {{"category", protocol::Name(protocol::ErrorCategory::kInternal)},
                    {"code", "LOAD_FAILED"},
                    {"message", run_error}};
    } else {
      j["error"] = nullptr;
    }
  }
  return j;
}

}  // namespace rapidbyte::engine
