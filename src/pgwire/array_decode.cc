// One-dimensional PostgreSQL arrays (binary array_send format) -> Arrow list<T>:
// int32 ndim, int32 has-nulls flag, uint32 element OID, per dimension (int32 length, int32
// lower bound), then each element as int32 length (-1 = NULL) + bytes. More than one
// dimension or a lower bound other than 1 is a data error of the row.
#include "arrow/builder_list.h"
#include "pgwire/value_decode_internal.h"
#include "pgwire/wire_buffer.h"

namespace rapidbyte::pgwire::decode_internal {
namespace {

std::int32_t I32(const std::uint8_t* p) { return static_cast<std::int32_t>(LoadU32(p)); }

// The element count and the offset of the first element, after checking the header.
Status ParseArrayHeader(const std::uint8_t* p, std::int32_t length, std::int32_t* count,
                        std::int64_t* first) {
  if (length < 12) return ProtocolError("array value shorter than its header");
  const std::int32_t ndim = I32(p);
  const std::int32_t flags = I32(p + 4);
  if (ndim < 0 || (flags & ~1) != 0) return ProtocolError("array with a malformed header");
  if (ndim == 0) {
    if (length != 12) return ProtocolError("empty array with trailing bytes");
    *count = 0;
    *first = 12;
    return Status::OK();
  }
  if (ndim > 1) {
    return Status::OutOfRange("array with " + std::to_string(ndim) +
                              " dimensions (only one-dimensional arrays are supported)");
  }
  if (length < 20) return ProtocolError("array value shorter than its dimensions");
  const std::int32_t dim = I32(p + 12);
  const std::int32_t lower_bound = I32(p + 16);
  if (dim < 0 || std::int64_t{dim} > (std::int64_t{length} - 20) / 4) {
    return ProtocolError("array element count exceeds the value length");
  }
  if (lower_bound != 1) {
    return Status::OutOfRange("array with lower bound " + std::to_string(lower_bound) +
                              " (only 1 is supported)");
  }
  *count = dim;
  *first = 20;
  return Status::OK();
}

}  // namespace

Status CheckArray(const ColumnCodec& codec, DecodeContext& ctx, const std::uint8_t* p,
                  std::int32_t length, std::int64_t* arrow_bytes) {
  std::int32_t count = 0;
  std::int64_t pos = 0;
  RB_RETURN_NOT_OK(ParseArrayHeader(p, length, &count, &pos));
  const ValueOps ops = OpsFor(codec, /*top_level=*/false);
  std::int64_t bytes = 4;  // the list offset
  for (std::int32_t i = 0; i < count; ++i) {
    if (length - pos < 4) return ProtocolError("array element length truncated");
    const std::int32_t elen = I32(p + pos);
    pos += 4;
    if (elen == -1) {
      bytes += ops.arrow_width > 0 ? ops.arrow_width : 4;
      continue;
    }
    if (elen < -1 || elen > length - pos) return ProtocolError("array element length invalid");
    if (ops.wire_length >= 0 && elen != ops.wire_length) {
      return ProtocolError("array element of the wrong size");
    }
    if (ops.check != nullptr) {
      RB_RETURN_NOT_OK(ops.check(codec, ctx, p + pos, elen, &bytes));
    } else {
      bytes += ops.arrow_width > 0 ? ops.arrow_width : 4 + std::int64_t{elen};
    }
    pos += elen;
  }
  if (pos != length) return ProtocolError("array value with trailing bytes");
  *arrow_bytes += bytes;
  return Status::OK();
}

Status DecodeArray(arrow::ArrayBuilder* builder, const ColumnCodec& codec, DecodeContext& ctx,
                   const std::uint8_t* p, std::int32_t length) {
  std::int32_t count = 0;
  std::int64_t pos = 0;
  RB_RETURN_NOT_OK(ParseArrayHeader(p, length, &count, &pos));
  auto* list = static_cast<arrow::ListBuilder*>(builder);
  RB_RETURN_NOT_OK(list->Append());
  arrow::ArrayBuilder* items = list->item_builder();
  const ValueOps ops = OpsFor(codec, /*top_level=*/false);
  for (std::int32_t i = 0; i < count; ++i) {
    // CheckArray has validated every length of this value.
    const std::int32_t elen = I32(p + pos);
    pos += 4;
    if (elen == -1) {
      RB_RETURN_NOT_OK(items->AppendNull());
      continue;
    }
    RB_RETURN_NOT_OK(ops.decode(items, codec, ctx, p + pos, elen));
    pos += elen;
  }
  return Status::OK();
}

}  // namespace rapidbyte::pgwire::decode_internal
