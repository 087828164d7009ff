// Test helper: builds backend messages byte by byte, so codec and connection tests can feed
// exact (and deliberately broken) server bytes. The same builder makes CopyData payloads
// (replication messages, pgoutput messages): the type byte and body without a length.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pgwire/wire_buffer.h"

namespace rapidbyte::pgwire::testing {

class MessageBuilder {
 public:
  explicit MessageBuilder(char type) { payload_.push_back(static_cast<std::uint8_t>(type)); }
  MessageBuilder& I16(std::int16_t v) {
    WireWriter(&payload_).PutI16(v);
    return *this;
  }
  MessageBuilder& I32(std::int32_t v) {
    WireWriter(&payload_).PutI32(v);
    return *this;
  }
  MessageBuilder& I64(std::int64_t v) {
    WireWriter(&payload_).PutU32(static_cast<std::uint32_t>(static_cast<std::uint64_t>(v) >> 32));
    WireWriter(&payload_).PutU32(static_cast<std::uint32_t>(v));
    return *this;
  }
  MessageBuilder& U8(std::uint8_t v) {
    payload_.push_back(v);
    return *this;
  }
  MessageBuilder& Str(std::string_view s) {
    WireWriter(&payload_).PutCString(s);
    return *this;
  }
  MessageBuilder& Raw(std::string_view s) {
    WireWriter(&payload_).PutBytes(s);
    return *this;
  }
  /// A pgoutput TupleData value of kind 't' or 'b': the kind, a 4-byte length, the bytes.
  MessageBuilder& Value(char kind, std::string_view data) {
    U8(static_cast<std::uint8_t>(kind));
    I32(static_cast<std::int32_t>(data.size()));
    return Raw(data);
  }
  /// The framed message; `length_delta` corrupts the length field on purpose.
  std::vector<std::uint8_t> Build(std::int64_t length_delta = 0) const {
    std::vector<std::uint8_t> out = {payload_[0]};
    const auto body = static_cast<std::int64_t>(payload_.size()) - 1;
    WireWriter(&out).PutU32(static_cast<std::uint32_t>(body + 4 + length_delta));
    out.insert(out.end(), payload_.begin() + 1, payload_.end());
    return out;
  }
  std::string BuildString() const {
    const auto v = Build();
    return std::string(v.begin(), v.end());
  }
  /// The type byte and the body, unframed (a CopyData payload).
  const std::vector<std::uint8_t>& bytes() const { return payload_; }
  Bytes span() const { return payload_; }

 private:
  std::vector<std::uint8_t> payload_;
};

}  // namespace rapidbyte::pgwire::testing
