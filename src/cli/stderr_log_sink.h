// The CLI's log sink: one line per message on stderr, human or JSON (SPEC §10.1), with
// secrets masked. Human lines never contain terminal control characters.
#pragma once

#include <functional>
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
  void set_secrets(std::vector<std::string> secrets) {
    std::lock_guard<std::mutex> lock(mu_);
    secrets_ = std::move(secrets);
  }
  /// Called (under the sink's lock) before and after each line, so a live progress block
  /// can be cleared and redrawn around log lines. Empty functions: nothing.
  void set_around_line(std::function<void()> before, std::function<void()> after) {
    std::lock_guard<std::mutex> lock(mu_);
    before_ = std::move(before);
    after_ = std::move(after);
  }

 private:
  LogFormat format_;
  std::vector<std::string> secrets_;
  std::function<void()> before_;
  std::function<void()> after_;
  std::mutex mu_;
};

}  // namespace rapidbyte::cli
