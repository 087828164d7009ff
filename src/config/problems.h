// Problems: collects every validation problem of a document, each starting with its field
// path, so that one run reports all of them together (SPEC §2.6).
#pragma once

#include <string>
#include <vector>

namespace rapidbyte::config {

class Problems {
 public:
  /// Record "path: message".
  void Add(const std::string& path, const std::string& message) {
    lines_.push_back(path + ": " + message);
  }
  /// Record a line that carries its own paths (e.g. missing environment variables).
  void AddLine(std::string line) { lines_.push_back(std::move(line)); }
  void Warn(const std::string& path, const std::string& message) {
    warnings_.push_back(path + ": " + message);
  }

  bool empty() const { return lines_.empty(); }
  std::size_t size() const { return lines_.size(); }
  const std::vector<std::string>& lines() const { return lines_; }
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  std::vector<std::string> lines_;
  std::vector<std::string> warnings_;
};

}  // namespace rapidbyte::config
