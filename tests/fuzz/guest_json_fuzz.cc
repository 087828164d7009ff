// Fuzz target: JSON a connector hands the host (responses, errors and their details,
// checkpoints, metrics, commit tokens). Everything goes through protocol::ParseJson, then the
// decoders the host runs on it; the parsed document is copied and serialised as the host
// does. The seed corpus holds documents nested far deeper than kMaxJsonDepth: a recursive
// step anywhere on this path overflows the stack (ASan reports it) instead of being refused.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/core/checkpoint.h"
#include "protocol/json.h"
#include "protocol/messages.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rapidbyte;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string why;
  const auto doc = protocol::ParseJson(text, &why);
  if (!doc) {
    if (why.empty()) __builtin_trap();  // a refusal always says why
    return 0;
  }
  const protocol::Json copy = *doc;  // what the engine does with a cursor value
  (void)protocol::Dump(copy);
  (void)protocol::Envelope::Parse(text);
  (void)protocol::ConnectorError::FromJson(*doc);
  (void)protocol::Metric::FromJson(*doc);
  (void)engine::SourceCheckpoint::Parse(text);
  return 0;
}
