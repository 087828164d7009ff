// Rendering of check reports.
#include "cli/check_report.h"

#include <utility>

#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "config/redact.h"

namespace rapidbyte::cli {
namespace {

constexpr std::size_t kLabelColumns = 20;

// A message is one line: anything after a line break goes before the details.
std::pair<std::string, std::vector<std::string>> SplitMessage(const CheckLine& line) {
  std::pair<std::string, std::vector<std::string>> out;
  std::size_t start = 0;
  bool first = true;
  while (start <= line.message.size()) {
    std::size_t end = line.message.find('\n', start);
    if (end == std::string::npos) end = line.message.size();
    std::string part = line.message.substr(start, end - start);
    if (first) {
      out.first = std::move(part);
      first = false;
    } else if (!part.empty()) {
      out.second.push_back(std::move(part));
    }
    start = end + 1;
  }
  out.second.insert(out.second.end(), line.details.begin(), line.details.end());
  return out;
}

}  // namespace

const char* CheckStatusName(CheckStatus s) {
  switch (s) {
    case CheckStatus::kOk: return "OK";
    case CheckStatus::kWarning: return "WARNING";
    case CheckStatus::kFailed: return "FAILED";
    case CheckStatus::kSkipped: return "SKIPPED";
  }
  return "FAILED";
}

bool CheckReport::any_failed() const {
  for (const auto& line : lines_) {
    if (line.status == CheckStatus::kFailed) return true;
  }
  return false;
}

std::string CheckReport::Redact(const std::string& text) const {
  return secrets_.empty() ? text : config::RedactText(text, secrets_);
}

// A line of the human report: redacted, then escaped, since connectors' check names and
// messages are in it (line breaks were split off before; JSON is escaped by dump()).
std::string CheckReport::Human(const std::string& text) const {
  return SanitizeForTerminal(Redact(text));
}

std::string CheckReport::RenderHuman() const {
  std::string out;
  std::size_t failed = 0;
  for (const auto& line : lines_) {
    std::string label = line.is_stream() ? "  " + line.name : line.name + ":";
    if (label.size() < kLabelColumns) {
      label.resize(kLabelColumns, ' ');
    } else {
      label += " ";
    }
    out += Human(label) + CheckStatusName(line.status);
    const auto [message, details] = SplitMessage(line);
    if (!message.empty()) out += "  " + Human(message);
    out += "\n";
    for (const auto& detail : details) out += "    " + Human(detail) + "\n";
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
    const auto [message, detail_lines] = SplitMessage(line);
    nlohmann::json details = nlohmann::json::array();
    for (const auto& detail : detail_lines) details.push_back(Redact(detail));
    checks.push_back({{"name", Redact(line.is_stream() ? line.parent + " " + line.name : line.name)},
                      {"status", CheckStatusName(line.status)},
                      {"message", Redact(message)},
                      {"details", std::move(details)}});
  }
  nlohmann::json doc = {{"ok", !any_failed()}, {"checks", std::move(checks)}};
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace rapidbyte::cli
