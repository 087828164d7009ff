// Printing a run's result (SPEC §3.2): the human summary with its @@BENCH_JSON@@ line, the
// JSON document, and the root-cause error lines; every text redacted (SPEC §10.4).
#pragma once

#include <string>
#include <vector>

#include "engine/run.h"

namespace rapidbyte::cli {

std::string RenderRunHuman(const engine::RunResult& result, const std::vector<std::string>& secrets);
std::string RenderRunJson(const engine::RunResult& result, const std::vector<std::string>& secrets);
/// The root cause of each failed stream: "stream <name>: <Stage> error: <display>".
std::vector<std::string> RunErrorLines(const engine::RunResult& result);
/// "Error: <message>" on stderr, redacted; with --log-format json (SetJsonErrors) an error
/// log line instead, so that every stderr line is JSON (SPEC §11 scenario 63).
void PrintError(const std::string& message, const std::vector<std::string>& secrets);
void SetJsonErrors(bool json);

}  // namespace rapidbyte::cli
