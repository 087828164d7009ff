// The report `rapidbyte check` prints (SPEC §3.3): one line per check, human or JSON.
#pragma once

#include <string>
#include <vector>

namespace rapidbyte::cli {

enum class CheckStatus { kOk, kWarning, kFailed, kSkipped };

struct CheckLine {
  std::string name;  // "Pipeline structure", "  public.users" for stream checks
  CheckStatus status = CheckStatus::kOk;
  std::string message;
  std::vector<std::string> details;
};

class CheckReport {
 public:
  void Add(CheckLine line) { lines_.push_back(std::move(line)); }
  bool any_failed() const;
  /// Lines padded to 20 columns, details indented by 4, then the closing sentence.
  std::string RenderHuman() const;
  /// {"ok": bool, "checks": [{"name", "status", "message", "details"}]}
  std::string RenderJson() const;

 private:
  std::vector<CheckLine> lines_;
};

}  // namespace rapidbyte::cli
