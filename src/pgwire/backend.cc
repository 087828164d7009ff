// Backend message framing and decoders. Every count read from the wire is checked against the
// bytes that remain before anything is reserved, so a hostile count cannot force a large
// allocation.
#include "pgwire/backend.h"

#include <string>

namespace rapidbyte::pgwire {
namespace {

Status ExpectEmpty(const Frame& frame, const char* what) {
  if (!frame.body.empty()) {
    return ProtocolError(std::string(what) + " must have an empty body, got " +
                         std::to_string(frame.body.size()) + " bytes");
  }
  return Status::OK();
}

Result<Format> ReadFormat(WireReader* r, const char* what) {
  RB_ASSIGN_OR_RETURN(std::int16_t code, r->I16(what));
  if (code != 0 && code != 1) {
    return ProtocolError(std::string(what) + " has unknown format code " + std::to_string(code));
  }
  return static_cast<Format>(code);
}

// Read an int16 element count and check that `min_element_bytes` per element can still follow.
Result<std::uint16_t> ReadCount(WireReader* r, std::size_t min_element_bytes, const char* what) {
  RB_ASSIGN_OR_RETURN(std::int16_t count, r->I16(what));
  if (count < 0) return ProtocolError(std::string(what) + " is negative");
  if (static_cast<std::uint64_t>(count) * min_element_bytes > r->remaining()) {
    return ProtocolError(std::string(what) + " of " + std::to_string(count) +
                         " exceeds the message size");
  }
  return static_cast<std::uint16_t>(count);
}

}  // namespace

Result<std::optional<Frame>> ParseFrame(Bytes buffer, std::uint64_t max_message_bytes,
                                        std::size_t* needed) {
  if (buffer.size() < 5) {
    if (needed != nullptr) *needed = 5;
    return std::optional<Frame>();
  }
  const std::uint64_t len = LoadU32(buffer.data() + 1);
  if (len < 4) return ProtocolError("message length " + std::to_string(len) + " is below 4");
  if (len > max_message_bytes) {
    return ProtocolError("message of " + std::to_string(len) + " bytes exceeds the limit of " +
                         std::to_string(max_message_bytes));
  }
  const std::uint64_t total = len + 1;
  if (total > buffer.size()) {
    if (needed != nullptr) *needed = static_cast<std::size_t>(total);
    return std::optional<Frame>();
  }
  Frame frame;
  frame.type = static_cast<char>(buffer[0]);
  frame.body = buffer.subspan(5, static_cast<std::size_t>(len - 4));
  frame.wire_size = static_cast<std::size_t>(total);
  return std::optional<Frame>(frame);
}

Result<AuthenticationMsg> ParseAuthentication(Bytes body) {
  WireReader r(body);
  AuthenticationMsg msg;
  RB_ASSIGN_OR_RETURN(msg.code, r.I32("authentication code"));
  msg.data = r.Rest();
  switch (static_cast<AuthCode>(msg.code)) {
    case AuthCode::kOk:
    case AuthCode::kCleartextPassword:
    case AuthCode::kKerberosV5:
    case AuthCode::kSspi:
    case AuthCode::kGss:
      if (!msg.data.empty()) return ProtocolError("authentication request has trailing bytes");
      break;
    case AuthCode::kMd5Password:
      if (msg.data.size() != 4) return ProtocolError("MD5 salt must be 4 bytes");
      break;
    default:
      break;  // SASL data is checked by the SCRAM client; unknown codes by the caller
  }
  return msg;
}

Result<std::vector<std::string_view>> ParseSaslMechanisms(Bytes data) {
  WireReader r(data);
  std::vector<std::string_view> names;
  while (true) {
    RB_ASSIGN_OR_RETURN(std::string_view name, r.CString("SASL mechanism"));
    if (name.empty()) break;
    names.push_back(name);
  }
  RB_RETURN_NOT_OK(r.ExpectEnd("SASL mechanism list"));
  return names;
}

Result<ReadyForQueryMsg> ParseReadyForQuery(Bytes body) {
  WireReader r(body);
  RB_ASSIGN_OR_RETURN(std::uint8_t s, r.U8("transaction status"));
  RB_RETURN_NOT_OK(r.ExpectEnd("ReadyForQuery"));
  if (s != 'I' && s != 'T' && s != 'E') {
    return ProtocolError("unknown transaction status " + std::to_string(s));
  }
  return ReadyForQueryMsg{static_cast<TransactionStatus>(s)};
}

Result<RowDescriptionMsg> ParseRowDescription(Bytes body) {
  WireReader r(body);
  RB_ASSIGN_OR_RETURN(std::uint16_t count, ReadCount(&r, 19, "RowDescription field count"));
  RowDescriptionMsg msg;
  msg.fields.resize(count);
  for (FieldDescription& f : msg.fields) {
    RB_ASSIGN_OR_RETURN(std::string_view name, r.CString("field name"));
    f.name.assign(name);
    RB_ASSIGN_OR_RETURN(std::int32_t table_oid, r.I32("table OID"));
    RB_ASSIGN_OR_RETURN(f.column_number, r.I16("column number"));
    RB_ASSIGN_OR_RETURN(std::int32_t type_oid, r.I32("type OID"));
    RB_ASSIGN_OR_RETURN(f.type_size, r.I16("type size"));
    RB_ASSIGN_OR_RETURN(f.type_modifier, r.I32("type modifier"));
    RB_ASSIGN_OR_RETURN(f.format, ReadFormat(&r, "field format"));
    f.table_oid = static_cast<std::uint32_t>(table_oid);
    f.type_oid = static_cast<std::uint32_t>(type_oid);
  }
  RB_RETURN_NOT_OK(r.ExpectEnd("RowDescription"));
  return msg;
}

Result<DataRowMsg> ParseDataRow(Bytes body) {
  WireReader r(body);
  RB_ASSIGN_OR_RETURN(std::uint16_t count, ReadCount(&r, 4, "DataRow column count"));
  DataRowMsg msg{count, r.Rest()};
  WireReader cells(msg.cells);
  for (std::uint16_t i = 0; i < count; ++i) {
    RB_ASSIGN_OR_RETURN(std::int32_t len, cells.I32("column length"));
    if (len < -1) return ProtocolError("column length " + std::to_string(len) + " is invalid");
    if (len > 0) RB_RETURN_NOT_OK(cells.Take(static_cast<std::uint64_t>(len), "column").status());
  }
  RB_RETURN_NOT_OK(cells.ExpectEnd("DataRow"));
  return msg;
}

Result<CopyResponseMsg> ParseCopyResponse(char type, Bytes body) {
  WireReader r(body);
  CopyResponseMsg msg;
  msg.type = type;
  RB_ASSIGN_OR_RETURN(std::uint8_t overall, r.U8("copy format"));
  if (overall > 1) return ProtocolError("unknown copy format " + std::to_string(overall));
  msg.overall = static_cast<Format>(overall);
  RB_ASSIGN_OR_RETURN(std::uint16_t count, ReadCount(&r, 2, "copy column count"));
  msg.columns.reserve(count);
  for (std::uint16_t i = 0; i < count; ++i) {
    RB_ASSIGN_OR_RETURN(Format f, ReadFormat(&r, "copy column format"));
    if (msg.overall == Format::kText && f != Format::kText) {
      return ProtocolError("text COPY with a binary column");
    }
    msg.columns.push_back(f);
  }
  RB_RETURN_NOT_OK(r.ExpectEnd("CopyResponse"));
  return msg;
}

Result<CommandCompleteMsg> ParseCommandComplete(Bytes body) {
  WireReader r(body);
  RB_ASSIGN_OR_RETURN(std::string_view tag, r.CString("command tag"));
  RB_RETURN_NOT_OK(r.ExpectEnd("CommandComplete"));
  return CommandCompleteMsg{tag};
}

namespace {

Result<BackendMessage> ParseOther(const Frame& frame) {
  WireReader r(frame.body);
  switch (frame.type) {
    case 'K': {
      BackendKeyDataMsg msg;
      RB_ASSIGN_OR_RETURN(msg.process_id, r.I32("process id"));
      RB_ASSIGN_OR_RETURN(msg.secret_key, r.I32("secret key"));
      RB_RETURN_NOT_OK(r.ExpectEnd("BackendKeyData"));
      return BackendMessage(msg);
    }
    case 'S': {
      ParameterStatusMsg msg;
      RB_ASSIGN_OR_RETURN(msg.name, r.CString("parameter name"));
      RB_ASSIGN_OR_RETURN(msg.value, r.CString("parameter value"));
      RB_RETURN_NOT_OK(r.ExpectEnd("ParameterStatus"));
      return BackendMessage(msg);
    }
    case 't': {
      ParameterDescriptionMsg msg;
      RB_ASSIGN_OR_RETURN(std::uint16_t count, ReadCount(&r, 4, "parameter count"));
      msg.type_oids.reserve(count);
      for (std::uint16_t i = 0; i < count; ++i) {
        RB_ASSIGN_OR_RETURN(std::int32_t oid, r.I32("parameter type"));
        msg.type_oids.push_back(static_cast<std::uint32_t>(oid));
      }
      RB_RETURN_NOT_OK(r.ExpectEnd("ParameterDescription"));
      return BackendMessage(std::move(msg));
    }
    case 'A': {
      NotificationMsg msg;
      RB_ASSIGN_OR_RETURN(msg.process_id, r.I32("notifying process id"));
      RB_ASSIGN_OR_RETURN(msg.channel, r.CString("channel"));
      RB_ASSIGN_OR_RETURN(msg.payload, r.CString("payload"));
      RB_RETURN_NOT_OK(r.ExpectEnd("NotificationResponse"));
      return BackendMessage(msg);
    }
    case 'v': {
      NegotiateProtocolVersionMsg msg;
      RB_ASSIGN_OR_RETURN(msg.newest_minor, r.I32("newest minor version"));
      RB_ASSIGN_OR_RETURN(std::int32_t count, r.I32("option count"));
      if (count < 0 || static_cast<std::uint64_t>(count) > r.remaining()) {
        return ProtocolError("option count " + std::to_string(count) + " is invalid");
      }
      for (std::int32_t i = 0; i < count; ++i) {
        RB_ASSIGN_OR_RETURN(std::string_view option, r.CString("option name"));
        msg.unrecognized_options.push_back(option);
      }
      RB_RETURN_NOT_OK(r.ExpectEnd("NegotiateProtocolVersion"));
      return BackendMessage(std::move(msg));
    }
    default:
      return ProtocolError("unknown message type " +
                           std::to_string(static_cast<unsigned char>(frame.type)));
  }
}

}  // namespace

Result<BackendMessage> ParseBackendMessage(const Frame& frame) {
  switch (frame.type) {
    case 'R': {
      RB_ASSIGN_OR_RETURN(AuthenticationMsg msg, ParseAuthentication(frame.body));
      return BackendMessage(msg);
    }
    case 'Z': {
      RB_ASSIGN_OR_RETURN(ReadyForQueryMsg msg, ParseReadyForQuery(frame.body));
      return BackendMessage(msg);
    }
    case 'T': {
      RB_ASSIGN_OR_RETURN(RowDescriptionMsg msg, ParseRowDescription(frame.body));
      return BackendMessage(std::move(msg));
    }
    case 'D': {
      RB_ASSIGN_OR_RETURN(DataRowMsg msg, ParseDataRow(frame.body));
      return BackendMessage(msg);
    }
    case 'C': {
      RB_ASSIGN_OR_RETURN(CommandCompleteMsg msg, ParseCommandComplete(frame.body));
      return BackendMessage(msg);
    }
    case 'E': {
      RB_ASSIGN_OR_RETURN(ServerErrorFields fields, ParseServerErrorFields(frame.body));
      return BackendMessage(ErrorResponseMsg{std::move(fields)});
    }
    case 'N': {
      RB_ASSIGN_OR_RETURN(ServerErrorFields fields, ParseServerErrorFields(frame.body));
      return BackendMessage(NoticeResponseMsg{std::move(fields)});
    }
    case 'G':
    case 'H':
    case 'W': {
      RB_ASSIGN_OR_RETURN(CopyResponseMsg msg, ParseCopyResponse(frame.type, frame.body));
      return BackendMessage(std::move(msg));
    }
    case 'd':
      return BackendMessage(CopyDataMsg{frame.body});
    case '1':
    case '2':
    case '3':
    case 'n':
    case 's':
    case 'I':
    case 'c':
      RB_RETURN_NOT_OK(ExpectEmpty(frame, "message"));
      return BackendMessage(EmptyMsg{frame.type});
    default:
      return ParseOther(frame);
  }
}

}  // namespace rapidbyte::pgwire
