// Decoder for the pgoutput logical replication messages of protocol version 1 (the payload of
// each XLogData): Begin, Commit, Origin, Relation, Type, Insert, Update, Delete, Truncate and
// logical decoding Message. The bytes come from the network and are untrusted: every length
// and count is checked against the bytes that remain before it is used or reserved, trailing
// bytes are rejected, and a malformed message is a PROTOCOL_ERROR (kDataLoss) naming the
// message type and the offset of the bad field. Decoded messages are views into the payload
// and into the decoder's reused buffers: no allocation per value. Streamed and two-phase
// transactions (protocol versions 2+) are refused with a clear error. Portable.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.h"
#include "pgwire/lsn.h"
#include "pgwire/wire_buffer.h"

namespace rapidbyte::pgwire::pgoutput {

struct Begin {
  Lsn final_lsn;                 // the transaction's commit record
  std::int64_t commit_time = 0;  // PostgreSQL epoch microseconds
  std::uint32_t xid = 0;
};

struct Commit {
  std::uint8_t flags = 0;  // unused, 0
  Lsn commit_lsn;
  Lsn end_lsn;  // the end of the commit record: where a restart resumes
  std::int64_t commit_time = 0;
};

/// The origin of a transaction replicated from elsewhere (sent after Begin).
struct Origin {
  Lsn commit_lsn;  // on the origin server
  std::string_view name;
};

struct Column {
  static constexpr std::uint8_t kKeyFlag = 1;
  std::uint8_t flags = 0;
  std::string_view name;
  std::uint32_t type_oid = 0;
  std::int32_t type_modifier = -1;
  bool is_key() const { return (flags & kKeyFlag) != 0; }
};

/// A table's description, sent before its first change in a session and after it changes.
struct Relation {
  std::uint32_t relation_id = 0;
  std::string_view namespace_name;  // "" is pg_catalog
  std::string_view relation_name;
  char replica_identity = 'd';  // d default (primary key), n nothing, f full, i index
  std::span<const Column> columns;
};

/// A non-built-in data type's name (sent before a Relation that uses it).
struct Type {
  std::uint32_t type_oid = 0;
  std::string_view namespace_name;
  std::string_view type_name;
};

enum class ValueKind : char {
  kNull = 'n',
  kUnchangedToast = 'u',  // an unchanged TOASTed value that was not sent
  kText = 't',            // the type's text output
  kBinary = 'b',          // the type's binary send format (binary 'true')
};

struct Value {
  ValueKind kind = ValueKind::kNull;
  Bytes data;  // the value's bytes for kText and kBinary, else empty
};
using Tuple = std::span<const Value>;

/// Which old row an Update or Delete carries: none, the replica identity key columns ('K',
/// other columns null), or the whole old row ('O', REPLICA IDENTITY FULL).
enum class OldTupleKind : char { kNone = 0, kKey = 'K', kFull = 'O' };

struct Insert {
  std::uint32_t relation_id = 0;
  Tuple new_tuple;
};

struct Update {
  std::uint32_t relation_id = 0;
  OldTupleKind old_kind = OldTupleKind::kNone;
  Tuple old_tuple;  // empty for kNone
  Tuple new_tuple;
};

struct Delete {
  std::uint32_t relation_id = 0;
  OldTupleKind old_kind = OldTupleKind::kKey;  // never kNone
  Tuple old_tuple;
};

struct Truncate {
  static constexpr std::uint8_t kCascade = 1;
  static constexpr std::uint8_t kRestartIdentity = 2;
  std::uint8_t options = 0;
  std::span<const std::uint32_t> relation_ids;
};

/// A logical decoding message (pg_logical_emit_message), only sent with messages 'true'.
struct LogicalMessage {
  bool transactional = false;
  Lsn lsn;
  std::string_view prefix;
  Bytes content;
};

using Message = std::variant<Begin, Commit, Origin, Relation, Type, Insert, Update, Delete,
                             Truncate, LogicalMessage>;

/// Decodes one pgoutput message at a time. Reuse one decoder for a whole stream: its buffers
/// (columns, tuple values, relation ids) grow to the largest message and are reused. Not
/// thread-safe.
class Decoder {
 public:
  /// Decode one XLogData payload. The result's views point into `payload` and into this
  /// decoder; they stay valid while `payload` does and until the next Decode.
  Result<Message> Decode(Bytes payload);

 private:
  Result<Message> DecodeBody(char type, WireReader& r);
  Result<Message> DecodeRelation(WireReader& r);
  Result<Message> DecodeUpdate(WireReader& r);
  Result<Message> DecodeDelete(WireReader& r);
  Result<Message> DecodeTruncate(WireReader& r);
  Result<Tuple> DecodeTuple(WireReader& r, std::vector<Value>* values);

  std::vector<Column> columns_;
  std::vector<Value> old_values_;
  std::vector<Value> new_values_;
  std::vector<std::uint32_t> relation_ids_;
};

/// The name of a pgoutput message type byte ("Insert", "Relation", ...; "unknown" otherwise).
std::string_view MessageTypeName(char type);

}  // namespace rapidbyte::pgwire::pgoutput
