// The report `rapidbyte check` prints (SPEC §3.3): one line per check, human or JSON, every
// text redacted (SPEC §10.4).
#pragma once

#include <string>
#include <vector>

namespace rapidbyte::cli {

enum class CheckStatus { kOk, kWarning, kFailed, kSkipped };

/// "OK", "WARNING", "FAILED", "SKIPPED".
const char* CheckStatusName(CheckStatus s);

struct CheckLine {
  /// "Pipeline structure", "Source config", ...; for a stream check the stream's name.
  std::string name;
  CheckStatus status = CheckStatus::kOk;
  std::string message;  // one line; may be empty
  std::vector<std::string> details;
  /// For a stream check: the label of the check it belongs to ("Source", "Destination",
  /// "Transform[0]"). Stream checks print indented by two spaces without a colon; their JSON
  /// name is "<parent> <stream>".
  std::string parent;

  bool is_stream() const { return !parent.empty(); }
};

/// Not thread-safe; built on one thread and rendered once.
class CheckReport {
 public:
  void Add(CheckLine line) { lines_.push_back(std::move(line)); }
  void Add(std::vector<CheckLine> lines) {
    for (auto& line : lines) lines_.push_back(std::move(line));
  }
  /// Values masked as *** in every message and detail.
  void set_secrets(std::vector<std::string> secrets) { secrets_ = std::move(secrets); }

  bool any_failed() const;
  const std::vector<CheckLine>& lines() const { return lines_; }

  /// Labels padded to 20 columns, details indented by 4, a blank line, then
  /// "All checks passed." or "<n> of <m> checks failed." (m counts every printed check).
  std::string RenderHuman() const;
  /// {"ok": bool, "checks": [{"name", "status", "message", "details"}]}
  std::string RenderJson() const;

 private:
  std::string Redact(const std::string& text) const;
  std::string Human(const std::string& text) const;

  std::vector<CheckLine> lines_;
  std::vector<std::string> secrets_;
};

}  // namespace rapidbyte::cli
