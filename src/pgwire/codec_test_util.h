// Test helper: builds backend messages byte by byte, so codec and connection tests can feed
// exact (and deliberately broken) server bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pgwire/wire_buffer.h"

namespace rapidbyte::pgwire::testing {

class MessageBuilder {
 public:
  explicit MessageBuilder(char type) { bytes_.push_back(static_cast<std::uint8_t>(type)); }
  MessageBuilder& I16(std::int16_t v) {
    WireWriter(&body_).PutI16(v);
    return *this;
  }
  MessageBuilder& I32(std::int32_t v) {
    WireWriter(&body_).PutI32(v);
    return *this;
  }
  MessageBuilder& U8(std::uint8_t v) {
    body_.push_back(v);
    return *this;
  }
  MessageBuilder& Str(std::string_view s) {
    WireWriter(&body_).PutCString(s);
    return *this;
  }
  MessageBuilder& Raw(std::string_view s) {
    WireWriter(&body_).PutBytes(s);
    return *this;
  }
  /// The framed message; `length_delta` corrupts the length field on purpose.
  std::vector<std::uint8_t> Build(std::int64_t length_delta = 0) const {
    std::vector<std::uint8_t> out = bytes_;
    WireWriter(&out).PutU32(
        static_cast<std::uint32_t>(static_cast<std::int64_t>(body_.size()) + 4 + length_delta));
    out.insert(out.end(), body_.begin(), body_.end());
    return out;
  }
  std::string BuildString() const {
    const auto v = Build();
    return std::string(v.begin(), v.end());
  }

 private:
  std::vector<std::uint8_t> bytes_;
  std::vector<std::uint8_t> body_;
};

}  // namespace rapidbyte::pgwire::testing
