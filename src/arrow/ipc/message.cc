// IPC message framing (Arrow columnar spec, "Encapsulated message format").
#include <string>

#include "arrow/ipc/format_internal.h"
#include "arrow/ipc/message_internal.h"

namespace rapidbyte::arrow::ipc::internal {

Result<RawMessage> ReadMessage(std::span<const uint8_t> stream, uint64_t* pos) {
  const uint64_t size = stream.size();
  const uint8_t* data = stream.data();
  RawMessage msg;
  msg.start = *pos;
  const uint64_t start = *pos;
  if (start == size) {
    return Status::InvalidArgument("stream ends at byte " + std::to_string(start) +
                                   " without an end-of-stream marker");
  }
  if (size - start < 8) {
    return Status::InvalidArgument("truncated message header at byte " + std::to_string(start) +
                                   " (" + std::to_string(size - start) + " bytes left)");
  }
  const uint32_t marker = LoadLE<uint32_t>(data + start);
  if (marker != kContinuation) {
    return Status::InvalidArgument("expected continuation marker 0xFFFFFFFF at byte " +
                                   std::to_string(start));
  }
  const int32_t metadata_length = LoadLE<int32_t>(data + start + 4);
  if (metadata_length == 0) {
    msg.eos = true;
    *pos = start + 8;
    return msg;
  }
  if (metadata_length < 0 || static_cast<uint64_t>(metadata_length) > size - start - 8) {
    return Status::InvalidArgument("metadata length " + std::to_string(metadata_length) +
                                   " at byte " + std::to_string(start) + " exceeds the stream (" +
                                   std::to_string(size - start - 8) + " bytes left)");
  }
  msg.metadata = data + start + 8;
  msg.metadata_size = static_cast<uint64_t>(metadata_length);
  auto info = DecodeMessage(msg.metadata, msg.metadata_size);
  if (!info.ok()) return info.status();
  msg.info = std::move(info).value();
  const uint64_t body_start = start + 8 + msg.metadata_size;
  const uint64_t body_length = static_cast<uint64_t>(msg.info.body_length);
  if (body_length > size - body_start) {
    return Status::InvalidArgument("body length " + std::to_string(body_length) +
                                   " exceeds the stream (" + std::to_string(size - body_start) +
                                   " bytes left)");
  }
  msg.body = data + body_start;
  msg.body_size = body_length;
  *pos = body_start + body_length;
  return msg;
}

}  // namespace rapidbyte::arrow::ipc::internal
