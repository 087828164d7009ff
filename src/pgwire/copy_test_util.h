// Test helpers for the COPY codecs: build binary COPY streams by hand (big-endian fields)
// and decode a whole stream into a RecordBatchBuilder.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "arrow/record_batch_builder.h"
#include "pgwire/copy_decoder.h"

namespace rapidbyte::pgwire::testing {

inline std::string Be(std::uint64_t v, int bytes) {
  std::string out(static_cast<std::size_t>(bytes), '\0');
  for (int i = bytes - 1; i >= 0; --i, v >>= 8) out[static_cast<std::size_t>(i)] = static_cast<char>(v & 0xFF);
  return out;
}
inline std::string I16(std::int64_t v) { return Be(static_cast<std::uint64_t>(v), 2); }
inline std::string I32(std::int64_t v) { return Be(static_cast<std::uint64_t>(v), 4); }
inline std::string I64(std::int64_t v) { return Be(static_cast<std::uint64_t>(v), 8); }
inline std::string F32(float f) {
  std::uint32_t b;
  std::memcpy(&b, &f, 4);
  return Be(b, 4);
}
inline std::string F64(double f) {
  std::uint64_t b;
  std::memcpy(&b, &f, 8);
  return Be(b, 8);
}
/// A binary numeric: ndigits, weight, sign, dscale, digits.
inline std::string Numeric(std::int16_t weight, std::uint16_t sign, std::uint16_t dscale,
                           std::vector<std::uint16_t> digits) {
  std::string out = I16(static_cast<std::int64_t>(digits.size())) + I16(weight) + I16(sign) +
                    I16(dscale);
  for (std::uint16_t d : digits) out += I16(d);
  return out;
}
/// A one-dimensional array value (elements: std::nullopt = NULL).
inline std::string Array1(std::uint32_t elem_oid,
                          const std::vector<std::optional<std::string>>& elements,
                          std::int32_t lower_bound = 1) {
  bool has_null = false;
  for (const auto& e : elements) has_null = has_null || !e;
  if (elements.empty()) return I32(0) + I32(0) + I32(elem_oid);
  std::string out = I32(1) + I32(has_null ? 1 : 0) + I32(elem_oid) +
                    I32(static_cast<std::int64_t>(elements.size())) + I32(lower_bound);
  for (const auto& e : elements) out += e ? I32(static_cast<std::int64_t>(e->size())) + *e : I32(-1);
  return out;
}

using Fields = std::vector<std::optional<std::string>>;

inline std::string Header() { return std::string("PGCOPY\n\377\r\n\0", 11) + I32(0) + I32(0); }
inline std::string Tuple(const Fields& fields) {
  std::string out = I16(static_cast<std::int64_t>(fields.size()));
  for (const auto& f : fields) out += f ? I32(static_cast<std::int64_t>(f->size())) + *f : I32(-1);
  return out;
}
inline std::string Trailer() { return I16(-1); }

inline Bytes AsBytes(const std::string& s) {
  return Bytes(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}

/// Decode `stream`, split into chunks of `chunk` bytes (0: one chunk), appending every row
/// (data errors are skipped). Returns the first error.
inline Status DecodeAll(CopyBinaryDecoder* decoder, const std::string& stream,
                        std::size_t chunk = 0) {
  std::size_t pos = 0;
  if (chunk == 0) chunk = stream.size() + 1;
  while (true) {
    RB_ASSIGN_OR_RETURN(CopyEvent event, decoder->Peek());
    switch (event) {
      case CopyEvent::kRow: RB_RETURN_NOT_OK(decoder->Append()); break;
      case CopyEvent::kDataError: decoder->Skip(); break;
      case CopyEvent::kEnd: return Status::OK();
      case CopyEvent::kNeedMore: {
        if (pos >= stream.size()) return Status::DataLoss("stream ended early");
        const std::size_t n = std::min(chunk, stream.size() - pos);
        RB_RETURN_NOT_OK(decoder->Feed(AsBytes(stream).subspan(pos, n)));
        pos += n;
        break;
      }
    }
  }
}

}  // namespace rapidbyte::pgwire::testing
