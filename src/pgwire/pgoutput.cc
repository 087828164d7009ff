// pgoutput message decoding (protocol version 1). Layouts follow PostgreSQL's
// src/backend/replication/logical/proto.c; every field goes through WireReader, which checks
// the bytes that remain, and counts are checked against the remaining bytes before any
// buffer is sized from them.
#include "pgwire/pgoutput.h"

#include <string>

namespace rapidbyte::pgwire::pgoutput {
namespace {

// Smallest wire size of a Relation column: flags, an empty name's NUL, type oid, typmod.
constexpr std::size_t kMinColumnBytes = 1 + 1 + 4 + 4;

Result<Lsn> ReadLsn(WireReader& r, const char* what) {
  RB_ASSIGN_OR_RETURN(std::int64_t v, r.I64(what));
  return Lsn(static_cast<std::uint64_t>(v));
}

Result<std::uint32_t> ReadOid(WireReader& r, const char* what) {
  RB_ASSIGN_OR_RETURN(std::int32_t v, r.I32(what));
  return static_cast<std::uint32_t>(v);
}

// A count read from the wire, refused when even the smallest encoding of that many items
// would not fit in the bytes that remain.
Status CheckCount(std::uint64_t count, std::size_t min_item_bytes, const WireReader& r,
                  const char* what) {
  if (count * min_item_bytes <= r.remaining()) return Status::OK();
  return ProtocolError(std::string(what) + " " + std::to_string(count) + " needs at least " +
                       std::to_string(count * min_item_bytes) + " bytes, " +
                       std::to_string(r.remaining()) + " left");
}

Result<Message> DecodeBegin(WireReader& r) {
  Begin m;
  RB_ASSIGN_OR_RETURN(m.final_lsn, ReadLsn(r, "final LSN"));
  RB_ASSIGN_OR_RETURN(m.commit_time, r.I64("commit time"));
  RB_ASSIGN_OR_RETURN(m.xid, ReadOid(r, "xid"));
  return Message(m);
}

Result<Message> DecodeCommit(WireReader& r) {
  Commit m;
  RB_ASSIGN_OR_RETURN(m.flags, r.U8("flags"));
  RB_ASSIGN_OR_RETURN(m.commit_lsn, ReadLsn(r, "commit LSN"));
  RB_ASSIGN_OR_RETURN(m.end_lsn, ReadLsn(r, "end LSN"));
  RB_ASSIGN_OR_RETURN(m.commit_time, r.I64("commit time"));
  return Message(m);
}

Result<Message> DecodeOrigin(WireReader& r) {
  Origin m;
  RB_ASSIGN_OR_RETURN(m.commit_lsn, ReadLsn(r, "origin commit LSN"));
  RB_ASSIGN_OR_RETURN(m.name, r.CString("origin name"));
  return Message(m);
}

Result<Message> DecodeType(WireReader& r) {
  Type m;
  RB_ASSIGN_OR_RETURN(m.type_oid, ReadOid(r, "type oid"));
  RB_ASSIGN_OR_RETURN(m.namespace_name, r.CString("type namespace"));
  RB_ASSIGN_OR_RETURN(m.type_name, r.CString("type name"));
  return Message(m);
}

Result<Message> DecodeLogicalMessage(WireReader& r) {
  LogicalMessage m;
  RB_ASSIGN_OR_RETURN(std::uint8_t flags, r.U8("message flags"));
  m.transactional = (flags & 1) != 0;
  RB_ASSIGN_OR_RETURN(m.lsn, ReadLsn(r, "message LSN"));
  RB_ASSIGN_OR_RETURN(m.prefix, r.CString("message prefix"));
  RB_ASSIGN_OR_RETURN(std::int32_t length, r.I32("message content length"));
  if (length < 0) return ProtocolError("message content length " + std::to_string(length));
  RB_ASSIGN_OR_RETURN(m.content, r.Take(static_cast<std::uint64_t>(length), "message content"));
  return Message(m);
}

Result<Column> DecodeColumn(WireReader& r) {
  Column c;
  RB_ASSIGN_OR_RETURN(c.flags, r.U8("column flags"));
  RB_ASSIGN_OR_RETURN(c.name, r.CString("column name"));
  RB_ASSIGN_OR_RETURN(c.type_oid, ReadOid(r, "column type oid"));
  RB_ASSIGN_OR_RETURN(c.type_modifier, r.I32("column type modifier"));
  return c;
}

Result<Value> DecodeValue(WireReader& r) {
  RB_ASSIGN_OR_RETURN(std::uint8_t kind, r.U8("tuple value kind"));
  switch (kind) {
    case 'n':
    case 'u':
      return Value{static_cast<ValueKind>(kind), {}};
    case 't':
    case 'b': {
      RB_ASSIGN_OR_RETURN(std::int32_t length, r.I32("tuple value length"));
      if (length < 0) return ProtocolError("tuple value length " + std::to_string(length));
      RB_ASSIGN_OR_RETURN(Bytes data, r.Take(static_cast<std::uint64_t>(length), "tuple value"));
      return Value{static_cast<ValueKind>(kind), data};
    }
    default:
      return ProtocolError("unknown tuple value kind " + std::to_string(kind));
  }
}

Result<OldTupleKind> ReadOldKind(std::uint8_t marker) {
  if (marker == 'K') return OldTupleKind::kKey;
  if (marker == 'O') return OldTupleKind::kFull;
  return ProtocolError("expected tuple marker K or O, got " + std::to_string(marker));
}

Status ExpectNewTupleMarker(std::uint8_t marker) {
  if (marker == 'N') return Status::OK();
  return ProtocolError("expected tuple marker N, got " + std::to_string(marker));
}

bool IsStreamingType(char type) { return type == 'S' || type == 'E' || type == 'c' || type == 'A'; }

bool IsTwoPhaseType(char type) {
  return type == 'b' || type == 'P' || type == 'K' || type == 'r' || type == 'p';
}

}  // namespace

std::string_view MessageTypeName(char type) {
  switch (type) {
    case 'B':
      return "Begin";
    case 'C':
      return "Commit";
    case 'O':
      return "Origin";
    case 'R':
      return "Relation";
    case 'Y':
      return "Type";
    case 'I':
      return "Insert";
    case 'U':
      return "Update";
    case 'D':
      return "Delete";
    case 'T':
      return "Truncate";
    case 'M':
      return "Message";
    case 'S':
      return "Stream Start";
    case 'E':
      return "Stream Stop";
    case 'c':
      return "Stream Commit";
    case 'A':
      return "Stream Abort";
    case 'b':
      return "Begin Prepare";
    case 'P':
      return "Prepare";
    case 'K':
      return "Commit Prepared";
    case 'r':
      return "Rollback Prepared";
    case 'p':
      return "Stream Prepare";
    default:
      return "unknown";
  }
}

Result<Message> Decoder::Decode(Bytes payload) {
  if (payload.empty()) return ProtocolError("empty pgoutput message");
  const char type = static_cast<char>(payload[0]);
  const std::string name(MessageTypeName(type));
  if (IsStreamingType(type) || IsTwoPhaseType(type)) {
    return Status::Unimplemented(
        "pgoutput " + name + " message: streamed and two-phase transactions (protocol " +
        "version 2+) are not supported; the stream must be started with proto_version '1'");
  }
  WireReader r(payload.subspan(1));
  Result<Message> out = DecodeBody(type, r);
  if (out.ok()) {
    Status end = r.ExpectEnd("message");
    if (!end.ok()) out = end;
  }
  if (out.ok()) return out;
  return out.status().WithContext("pgoutput " + name + " message (type byte " +
                                  std::to_string(static_cast<std::uint8_t>(type)) + ") at offset " +
                                  std::to_string(r.offset() + 1));
}

Result<Message> Decoder::DecodeBody(char type, WireReader& r) {
  switch (type) {
    case 'B':
      return DecodeBegin(r);
    case 'C':
      return DecodeCommit(r);
    case 'O':
      return DecodeOrigin(r);
    case 'R':
      return DecodeRelation(r);
    case 'Y':
      return DecodeType(r);
    case 'I': {
      Insert m;
      RB_ASSIGN_OR_RETURN(m.relation_id, ReadOid(r, "relation id"));
      RB_ASSIGN_OR_RETURN(std::uint8_t marker, r.U8("tuple marker"));
      RB_RETURN_NOT_OK(ExpectNewTupleMarker(marker));
      RB_ASSIGN_OR_RETURN(m.new_tuple, DecodeTuple(r, &new_values_));
      return Message(m);
    }
    case 'U':
      return DecodeUpdate(r);
    case 'D':
      return DecodeDelete(r);
    case 'T':
      return DecodeTruncate(r);
    case 'M':
      return DecodeLogicalMessage(r);
    default:
      return ProtocolError("unknown message type");
  }
}

Result<Message> Decoder::DecodeRelation(WireReader& r) {
  Relation m;
  RB_ASSIGN_OR_RETURN(m.relation_id, ReadOid(r, "relation id"));
  RB_ASSIGN_OR_RETURN(m.namespace_name, r.CString("namespace"));
  RB_ASSIGN_OR_RETURN(m.relation_name, r.CString("relation name"));
  RB_ASSIGN_OR_RETURN(std::uint8_t identity, r.U8("replica identity"));
  m.replica_identity = static_cast<char>(identity);
  if (identity != 'd' && identity != 'n' && identity != 'f' && identity != 'i') {
    return ProtocolError("unknown replica identity " + std::to_string(identity));
  }
  RB_ASSIGN_OR_RETURN(std::int16_t count, r.I16("column count"));
  const auto n = static_cast<std::uint16_t>(count);
  RB_RETURN_NOT_OK(CheckCount(n, kMinColumnBytes, r, "column count"));
  columns_.clear();
  for (std::uint16_t i = 0; i < n; ++i) {
    RB_ASSIGN_OR_RETURN(Column c, DecodeColumn(r));
    columns_.push_back(c);
  }
  m.columns = columns_;
  return Message(m);
}

Result<Message> Decoder::DecodeUpdate(WireReader& r) {
  Update m;
  RB_ASSIGN_OR_RETURN(m.relation_id, ReadOid(r, "relation id"));
  RB_ASSIGN_OR_RETURN(std::uint8_t marker, r.U8("tuple marker"));
  if (marker != 'N') {
    RB_ASSIGN_OR_RETURN(m.old_kind, ReadOldKind(marker));
    RB_ASSIGN_OR_RETURN(m.old_tuple, DecodeTuple(r, &old_values_));
    RB_ASSIGN_OR_RETURN(marker, r.U8("new tuple marker"));
    RB_RETURN_NOT_OK(ExpectNewTupleMarker(marker));
  }
  RB_ASSIGN_OR_RETURN(m.new_tuple, DecodeTuple(r, &new_values_));
  return Message(m);
}

Result<Message> Decoder::DecodeDelete(WireReader& r) {
  Delete m;
  RB_ASSIGN_OR_RETURN(m.relation_id, ReadOid(r, "relation id"));
  RB_ASSIGN_OR_RETURN(std::uint8_t marker, r.U8("tuple marker"));
  RB_ASSIGN_OR_RETURN(m.old_kind, ReadOldKind(marker));
  RB_ASSIGN_OR_RETURN(m.old_tuple, DecodeTuple(r, &old_values_));
  return Message(m);
}

Result<Message> Decoder::DecodeTruncate(WireReader& r) {
  Truncate m;
  RB_ASSIGN_OR_RETURN(std::int32_t count, r.I32("relation count"));
  RB_ASSIGN_OR_RETURN(m.options, r.U8("truncate options"));
  const auto n = static_cast<std::uint32_t>(count);
  RB_RETURN_NOT_OK(CheckCount(n, 4, r, "relation count"));
  relation_ids_.clear();
  for (std::uint32_t i = 0; i < n; ++i) {
    RB_ASSIGN_OR_RETURN(std::uint32_t id, ReadOid(r, "relation id"));
    relation_ids_.push_back(id);
  }
  m.relation_ids = relation_ids_;
  return Message(m);
}

Result<Tuple> Decoder::DecodeTuple(WireReader& r, std::vector<Value>* values) {
  RB_ASSIGN_OR_RETURN(std::int16_t count, r.I16("tuple column count"));
  const auto n = static_cast<std::uint16_t>(count);
  RB_RETURN_NOT_OK(CheckCount(n, 1, r, "tuple column count"));  // each value has a kind byte
  values->clear();
  for (std::uint16_t i = 0; i < n; ++i) {
    RB_ASSIGN_OR_RETURN(Value v, DecodeValue(r));
    values->push_back(v);
  }
  return Tuple(*values);
}

}  // namespace rapidbyte::pgwire::pgoutput
