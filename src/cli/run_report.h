// Printing a run's result (SPEC §3.2): the human summary (a table of the streams with
// totals; --verbose adds the internal timings, --bench-json the @@BENCH_JSON@@ line), the
// JSON document, and the root-cause error lines; every text redacted (SPEC §10.4).
#pragma once

#include <string>
#include <vector>

#include "engine/run.h"

namespace rapidbyte::cli {

struct RunReportOptions {
  bool verbose = false;     ///< run --verbose: counters, phase timings, load times
  bool bench_json = false;  ///< run --bench-json: the @@BENCH_JSON@@ line after a success
};

std::string RenderRunHuman(const engine::RunResult& result, const std::vector<std::string>& secrets,
                           const RunReportOptions& options = {});
std::string RenderRunJson(const engine::RunResult& result, const std::vector<std::string>& secrets);
/// Print the run's error (a load failure) and the root cause of each failed stream,
/// "stream <name>: <Stage> error: <display>", one PrintConnectorError line each.
void PrintRunErrors(const engine::RunResult& result, const std::vector<std::string>& secrets);
/// "Error: <message>" on stderr, redacted; with --log-format json (SetJsonErrors) an error
/// log line instead, so that every stderr line is JSON (SPEC §11 scenario 63). Control
/// characters other than line feeds are escaped (SanitizeLinesForTerminal).
void PrintError(const std::string& message, const std::vector<std::string>& secrets);
/// PrintError for a message that holds connector text (an error's code and message): its
/// line feeds are escaped too, so a connector cannot forge a line ("\nError: ...").
void PrintConnectorError(const std::string& message, const std::vector<std::string>& secrets);
void SetJsonErrors(bool json);

}  // namespace rapidbyte::cli
