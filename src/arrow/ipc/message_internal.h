// Framing of IPC stream messages: continuation marker, metadata length, flatbuffer
// metadata, body; and the end-of-stream marker. Folder-private.
#pragma once

#include <cstdint>
#include <span>

#include "arrow/ipc/metadata_internal.h"
#include "base/result.h"

namespace rapidbyte::arrow::ipc::internal {

/// One framed message. For the end-of-stream marker only `eos` is set.
struct RawMessage {
  bool eos = false;
  uint64_t start = 0;  // byte position of the message in the stream
  MessageInfo info;
  const uint8_t* metadata = nullptr;
  uint64_t metadata_size = 0;
  const uint8_t* body = nullptr;
  uint64_t body_size = 0;
};

/// Read the message at `*pos` of `stream` and advance `*pos` past it. Checks the framing
/// (continuation marker, metadata length within the stream, body within the stream) and
/// decodes the Message table. Errors say which byte position failed.
Result<RawMessage> ReadMessage(std::span<const uint8_t> stream, uint64_t* pos);

}  // namespace rapidbyte::arrow::ipc::internal
