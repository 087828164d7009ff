// Frontend (client -> server) message encoders for protocol 3.0. Each function appends one
// complete message to a caller-owned buffer and does no I/O; strings that would carry a NUL
// or sizes that do not fit the wire fields are rejected with InvalidArgument and leave the
// buffer as it was. Portable.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "pgwire/wire_buffer.h"

namespace rapidbyte::pgwire {

using ByteBuffer = std::vector<std::uint8_t>;

inline constexpr std::int32_t kProtocolVersion3 = 196608;     // 3 << 16
inline constexpr std::int32_t kSslRequestCode = 80877103;     // 1234 << 16 | 5679
inline constexpr std::int32_t kCancelRequestCode = 80877102;  // 1234 << 16 | 5678

/// Wire format of a parameter or a result column.
enum class Format : std::int16_t { kText = 0, kBinary = 1 };

/// One bound parameter. `value` empty means SQL NULL; `type_oid` 0 lets the server infer it.
struct Param {
  std::uint32_t type_oid = 0;
  Format format = Format::kBinary;
  std::optional<Bytes> value;

  static Param Text(std::string_view text, std::uint32_t oid = 0) {
    return Param{oid, Format::kText,
                 Bytes(reinterpret_cast<const std::uint8_t*>(text.data()), text.size())};
  }
  static Param Binary(Bytes bytes, std::uint32_t oid) { return Param{oid, Format::kBinary, bytes}; }
  static Param Null(std::uint32_t oid = 0) { return Param{oid, Format::kBinary, std::nullopt}; }
};

using StartupParams = std::vector<std::pair<std::string, std::string>>;

Status EncodeStartup(const StartupParams& params, ByteBuffer* out);
void EncodeSslRequest(ByteBuffer* out);
void EncodeCancelRequest(std::int32_t process_id, std::int32_t secret_key, ByteBuffer* out);
/// PasswordMessage: a cleartext password or an "md5..." hash.
Status EncodePassword(std::string_view password, ByteBuffer* out);
Status EncodeSaslInitialResponse(std::string_view mechanism, std::string_view data,
                                 ByteBuffer* out);
Status EncodeSaslResponse(std::string_view data, ByteBuffer* out);

Status EncodeQuery(std::string_view sql, ByteBuffer* out);
Status EncodeParse(std::string_view statement, std::string_view sql,
                   std::span<const std::uint32_t> param_oids, ByteBuffer* out);
/// Bind `params` to `statement` into `portal`; every result column uses `result_format`.
Status EncodeBind(std::string_view portal, std::string_view statement,
                  std::span<const Param> params, Format result_format, ByteBuffer* out);
/// Describe a statement ('S') or a portal ('P').
Status EncodeDescribe(char kind, std::string_view name, ByteBuffer* out);
Status EncodeExecute(std::string_view portal, std::int32_t max_rows, ByteBuffer* out);
/// Close a statement ('S') or a portal ('P').
Status EncodeClose(char kind, std::string_view name, ByteBuffer* out);
void EncodeSync(ByteBuffer* out);
void EncodeFlush(ByteBuffer* out);
void EncodeTerminate(ByteBuffer* out);

Status EncodeCopyData(Bytes data, ByteBuffer* out);
void EncodeCopyDone(ByteBuffer* out);
Status EncodeCopyFail(std::string_view reason, ByteBuffer* out);

/// Start a tagged message whose body the caller appends itself (used to batch COPY data
/// without copying it twice). Returns the offset to pass to FinishMessage.
std::size_t BeginMessage(char type, ByteBuffer* out);
/// Patch the length of the message started at `start`; fails (and truncates the buffer back to
/// `start`) when the message exceeds the protocol's 1 GiB limit.
Status FinishMessage(std::size_t start, ByteBuffer* out);

/// Largest message either side may send (PostgreSQL's own limit, PQ_LARGE_MESSAGE_LIMIT).
inline constexpr std::uint64_t kMaxMessageBytes = 1ULL << 30;

}  // namespace rapidbyte::pgwire
