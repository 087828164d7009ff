// WireReader: bounds-checked reads from untrusted protocol bytes.
#include "pgwire/wire_buffer.h"

#include <string>

#include "pgwire/error_mapping.h"

namespace rapidbyte::pgwire {

Status ProtocolError(std::string message) {
  return Status::DataLoss("malformed PostgreSQL message: " + message)
      .WithDetail(MakeClientError(kCodeProtocolError, ErrorCategory::kInternal));
}

Status WireReader::Truncated(const char* what) const {
  return ProtocolError(std::string(what) + " runs past the end of the message (" +
                       std::to_string(remaining()) + " bytes left)");
}

Result<std::uint8_t> WireReader::U8(const char* what) {
  if (remaining() < 1) return Truncated(what);
  return data_[pos_++];
}

Result<std::int16_t> WireReader::I16(const char* what) {
  if (remaining() < 2) return Truncated(what);
  const auto v = static_cast<std::int16_t>(LoadU16(data_.data() + pos_));
  pos_ += 2;
  return v;
}

Result<std::int32_t> WireReader::I32(const char* what) {
  if (remaining() < 4) return Truncated(what);
  const auto v = static_cast<std::int32_t>(LoadU32(data_.data() + pos_));
  pos_ += 4;
  return v;
}

Result<std::int64_t> WireReader::I64(const char* what) {
  if (remaining() < 8) return Truncated(what);
  const auto v = static_cast<std::int64_t>(LoadU64(data_.data() + pos_));
  pos_ += 8;
  return v;
}

Result<std::string_view> WireReader::CString(const char* what) {
  if (remaining() == 0) return Truncated(what);
  const std::uint8_t* begin = data_.data() + pos_;
  const void* nul = std::memchr(begin, 0, remaining());
  if (nul == nullptr) {
    return ProtocolError(std::string(what) + " is not NUL-terminated");
  }
  const auto len = static_cast<std::size_t>(static_cast<const std::uint8_t*>(nul) - begin);
  pos_ += len + 1;
  return std::string_view(reinterpret_cast<const char*>(begin), len);
}

Result<Bytes> WireReader::Take(std::uint64_t n, const char* what) {
  if (n > remaining()) return Truncated(what);
  Bytes out = data_.subspan(pos_, static_cast<std::size_t>(n));
  pos_ += static_cast<std::size_t>(n);
  return out;
}

Bytes WireReader::Rest() {
  Bytes out = data_.subspan(pos_);
  pos_ = data_.size();
  return out;
}

Status WireReader::ExpectEnd(const char* what) const {
  if (remaining() == 0) return Status::OK();
  return ProtocolError(std::string(what) + " has " + std::to_string(remaining()) +
                       " unexpected trailing bytes");
}

}  // namespace rapidbyte::pgwire
