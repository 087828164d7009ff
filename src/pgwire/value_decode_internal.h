// Per-type decode functions of the COPY binary decoder, chosen once per column (a table of
// function pointers): Check validates what can fail for a well-formed value (a data error of
// the row) and measures its Arrow bytes; Decode appends it to the column's builder. The
// decoder's hot path, AppendRow, calls the common types' Decode directly (inlined, no
// indirect call). Internal to pgwire.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "arrow/builder.h"
#include "arrow/values.h"
#include "base/status.h"
#include "pgwire/type_map.h"

namespace rapidbyte::pgwire::decode_internal {

/// Per-column scratch: the decimal Check computed (used by the top-level decimal Decode) and
/// a reusable string for text conversions.
struct DecodeContext {
  arrow::Decimal128 decimal;
  std::string scratch;
};

/// Append one non-NULL value of `length` bytes at `p` to `builder`. Fails only for input a
/// PostgreSQL server never sends (PROTOCOL_ERROR) or when a builder cannot grow.
using DecodeFn = Status (*)(arrow::ArrayBuilder* builder, const ColumnCodec& codec,
                            DecodeContext& ctx, const std::uint8_t* p, std::int32_t length);
/// Validate one non-NULL value and add its Arrow bytes to `*arrow_bytes`. OutOfRange or
/// InvalidArgument: a data error of the row; DataLoss: a PROTOCOL_ERROR.
using CheckFn = Status (*)(const ColumnCodec& codec, DecodeContext& ctx, const std::uint8_t* p,
                           std::int32_t length, std::int64_t* arrow_bytes);

struct ValueOps {
  DecodeFn decode = nullptr;
  CheckFn check = nullptr;        ///< nullptr: nothing can fail, size from the fields below
  std::int32_t wire_length = -1;  ///< required length of fixed-size values, -1 variable
  std::int32_t arrow_width = 0;   ///< Arrow bytes of a value, 0: 4 (offset) + length
};

/// The operations for a column with `codec` (arrays included). `top_level` is false for the
/// elements of an array (their decimals are not precomputed by Check).
ValueOps OpsFor(const ColumnCodec& codec, bool top_level = true);

/// One top-level column of the decoder: what the tuple scan and the append need (hot fields
/// first) and the field of the peeked tuple.
struct DecodeColumn {
  const std::uint8_t* data = nullptr;  ///< the peeked field's bytes
  std::int32_t length = -1;            ///< the peeked field's length, -1 for NULL
  std::int32_t wire_length = -1;       ///< ValueOps::wire_length
  std::int32_t null_bytes = 0;         ///< Arrow bytes of a NULL
  std::int32_t value_bytes = 0;        ///< Arrow bytes of a value when there is no Check...
  std::int32_t length_mask = 0;        ///< ...plus (length & this): -1 for variable sizes
  bool nullable = true;
  arrow::ArrayBuilder* builder = nullptr;
  ValueOps ops;
  ColumnCodec codec;
  DecodeContext ctx;
};

/// Set up `column` for `codec` (all but its builder and nullability).
void InitColumn(const ColumnCodec& codec, DecodeColumn* column);

/// Append the peeked field of each of the `count` columns (NULL when its length is -1) to its
/// builder, the common types inline. Fails like DecodeFn (the row may then be partly
/// appended).
Status AppendRow(DecodeColumn* columns, std::size_t count);

/// The array codec (array_decode.cc).
Status DecodeArray(arrow::ArrayBuilder* builder, const ColumnCodec& codec, DecodeContext& ctx,
                   const std::uint8_t* p, std::int32_t length);
Status CheckArray(const ColumnCodec& codec, DecodeContext& ctx, const std::uint8_t* p,
                  std::int32_t length, std::int64_t* arrow_bytes);

/// Days between 1970-01-01 and 2000-01-01, and the same in microseconds.
inline constexpr std::int32_t kEpochShiftDays = 10957;
inline constexpr std::int64_t kEpochShiftMicros = std::int64_t{kEpochShiftDays} * 86400000000;

}  // namespace rapidbyte::pgwire::decode_internal
