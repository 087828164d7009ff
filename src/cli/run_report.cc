// The run summary (SPEC §3.2, §10.5; issue #22 item 4): a table per stream with totals, the
// internal timings only with --verbose, the @@BENCH_JSON@@ line only with --bench-json.
#include "cli/run_report.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>

#include "base/log.h"
#include "base/strings.h"

#include "config/redact.h"
#include "engine/core/format.h"

namespace rapidbyte::cli {
namespace {

using engine::FormatBytes;
using engine::FormatCount;
using engine::FormatSeconds;

std::string Line(const std::string& label, const std::string& value) {
  std::string out = "  " + label;
  if (out.size() < 19) out.resize(19, ' ');
  return out + value + "\n";
}

// Full words: the status column is as wide as its longest word ("not started").
std::string StreamStatusText(state::StreamStatus s) {
  return s == state::StreamStatus::kNotStarted ? "not started" : std::string(state::StreamStatusName(s));
}

// "0.42s" below a minute, then "2m05s" and "1h02m05s": a long run reads at a glance.
std::string FormatDuration(double secs) {
  if (!std::isfinite(secs) || secs < 0) secs = 0;
  if (secs < 60) return FormatSeconds(secs, 2);
  const auto whole = static_cast<unsigned long long>(secs);
  char buf[64];
  if (whole < 3600) {
    std::snprintf(buf, sizeof buf, "%llum%02llus", whole / 60, whole % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%lluh%02llum%02llus", whole / 3600, whole / 60 % 60, whole % 60);
  }
  return buf;
}

std::string RowsPerSec(std::uint64_t rows, double secs) {
  if (!std::isfinite(secs) || secs <= 0) return "0";
  return FormatCount(static_cast<std::uint64_t>(std::llround(static_cast<double>(rows) / secs)));
}

// A table whose first two columns are left-aligned (stream, status) and the rest
// right-aligned (numbers), two spaces apart, indented by two.
std::string RenderTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      const std::string pad(widths[c] - row[c].size(), ' ');
      line += "  " + (c < 2 ? row[c] + pad : pad + row[c]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

// One line per cdc stream: the changes its destination committed, by kind (SPEC §14.5).
std::string ChangeLines(const engine::RunResult& r) {
  std::string out;
  for (std::size_t i = 0; i < r.streams.size() && i < r.sync_modes.size(); ++i) {
    if (r.sync_modes[i] != "cdc") continue;
    const engine::ChangeCounts& c = r.streams[i].changes;
    out += Line("Changes:", r.streams[i].name + ": " + FormatCount(c.inserts) + " inserted, " +
                                FormatCount(c.updates) + " updated, " + FormatCount(c.deletes) +
                                " deleted, " + FormatCount(c.truncates) + " truncated");
  }
  return out;
}

std::string Headline(const engine::RunResult& r) {
  std::string what = r.status == "completed"   ? "completed successfully"
                     : r.status == "cancelled" ? "was cancelled"
                                               : "failed";
  return "Pipeline '" + r.pipeline + "' " + what + " (run " + std::to_string(r.run_id) + ").\n";
}

// Per stream: rows read, bytes read, duration, rows/s; a Written column only when some
// stream wrote a different number of rows than it read (skips, a failure, a transform).
std::string StreamTable(const engine::RunResult& r) {
  const engine::AttemptResult& t = r.totals;
  bool written = t.records_written != t.records_read;
  for (const auto& s : r.streams) written = written || s.totals.records_written != s.totals.records_read;
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"Stream", "Status", "Rows"});
  if (written) rows.back().push_back("Written");
  for (const char* h : {"Bytes", "Duration", "Rows/s"}) rows.back().push_back(h);
  auto add = [&](const std::string& name, const std::string& status, const engine::AttemptResult& c,
                 double secs, bool started) {
    rows.push_back({name, status, FormatCount(c.records_read)});
    if (written) rows.back().push_back(FormatCount(c.records_written));
    rows.back().push_back(FormatBytes(c.bytes_read));
    rows.back().push_back(started ? FormatDuration(secs) : "-");
    rows.back().push_back(started ? RowsPerSec(c.records_read, secs) : "-");
  };
  for (const auto& s : r.streams) {
    add(s.name, StreamStatusText(s.status), s.totals, s.duration_secs,
        s.status != state::StreamStatus::kNotStarted);
  }
  add("Total", "", t, r.duration_secs, true);
  return RenderTable(rows);
}

// The internal figures of SPEC §3.2 (run --verbose): counters, throughput, compression,
// each stage's phases and the module load times.
std::string VerboseDetails(const engine::RunResult& r) {
  const engine::AttemptResult& t = r.totals;
  std::string out;
  out += Line("Records read:", std::to_string(t.records_read));
  out += Line("Records written:", std::to_string(t.records_written));
  out += Line("Bytes read:", FormatBytes(t.bytes_read));
  out += Line("Bytes written:", FormatBytes(t.bytes_written));
  if (t.records_read > 0) out += Line("Avg row size:", FormatBytes(t.bytes_read / t.records_read));
  out += Line("Throughput:", engine::FormatThroughput(t.records_read, t.bytes_read, r.duration_secs));
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
  return out;
}

}  // namespace

std::string RenderRunHuman(const engine::RunResult& r, const std::vector<std::string>& secrets,
                           const RunReportOptions& options) {
  const engine::AttemptResult& t = r.totals;
  std::string out = Headline(r) + StreamTable(r) + ChangeLines(r);
  if (r.retries > 0) out += Line("Retries:", std::to_string(r.retries));
  if (t.records_skipped > 0) out += Line("Records skipped:", FormatCount(t.records_skipped));
  if (t.records_failed > 0) out += Line("Records failed:", FormatCount(t.records_failed));
  if (options.verbose) out += VerboseDetails(r);
  if (options.bench_json && r.status == "completed") {
    out += "@@BENCH_JSON@@" + r.ToJson(false).dump() + "\n";
  }
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
