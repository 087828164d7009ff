// The CLI's log sink: one line per message on stderr, human or JSON (SPEC §10.1), with
// secrets masked. Human lines never contain terminal control characters.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "base/log.h"

namespace rapidbyte::cli {

enum class LogFormat { kHuman, kJson };

/// Thread-safe: a mutex serialises lines.
class StderrLogSink : public LogSink {
 public:
  explicit StderrLogSink(LogFormat format) : format_(format) {}
  void Write(LogLevel level, std::string_view message, const LogFields& fields) override;
  /// Values to mask in every line (set before other threads log).
  void set_secrets(std::vector<std::string> secrets) { secrets_ = std::move(secrets); }

 private:
  LogFormat format_;
  std::vector<std::string> secrets_;
  std::mutex mu_;
};

}  // namespace rapidbyte::cli
