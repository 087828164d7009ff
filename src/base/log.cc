// Logging facade state: one sink and one level for the process.
#include "base/log.h"

#include <atomic>

namespace rapidbyte {
namespace {

std::atomic<LogSink*> g_sink{nullptr};
std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};

}  // namespace

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kError: return "error";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kInfo: return "info";
    case LogLevel::kDebug: return "debug";
    case LogLevel::kTrace: return "trace";
  }
  return "trace";
}

bool ParseLogLevel(std::string_view text, LogLevel* out) {
  for (LogLevel level : {LogLevel::kError, LogLevel::kWarn, LogLevel::kInfo, LogLevel::kDebug,
                         LogLevel::kTrace}) {
    if (text == LogLevelName(level)) {
      *out = level;
      return true;
    }
  }
  return false;
}

void SetLogSink(LogSink* sink) { g_sink.store(sink); }
void SetLogLevel(LogLevel level) { g_level.store(static_cast<int>(level)); }
LogLevel GetLogLevel() { return static_cast<LogLevel>(g_level.load()); }

void Log(LogLevel level, std::string_view message, const LogFields& fields) {
  if (!LogEnabled(level)) return;
  if (LogSink* sink = g_sink.load()) sink->Write(level, message, fields);
}

}  // namespace rapidbyte
