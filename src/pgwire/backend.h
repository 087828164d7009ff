// Backend (server -> client) message codec for protocol 3.0, with no I/O (the shape of
// rust-postgres' Message::parse). ParseFrame finds one message in a byte buffer and answers
// "need more bytes", "one frame" or an error; ParseBackendMessage then decodes the frame's
// body into a typed view. Every length is checked against the bytes that remain, in 64-bit
// arithmetic, and a message with trailing bytes is rejected. Views point into the input.
// Portable.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.h"
#include "pgwire/frontend.h"
#include "pgwire/server_error.h"
#include "pgwire/wire_buffer.h"

namespace rapidbyte::pgwire {

/// One framed message: its type byte and body (without the type and length fields).
struct Frame {
  char type = 0;
  Bytes body;
  /// Bytes the frame occupies in the input (1 + the length field).
  std::size_t wire_size = 0;
};

/// Find the first message in `buffer`. Returns std::nullopt when more bytes are needed (then
/// `*needed`, if given, is the total buffer size required when known, else 5), a Frame, or a
/// PROTOCOL_ERROR for a length below 4 or above `max_message_bytes`.
Result<std::optional<Frame>> ParseFrame(Bytes buffer, std::uint64_t max_message_bytes,
                                        std::size_t* needed = nullptr);

enum class TransactionStatus : char { kIdle = 'I', kInTransaction = 'T', kFailed = 'E' };

// Authentication request codes ('R' messages).
enum class AuthCode : std::int32_t {
  kOk = 0,
  kKerberosV5 = 2,
  kCleartextPassword = 3,
  kMd5Password = 5,
  kGss = 7,
  kGssContinue = 8,
  kSspi = 9,
  kSasl = 10,
  kSaslContinue = 11,
  kSaslFinal = 12,
};

struct AuthenticationMsg {
  std::int32_t code = 0;
  Bytes data;  // MD5: the 4-byte salt; SASL: the mechanism list; SASL continue/final: data
};
struct BackendKeyDataMsg {
  std::int32_t process_id = 0;
  std::int32_t secret_key = 0;
};
struct ParameterStatusMsg {
  std::string_view name;
  std::string_view value;
};
struct ReadyForQueryMsg {
  TransactionStatus status = TransactionStatus::kIdle;
};
struct FieldDescription {
  std::string name;
  std::uint32_t table_oid = 0;
  std::int16_t column_number = 0;
  std::uint32_t type_oid = 0;
  std::int16_t type_size = 0;
  std::int32_t type_modifier = -1;
  Format format = Format::kText;
};
struct RowDescriptionMsg {
  std::vector<FieldDescription> fields;
};
/// A validated DataRow: `count` cells, each a 4-byte length (-1 = NULL) and its bytes.
struct DataRowMsg {
  std::uint16_t count = 0;
  Bytes cells;
};
struct CommandCompleteMsg {
  std::string_view tag;
};
struct ErrorResponseMsg {
  ServerErrorFields fields;
};
struct NoticeResponseMsg {
  ServerErrorFields fields;
};
/// CopyInResponse ('G'), CopyOutResponse ('H') or CopyBothResponse ('W').
struct CopyResponseMsg {
  char type = 0;
  Format overall = Format::kText;
  std::vector<Format> columns;
};
struct CopyDataMsg {
  Bytes data;
};
struct ParameterDescriptionMsg {
  std::vector<std::uint32_t> type_oids;
};
struct NotificationMsg {
  std::int32_t process_id = 0;
  std::string_view channel;
  std::string_view payload;
};
struct NegotiateProtocolVersionMsg {
  std::int32_t newest_minor = 0;
  std::vector<std::string_view> unrecognized_options;
};
/// A message without a body: ParseComplete '1', BindComplete '2', CloseComplete '3',
/// NoData 'n', PortalSuspended 's', EmptyQueryResponse 'I', CopyDone 'c'.
struct EmptyMsg {
  char type = 0;
};

using BackendMessage =
    std::variant<AuthenticationMsg, BackendKeyDataMsg, ParameterStatusMsg, ReadyForQueryMsg,
                 RowDescriptionMsg, DataRowMsg, CommandCompleteMsg, ErrorResponseMsg,
                 NoticeResponseMsg, CopyResponseMsg, CopyDataMsg, ParameterDescriptionMsg,
                 NotificationMsg, NegotiateProtocolVersionMsg, EmptyMsg>;

/// Decode a frame. Unknown message types are a PROTOCOL_ERROR.
Result<BackendMessage> ParseBackendMessage(const Frame& frame);

// Typed decoders, used directly on hot paths.
Result<AuthenticationMsg> ParseAuthentication(Bytes body);
Result<ReadyForQueryMsg> ParseReadyForQuery(Bytes body);
Result<RowDescriptionMsg> ParseRowDescription(Bytes body);
Result<DataRowMsg> ParseDataRow(Bytes body);
Result<CopyResponseMsg> ParseCopyResponse(char type, Bytes body);
Result<CommandCompleteMsg> ParseCommandComplete(Bytes body);
/// The mechanism names of an AuthenticationSASL request.
Result<std::vector<std::string_view>> ParseSaslMechanisms(Bytes data);

/// Visit the cells of a validated DataRow: `fn(index, std::optional<Bytes>)`.
template <typename Fn>
void ForEachCell(const DataRowMsg& row, Fn&& fn) {
  const std::uint8_t* p = row.cells.data();
  for (std::uint16_t i = 0; i < row.count; ++i) {
    const auto len = static_cast<std::int32_t>(LoadU32(p));
    p += 4;
    if (len < 0) {
      fn(i, std::optional<Bytes>());
      continue;
    }
    fn(i, std::optional<Bytes>(Bytes(p, static_cast<std::size_t>(len))));
    p += len;
  }
}

}  // namespace rapidbyte::pgwire
