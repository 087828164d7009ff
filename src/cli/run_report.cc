// The run summary (SPEC §3.2, §10.5).
#include "cli/run_report.h"

#include <atomic>
#include <cstdio>

#include "base/log.h"
#include "base/strings.h"

#include "config/redact.h"
#include "engine/core/format.h"

namespace rapidbyte::cli {
namespace {

using engine::FormatBytes;
using engine::FormatSeconds;

std::string Line(const std::string& label, const std::string& value) {
  std::string out = "  " + label;
  if (out.size() < 19) out.resize(19, ' ');
  return out + value + "\n";
}

std::string StreamStatusText(state::StreamStatus s) {
  return s == state::StreamStatus::kNotStarted ? "not started" : std::string(state::StreamStatusName(s));
}

}  // namespace

std::string RenderRunHuman(const engine::RunResult& r, const std::vector<std::string>& secrets) {
  const engine::AttemptResult& t = r.totals;
  std::string out;
  if (r.status == "completed") {
    out += "Pipeline '" + r.pipeline + "' completed successfully.\n";
  } else if (r.status == "cancelled") {
    out += "Pipeline '" + r.pipeline + "' was cancelled.\n";
  } else {
    out += "Pipeline '" + r.pipeline + "' failed.\n";
  }
  out += Line("Run id:", std::to_string(r.run_id));
  out += Line("Records read:", std::to_string(t.records_read));
  out += Line("Records written:", std::to_string(t.records_written));
  if (t.records_skipped > 0) out += Line("Records skipped:", std::to_string(t.records_skipped));
  if (t.records_failed > 0) out += Line("Records failed:", std::to_string(t.records_failed));
  out += Line("Bytes read:", FormatBytes(t.bytes_read));
  out += Line("Bytes written:", FormatBytes(t.bytes_written));
  if (t.records_read > 0) out += Line("Avg row size:", FormatBytes(t.bytes_read / t.records_read));
  out += Line("Duration:", FormatSeconds(r.duration_secs, 2));
  out += Line("Throughput:", engine::FormatThroughput(t.records_read, t.bytes_read, r.duration_secs));
  if (r.retries > 0) out += Line("Retries:", std::to_string(r.retries));
  if (!r.compression.empty()) {
    out += Line("Compression:", engine::FormatCompression(r.compression, t.uncompressed_bytes, t.compressed_bytes,
                                                          t.compress_secs, t.decompress_secs));
  }
  out += "  Source duration:  " + FormatSeconds(t.source_secs, 2) + "\n";
  out += "    Connect:       " + FormatSeconds(t.source_connect, 3) + "\n";
  out += "    Query:         " + FormatSeconds(t.source_query, 3) + "\n";
  out += "    Fetch:         " + FormatSeconds(t.source_fetch, 3) + "\n";
  out += "  Dest duration:   " + FormatSeconds(t.dest_secs, 2) + "\n";
  out += "    VM setup:      " + FormatSeconds(t.dest_vm_setup, 3) + "\n";
  out += "    Recv loop:     " + FormatSeconds(t.dest_recv, 3) + "\n";
  out += "    Connect:       " + FormatSeconds(t.dest_connect, 3) + "\n";
  out += "    Flush:         " + FormatSeconds(t.dest_flush, 3) + "\n";
  out += "    Commit:        " + FormatSeconds(t.dest_commit, 3) + "\n";
  out += "    WASM overhead: " + FormatSeconds(r.wasm_overhead_secs(), 3) + "\n";
  if (!r.transform_module_load_ms.empty()) {
    out += "  Transforms:      " + std::to_string(r.transform_module_load_ms.size()) + " stage(s), " +
           FormatSeconds(t.transform_secs, 2) + " total\n";
    for (std::size_t i = 0; i < r.transform_module_load_ms.size(); ++i) {
      out += "    Transform[" + std::to_string(i) + "] load: " +
             engine::FormatMillis(r.transform_module_load_ms[i]) + "\n";
    }
  }
  out += Line("Source load:", engine::FormatMillis(r.source_module_load_ms));
  out += Line("Dest load:", engine::FormatMillis(r.dest_module_load_ms));
  out += "  Streams:\n";
  std::size_t width = 0;
  for (const auto& s : r.streams) width = std::max(width, s.name.size());
  for (const auto& s : r.streams) {
    std::string name = s.name;
    name.resize(width, ' ');
    std::string status = StreamStatusText(s.status);
    status.resize(10, ' ');
    out += "    " + name + "  " + status + " " + std::to_string(s.totals.records_read) + " read, " +
           std::to_string(s.totals.records_written) + " written, " + FormatBytes(s.totals.bytes_read) + ", " +
           std::to_string(s.attempts) + (s.attempts == 1 ? " attempt" : " attempts") + "\n";
  }
  if (r.status == "completed") out += "@@BENCH_JSON@@" + r.ToJson(false).dump() + "\n";
  return config::RedactText(out, secrets);
}

std::string RenderRunJson(const engine::RunResult& r, const std::vector<std::string>& secrets) {
  return config::RedactText(r.ToJson(true).dump(2), secrets) + "\n";
}

namespace {
std::atomic<bool> g_json_errors{false};

// Redacted before it is escaped, so a secret is found whatever characters it holds.
void WriteError(const std::string& message, const std::vector<std::string>& secrets,
                bool one_line) {
  const std::string redacted = config::RedactText(message, secrets);
  if (g_json_errors) {
    Log(LogLevel::kError, "Error: " + redacted);  // the JSON line escapes everything
    return;
  }
  const std::string text = "Error: " +
                           (one_line ? SanitizeForTerminal(redacted)
                                     : SanitizeLinesForTerminal(redacted)) +
                           "\n";
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

}  // namespace

void SetJsonErrors(bool json) { g_json_errors = json; }

void PrintError(const std::string& message, const std::vector<std::string>& secrets) {
  WriteError(message, secrets, /*one_line=*/false);
}

void PrintConnectorError(const std::string& message, const std::vector<std::string>& secrets) {
  WriteError(message, secrets, /*one_line=*/true);
}

void PrintRunErrors(const engine::RunResult& r, const std::vector<std::string>& secrets) {
  // The run's own error is the host's (multi-line problem lists stay readable); a stream's
  // holds the connector's error code and message.
  if (!r.run_error.empty()) PrintError(r.run_error, secrets);
  for (const auto& s : r.streams) {
    if (!s.error_message.empty()) PrintConnectorError(s.error_message, secrets);
  }
}

}  // namespace rapidbyte::cli
