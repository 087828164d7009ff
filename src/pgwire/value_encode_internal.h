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

/// Append value `i` (not NULL) of `array` with its length prefix and return true; on a data
/// error of the row (OutOfRange/InvalidArgument) or an allocation failure, store it in
/// ctx.error and return false. A bool rather than a Status because this runs once per value:
/// a Status return costs a hidden result pointer and a destructor call every time.
using EncodeFn = bool (*)(const arrow::ArrayView& array, std::int64_t i, EncodeContext& ctx,
                          arrow::ByteBuffer* out);

struct EncodeContext {
  EncodeFn element = nullptr;     ///< lists: the element encoder
  std::uint32_t elem_oid = 0;     ///< lists: the element type written in the array header
  std::string scratch;            ///< reusable conversion buffer
  Status error;                   ///< why the last EncodeFn returned false
};

/// Store `status` (an error) in ctx.error; returns false for `return Fail(ctx, ...)`.
[[gnu::noinline, gnu::cold]] bool Fail(EncodeContext& ctx, Status status);

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

/// Extend's slow path: grow `out`, then extend it; nullptr (ctx.error set) when growing fails.
[[gnu::noinline]] std::uint8_t* GrowAndExtend(arrow::ByteBuffer* out, std::int64_t n,
                                              EncodeContext& ctx);

/// Add `n` bytes to `out` and return where they start, or nullptr with ctx.error set.
[[gnu::always_inline]] inline std::uint8_t* Extend(arrow::ByteBuffer* out, std::int64_t n,
                                                   EncodeContext& ctx) {
  const std::int64_t size = out->size();
  if (size + n > out->capacity()) [[unlikely]] return GrowAndExtend(out, n, ctx);
  out->UnsafeSetSize(size + n);
  return out->data() + size;
}

/// Fail with the error of a value over PostgreSQL's 1 GiB limit.
[[gnu::noinline, gnu::cold]] bool ValueTooLarge(EncodeContext& ctx);

/// Append a length-prefixed value of `n` bytes from `bytes`.
[[gnu::always_inline]] inline bool PutValue(arrow::ByteBuffer* out, const void* bytes,
                                            std::int64_t n, EncodeContext& ctx) {
  if (n > 0x3FFFFFFF) return ValueTooLarge(ctx);
  std::uint8_t* p = Extend(out, 4 + n, ctx);
  if (p == nullptr) return false;
  StoreBe32(p, static_cast<std::uint32_t>(n));
  short_bytes::Copy(p + 4, static_cast<const std::uint8_t*>(bytes), static_cast<std::size_t>(n));
  return true;
}

/// The list encoder (array_encode.cc).
bool EncodeList(const arrow::ArrayView& array, std::int64_t i, EncodeContext& ctx,
                arrow::ByteBuffer* out);

/// Epoch shifts between 1970-01-01 and 2000-01-01.
inline constexpr std::int32_t kEpochShiftDays = 10957;
inline constexpr std::int64_t kEpochShiftMicros = std::int64_t{kEpochShiftDays} * 86400000000;

}  // namespace rapidbyte::pgwire::encode_internal

namespace rapidbyte::pgwire::encode_internal {
/// True for utf8/large_utf8 into a type without a binary path from text (RequiresTextFormat).
bool IsTextInputOnly(const arrow::DataType& type, const TargetColumn& target);
}  // namespace rapidbyte::pgwire::encode_internal
