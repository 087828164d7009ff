// Formatting of log lines: "<UTC time, ms> <LEVEL> <message> key=value ..." or one JSON
// object per line.
#include "cli/stderr_log_sink.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "config/redact.h"

namespace rapidbyte::cli {
namespace {

std::string UtcTimestamp() {
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
  const std::time_t secs = static_cast<std::time_t>(ms.count() / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms.count() % 1000));
  return buf;
}

std::string UpperLevel(LogLevel level) {
  std::string name(LogLevelName(level));
  for (char& c : name) c = static_cast<char>(c - 'a' + 'A');
  return name;
}

}  // namespace

void StderrLogSink::Write(LogLevel level, std::string_view message, const LogFields& fields) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string line;
  if (format_ == LogFormat::kJson) {
    nlohmann::json obj;
    obj["ts"] = UtcTimestamp();
    obj["level"] = LogLevelName(level);
    obj["msg"] = config::RedactText(message, secrets_);
    for (const auto& [key, value] : fields) obj[key] = config::RedactText(value, secrets_);
    line = obj.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } else {
    // Messages and fields carry connector text (logs, errors, WASI stdout): escaped, so a
    // line stays one line and never drives the terminal. JSON lines are escaped by dump().
    line = UtcTimestamp() + " " + UpperLevel(level) + " " +
           SanitizeForTerminal(config::RedactText(message, secrets_));
    for (const auto& [key, value] : fields) {
      line += " " + key + "=" + SanitizeForTerminal(config::RedactText(value, secrets_));
    }
  }
  line += "\n";
  if (before_) before_();
  std::fwrite(line.data(), 1, line.size(), stderr);
  if (after_) after_();
  std::fflush(stderr);
}

}  // namespace rapidbyte::cli
