// SourceCheckpoint: a source checkpoint as the engine keeps it (SPEC §4.10 `Checkpoint`,
// §5.5): the fields the connector sent, plus the cursor fields parsed and type-checked for
// the `cursor` position kind. The host accepts the payload at the top level of the envelope or
// under a `payload` key.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"
#include "protocol/json.h"

namespace rapidbyte::engine {

struct SourceCheckpoint {
  /// The checkpoint's fields as the source sent them (the payload object), for position kinds
  /// whose fields are not the cursor's below (a new kind reads its own fields here, so adding
  /// one does not change this parser). A copy of a small document, once per frame.
  protocol::Json fields;
  std::string cursor_field;         // empty when null or absent
  protocol::Json cursor_value;      // CursorValue; null when absent
  protocol::Json cursor_boundary;   // {"hashes": [...]} | {"overflow": true} | null
  std::int64_t records_processed = 0;
  std::int64_t bytes_processed = 0;
  /// Set by CheckpointTracker: the seq of the last frame the source emitted before it
  /// (0: none), and its 1-based arrival index within the stream attempt.
  std::uint64_t after_seq = 0;
  std::uint64_t index = 0;

  /// Whether it carries a position: a cursor value other than JSON null or the CursorValue
  /// "null".
  bool has_position() const { return !cursor_value.is_null() && cursor_value != "null"; }

  /// Decode a checkpoint call's JSON document. Unknown fields are ignored and missing
  /// optional ones take their defaults; a document that is not an object, or fields of the
  /// wrong type, are InvalidArgument (the caller reports them as INVALID_CHECKPOINT).
  static Result<SourceCheckpoint> FromJson(const protocol::Json& doc);
  /// The same from text (protocol::ParseJson's limits apply).
  static Result<SourceCheckpoint> Parse(std::string_view text);
};

}  // namespace rapidbyte::engine
