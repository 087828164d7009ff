// The current time as ISO-8601 UTC text ("2026-03-01T10:00:00Z"), the format of state rows
// and results.
#pragma once

#include <ctime>
#include <string>

namespace rapidbyte::engine {

inline std::string NowIso() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace rapidbyte::engine
