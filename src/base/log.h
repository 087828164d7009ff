// Logging facade. Code logs through Log(); the program installs a sink once at start-up
// (the CLI's stderr sink, or a test's collector). Portable: no I/O here.
//
// Thread-safety: SetLogSink/SetLogLevel are called once before other threads start; Log()
// may be called from any thread and is as thread-safe as the installed sink.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rapidbyte {

enum class LogLevel { kError = 0, kWarn = 1, kInfo = 2, kDebug = 3, kTrace = 4 };

/// "error", "warn", "info", "debug", "trace".
std::string_view LogLevelName(LogLevel level);
/// Parse one of the names above.
bool ParseLogLevel(std::string_view text, LogLevel* out);

using LogFields = std::vector<std::pair<std::string, std::string>>;

class LogSink {
 public:
  virtual ~LogSink() = default;
  virtual void Write(LogLevel level, std::string_view message, const LogFields& fields) = 0;
};

/// Install the sink (not owned; must outlive all logging). nullptr drops all messages.
void SetLogSink(LogSink* sink);
void SetLogLevel(LogLevel level);
LogLevel GetLogLevel();
inline bool LogEnabled(LogLevel level) { return level <= GetLogLevel(); }

void Log(LogLevel level, std::string_view message, const LogFields& fields = {});

}  // namespace rapidbyte
