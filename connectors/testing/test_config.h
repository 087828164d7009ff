// The config of the engine's test connectors (test-gen, test-sink, test-transform): kept
// from rb_open's OpenContext (the run calls do not carry it), read with typed fallbacks.
// Guest only; one instance per process, so a global is fine.
#pragma once

#include <time.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "protocol/json.h"
#include "sdk/sdk.h"

namespace rapidbyte::testing_connectors {

inline protocol::Json& Config() {
  static protocol::Json config = protocol::Json::object();
  return config;
}

/// Keep `config.json` of the OpenContext in `request`.
inline void LoadConfig(std::string_view request) {
  auto parsed = protocol::ParseJson(request);
  if (parsed && parsed->contains("config") && (*parsed)["config"].contains("json")) {
    Config() = (*parsed)["config"]["json"];
  }
}

inline std::int64_t ConfigInt(const char* key, std::int64_t fallback) {
  std::int64_t v = fallback;
  protocol::GetInt(Config(), key, &v);
  return v;
}

inline std::string ConfigString(const char* key, const std::string& fallback) {
  std::string v = fallback;
  protocol::GetString(Config(), key, &v);
  return v;
}

inline bool ConfigBool(const char* key) {
  bool v = false;
  protocol::GetBool(Config(), key, &v);
  return v;
}

inline void SleepMs(std::int64_t ms) {
  if (ms <= 0) return;
  timespec ts{static_cast<time_t>(ms / 1000), static_cast<long>((ms % 1000) * 1000000)};
  nanosleep(&ts, nullptr);
}

}  // namespace rapidbyte::testing_connectors
