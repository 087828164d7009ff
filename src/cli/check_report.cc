// Rendering of check reports.
#include "cli/check_report.h"

#include <nlohmann/json.hpp>

namespace rapidbyte::cli {
namespace {

const char* StatusName(CheckStatus s) {
  switch (s) {
    case CheckStatus::kOk: return "OK";
    case CheckStatus::kWarning: return "WARNING";
    case CheckStatus::kFailed: return "FAILED";
    case CheckStatus::kSkipped: return "SKIPPED";
  }
  return "FAILED";
}

}  // namespace

bool CheckReport::any_failed() const {
  for (const auto& line : lines_) {
    if (line.status == CheckStatus::kFailed) return true;
  }
  return false;
}

std::string CheckReport::RenderHuman() const {
  std::string out;
  std::size_t failed = 0;
  for (const auto& line : lines_) {
    std::string label = line.name + ":";
    if (label.size() < 20) label.resize(20, ' ');
    else label += " ";
    out += label + StatusName(line.status);
    if (!line.message.empty()) out += "  " + line.message;
    out += "\n";
    for (const auto& detail : line.details) out += "    " + detail + "\n";
    if (line.status == CheckStatus::kFailed) ++failed;
  }
  out += "\n";
  if (failed == 0) {
    out += "All checks passed.\n";
  } else {
    out += std::to_string(failed) + " of " + std::to_string(lines_.size()) + " checks failed.\n";
  }
  return out;
}

std::string CheckReport::RenderJson() const {
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& line : lines_) {
    checks.push_back({{"name", line.name},
                      {"status", StatusName(line.status)},
                      {"message", line.message},
                      {"details", line.details}});
  }
  nlohmann::json doc = {{"ok", !any_failed()}, {"checks", checks}};
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace rapidbyte::cli
