// StreamContext: the request of a run call (SPEC §4.10), parsed once by the SDK. Typed
// accessors for what connectors commonly read; json() for everything else.
#pragma once

#include <cstdint>
#include <string>

#include "protocol/json.h"

namespace rapidbyte::sdk {

class StreamContext {
 public:
  explicit StreamContext(protocol::Json json) : json_(std::move(json)) {}

  const protocol::Json& json() const { return json_; }
  /// "" when absent.
  std::string stream_name() const { return String("stream_name"); }
  /// "full_refresh", "incremental", "cdc"; "" when absent.
  std::string sync_mode() const { return String("sync_mode"); }
  bool incremental() const { return sync_mode() == "incremental"; }
  /// The attempt number, from 1.
  std::int64_t attempt() const {
    std::int64_t v = 1;
    protocol::GetInt(json_, "attempt", &v);
    return v;
  }
  /// cursor_info.last_value.int64 of an incremental stream resuming after an int64 cursor.
  bool last_int64(std::int64_t* out) const;

 private:
  std::string String(const char* key) const {
    std::string v;
    protocol::GetString(json_, key, &v);
    return v;
  }
  protocol::Json json_;
};

inline bool StreamContext::last_int64(std::int64_t* out) const {
  const protocol::Json* cursor = protocol::GetMember(json_, "cursor_info");
  const protocol::Json* last = cursor ? protocol::GetMember(*cursor, "last_value") : nullptr;
  return last != nullptr && protocol::GetInt(*last, "int64", out);
}

}  // namespace rapidbyte::sdk
