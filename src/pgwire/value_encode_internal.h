// Per-type encode functions of the COPY binary encoder (Arrow value -> int32 length + the
// binary format of the destination type), chosen once per column. Internal to pgwire.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include "arrow/array.h"
#include "arrow/byte_buffer.h"
#include "base/result.h"
#include "pgwire/copy_encoder.h"
#include "pgwire/short_bytes.h"

namespace rapidbyte::pgwire::encode_internal {

struct EncodeContext;

/// Append value `i` (not NULL) of `array` with its length prefix. Errors are data errors of
/// the row (OutOfRange/InvalidArgument) or allocation failures.
using EncodeFn = Status (*)(const arrow::ArrayView& array, std::int64_t i, EncodeContext& ctx,
                            arrow::ByteBuffer* out);

struct EncodeContext {
  EncodeFn element = nullptr;     ///< lists: the element encoder
  std::uint32_t elem_oid = 0;     ///< lists: the element type written in the array header
  std::string scratch;            ///< reusable conversion buffer
};

/// A chosen encoder (wrapped: Result<> of a bare function pointer trips GCC's -Wshadow).
struct Encoder {
  EncodeFn fn = nullptr;
};

/// Choose the encoder for Arrow `type` into `target` (lists: also fills ctx->element).
Result<Encoder> SelectEncoder(const arrow::DataType& type, const TargetColumn& target,
                               EncodeContext* ctx);

/// Big-endian stores into reserved space.
inline void StoreBe16(std::uint8_t* p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}
inline void StoreBe32(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 24);
  p[1] = static_cast<std::uint8_t>(v >> 16);
  p[2] = static_cast<std::uint8_t>(v >> 8);
  p[3] = static_cast<std::uint8_t>(v);
}
inline void StoreBe64(std::uint8_t* p, std::uint64_t v) {
  StoreBe32(p, static_cast<std::uint32_t>(v >> 32));
  StoreBe32(p + 4, static_cast<std::uint32_t>(v));
}

/// Reserve `n` more bytes and return where they start (the size already includes them).
[[gnu::always_inline]] inline Result<std::uint8_t*> Extend(arrow::ByteBuffer* out,
                                                            std::int64_t n) {
  RB_RETURN_NOT_OK(out->Reserve(out->size() + n));
  std::uint8_t* p = out->data() + out->size();
  out->UnsafeSetSize(out->size() + n);
  return p;
}

/// The error of a value over PostgreSQL's 1 GiB limit (built out of line).
[[gnu::noinline, gnu::cold]] Status ValueTooLarge();

/// Append a length-prefixed value of `n` bytes from `bytes`.
[[gnu::always_inline]] inline Status PutValue(arrow::ByteBuffer* out, const void* bytes,
                                              std::int64_t n) {
  if (n > 0x3FFFFFFF) return ValueTooLarge();
  RB_ASSIGN_OR_RETURN(std::uint8_t * p, Extend(out, 4 + n));
  StoreBe32(p, static_cast<std::uint32_t>(n));
  short_bytes::Copy(p + 4, static_cast<const std::uint8_t*>(bytes), static_cast<std::size_t>(n));
  return Status::OK();
}

/// The list encoder (array_encode.cc).
Status EncodeList(const arrow::ArrayView& array, std::int64_t i, EncodeContext& ctx,
                  arrow::ByteBuffer* out);

/// Epoch shifts between 1970-01-01 and 2000-01-01.
inline constexpr std::int32_t kEpochShiftDays = 10957;
inline constexpr std::int64_t kEpochShiftMicros = std::int64_t{kEpochShiftDays} * 86400000000;

}  // namespace rapidbyte::pgwire::encode_internal

namespace rapidbyte::pgwire::encode_internal {
/// True for utf8/large_utf8 into a type without a binary path from text (RequiresTextFormat).
bool IsTextInputOnly(const arrow::DataType& type, const TargetColumn& target);
}  // namespace rapidbyte::pgwire::encode_internal
