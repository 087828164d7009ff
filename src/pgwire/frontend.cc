// Frontend message encoders.
#include "pgwire/frontend.h"

#include <cstring>
#include <limits>
#include <string>

namespace rapidbyte::pgwire {
namespace {

Status CheckCString(std::string_view s, const char* what) {
  if (!s.empty() && std::memchr(s.data(), 0, s.size()) != nullptr) {
    return Status::InvalidArgument(std::string(what) + " must not contain a NUL byte");
  }
  return Status::OK();
}

Status CheckCount(std::size_t n, const char* what) {
  if (n > static_cast<std::size_t>(std::numeric_limits<std::int16_t>::max())) {
    return Status::InvalidArgument(std::string("too many ") + what + ": " + std::to_string(n) +
                                   " (at most 32767)");
  }
  return Status::OK();
}

// An untagged message (startup, SSL and cancel requests).
std::size_t BeginUntagged(ByteBuffer* out) {
  const std::size_t start = out->size();
  WireWriter(out).PutU32(0);
  return start;
}

void FinishUntagged(std::size_t start, ByteBuffer* out) {
  WireWriter(out).PatchU32(start, static_cast<std::uint32_t>(out->size() - start));
}

}  // namespace

std::size_t BeginMessage(char type, ByteBuffer* out) {
  const std::size_t start = out->size();
  WireWriter w(out);
  w.PutU8(static_cast<std::uint8_t>(type));
  w.PutU32(0);
  return start;
}

Status FinishMessage(std::size_t start, ByteBuffer* out) {
  const std::uint64_t len = out->size() - start - 1;
  if (len > kMaxMessageBytes) {
    out->resize(start);
    return Status::InvalidArgument("message of " + std::to_string(len) +
                                   " bytes exceeds the 1 GiB protocol limit");
  }
  WireWriter(out).PatchU32(start + 1, static_cast<std::uint32_t>(len));
  return Status::OK();
}

Status EncodeStartup(const StartupParams& params, ByteBuffer* out) {
  for (const auto& [name, value] : params) {
    RB_RETURN_NOT_OK(CheckCString(name, "startup parameter name"));
    RB_RETURN_NOT_OK(CheckCString(value, "startup parameter value"));
    if (name.empty()) return Status::InvalidArgument("startup parameter name is empty");
  }
  const std::size_t start = BeginUntagged(out);
  WireWriter w(out);
  w.PutI32(kProtocolVersion3);
  for (const auto& [name, value] : params) {
    w.PutCString(name);
    w.PutCString(value);
  }
  w.PutU8(0);
  FinishUntagged(start, out);
  return Status::OK();
}

void EncodeSslRequest(ByteBuffer* out) {
  WireWriter w(out);
  w.PutU32(8);
  w.PutI32(kSslRequestCode);
}

void EncodeCancelRequest(std::int32_t process_id, std::int32_t secret_key, ByteBuffer* out) {
  WireWriter w(out);
  w.PutU32(16);
  w.PutI32(kCancelRequestCode);
  w.PutI32(process_id);
  w.PutI32(secret_key);
}

Status EncodePassword(std::string_view password, ByteBuffer* out) {
  RB_RETURN_NOT_OK(CheckCString(password, "password"));
  const std::size_t start = BeginMessage('p', out);
  WireWriter(out).PutCString(password);
  return FinishMessage(start, out);
}

Status EncodeSaslInitialResponse(std::string_view mechanism, std::string_view data,
                                 ByteBuffer* out) {
  RB_RETURN_NOT_OK(CheckCString(mechanism, "SASL mechanism"));
  const std::size_t start = BeginMessage('p', out);
  WireWriter w(out);
  w.PutCString(mechanism);
  w.PutI32(static_cast<std::int32_t>(data.size()));
  w.PutBytes(data);
  return FinishMessage(start, out);
}

Status EncodeSaslResponse(std::string_view data, ByteBuffer* out) {
  const std::size_t start = BeginMessage('p', out);
  WireWriter(out).PutBytes(data);
  return FinishMessage(start, out);
}

Status EncodeQuery(std::string_view sql, ByteBuffer* out) {
  RB_RETURN_NOT_OK(CheckCString(sql, "query"));
  const std::size_t start = BeginMessage('Q', out);
  WireWriter(out).PutCString(sql);
  return FinishMessage(start, out);
}

Status EncodeParse(std::string_view statement, std::string_view sql,
                   std::span<const std::uint32_t> param_oids, ByteBuffer* out) {
  RB_RETURN_NOT_OK(CheckCString(statement, "statement name"));
  RB_RETURN_NOT_OK(CheckCString(sql, "query"));
  RB_RETURN_NOT_OK(CheckCount(param_oids.size(), "parameter types"));
  const std::size_t start = BeginMessage('P', out);
  WireWriter w(out);
  w.PutCString(statement);
  w.PutCString(sql);
  w.PutI16(static_cast<std::int16_t>(param_oids.size()));
  for (std::uint32_t oid : param_oids) w.PutU32(oid);
  return FinishMessage(start, out);
}

Status EncodeBind(std::string_view portal, std::string_view statement,
                  std::span<const Param> params, Format result_format, ByteBuffer* out) {
  RB_RETURN_NOT_OK(CheckCString(portal, "portal name"));
  RB_RETURN_NOT_OK(CheckCString(statement, "statement name"));
  RB_RETURN_NOT_OK(CheckCount(params.size(), "parameters"));
  for (const Param& p : params) {
    if (p.value && p.value->size() > static_cast<std::size_t>(INT32_MAX)) {
      return Status::InvalidArgument("parameter value exceeds 2 GiB");
    }
  }
  const std::size_t start = BeginMessage('B', out);
  WireWriter w(out);
  w.PutCString(portal);
  w.PutCString(statement);
  w.PutI16(static_cast<std::int16_t>(params.size()));
  for (const Param& p : params) w.PutI16(static_cast<std::int16_t>(p.format));
  w.PutI16(static_cast<std::int16_t>(params.size()));
  for (const Param& p : params) {
    if (!p.value) {
      w.PutI32(-1);
      continue;
    }
    w.PutI32(static_cast<std::int32_t>(p.value->size()));
    w.PutBytes(*p.value);
  }
  w.PutI16(1);  // one result format code applies to every column
  w.PutI16(static_cast<std::int16_t>(result_format));
  return FinishMessage(start, out);
}

Status EncodeDescribe(char kind, std::string_view name, ByteBuffer* out) {
  if (kind != 'S' && kind != 'P') return Status::InvalidArgument("Describe kind must be S or P");
  RB_RETURN_NOT_OK(CheckCString(name, "statement or portal name"));
  const std::size_t start = BeginMessage('D', out);
  WireWriter w(out);
  w.PutU8(static_cast<std::uint8_t>(kind));
  w.PutCString(name);
  return FinishMessage(start, out);
}

Status EncodeExecute(std::string_view portal, std::int32_t max_rows, ByteBuffer* out) {
  RB_RETURN_NOT_OK(CheckCString(portal, "portal name"));
  const std::size_t start = BeginMessage('E', out);
  WireWriter w(out);
  w.PutCString(portal);
  w.PutI32(max_rows);
  return FinishMessage(start, out);
}

Status EncodeClose(char kind, std::string_view name, ByteBuffer* out) {
  if (kind != 'S' && kind != 'P') return Status::InvalidArgument("Close kind must be S or P");
  RB_RETURN_NOT_OK(CheckCString(name, "statement or portal name"));
  const std::size_t start = BeginMessage('C', out);
  WireWriter w(out);
  w.PutU8(static_cast<std::uint8_t>(kind));
  w.PutCString(name);
  return FinishMessage(start, out);
}

void EncodeSync(ByteBuffer* out) { (void)FinishMessage(BeginMessage('S', out), out); }
void EncodeFlush(ByteBuffer* out) { (void)FinishMessage(BeginMessage('H', out), out); }
void EncodeTerminate(ByteBuffer* out) { (void)FinishMessage(BeginMessage('X', out), out); }
void EncodeCopyDone(ByteBuffer* out) { (void)FinishMessage(BeginMessage('c', out), out); }

Status EncodeCopyData(Bytes data, ByteBuffer* out) {
  if (data.size() > kMaxMessageBytes - 4) {
    return Status::InvalidArgument("CopyData chunk exceeds the 1 GiB protocol limit");
  }
  const std::size_t start = BeginMessage('d', out);
  WireWriter(out).PutBytes(data);
  return FinishMessage(start, out);
}

Status EncodeCopyFail(std::string_view reason, ByteBuffer* out) {
  RB_RETURN_NOT_OK(CheckCString(reason, "CopyFail reason"));
  const std::size_t start = BeginMessage('f', out);
  WireWriter(out).PutCString(reason);
  return FinishMessage(start, out);
}

}  // namespace rapidbyte::pgwire
