// Config helpers of the test connectors: typed reads of a JSON object (the connector's
// config() or a run request) with fallbacks, and a sleep. Guest only.
#pragma once

#include <time.h>

#include <cstdint>
#include <string>

#include "protocol/json.h"

namespace rapidbyte::testing_connectors {

inline std::int64_t JsonInt(const protocol::Json& object, const char* key, std::int64_t fallback) {
  std::int64_t v = fallback;
  protocol::GetInt(object, key, &v);
  return v;
}

inline std::string JsonString(const protocol::Json& object, const char* key,
                              const std::string& fallback) {
  std::string v = fallback;
  protocol::GetString(object, key, &v);
  return v;
}

inline bool JsonBool(const protocol::Json& object, const char* key) {
  bool v = false;
  protocol::GetBool(object, key, &v);
  return v;
}

inline void SleepMs(std::int64_t ms) {
  if (ms <= 0) return;
  timespec ts{static_cast<time_t>(ms / 1000), static_cast<long>((ms % 1000) * 1000000)};
  nanosleep(&ts, nullptr);
}

}  // namespace rapidbyte::testing_connectors
