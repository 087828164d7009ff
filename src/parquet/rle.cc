// RLE / bit-packed hybrid encoder. Bit-packed runs must hold whole groups of 8; only the
// final run of a stream may be padded, so a literal run only ends early at the end.
#include "parquet/rle.h"

#include <algorithm>

#include "parquet/varint.h"

namespace rapidbyte::parquet {
namespace {

constexpr std::size_t kMinRepeat = 8;

std::size_t RunLength(std::span<const uint32_t> values, std::size_t pos) {
  std::size_t end = pos + 1;
  while (end < values.size() && values[end] == values[pos]) ++end;
  return end - pos;
}

void AppendRleRun(uint32_t value, std::size_t count, int bit_width, std::string* out) {
  AppendVarint(static_cast<uint64_t>(count) << 1, out);
  for (int byte = 0; byte < (bit_width + 7) / 8; ++byte) {
    out->push_back(static_cast<char>((value >> (8 * byte)) & 0xff));
  }
}

// Bit-pack values[begin, end) padded to whole groups of 8.
void AppendBitPacked(std::span<const uint32_t> values, std::size_t begin, std::size_t end,
                     int bit_width, std::string* out) {
  const std::size_t groups = (end - begin + 7) / 8;
  AppendVarint((static_cast<uint64_t>(groups) << 1) | 1, out);
  const std::size_t first = out->size();
  out->append(groups * static_cast<std::size_t>(bit_width), '\0');
  auto* bytes = reinterpret_cast<uint8_t*>(out->data() + first);
  // Values enter a 64-bit accumulator LSB first and leave it a byte at a time (at most
  // 32 + 7 bits are pending, so nothing overflows).
  const uint64_t mask = bit_width >= 32 ? 0xffffffffu : (uint64_t{1} << bit_width) - 1;
  uint64_t acc = 0;
  int pending = 0;
  for (std::size_t i = begin; i < end; ++i) {
    acc |= (values[i] & mask) << pending;
    pending += bit_width;
    while (pending >= 8) {
      *bytes++ = static_cast<uint8_t>(acc);
      acc >>= 8;
      pending -= 8;
    }
  }
  if (pending > 0) *bytes = static_cast<uint8_t>(acc);  // the padding of the last group
}

}  // namespace

int BitWidth(uint64_t max_value) {
  int width = 0;
  while (max_value != 0) {
    ++width;
    max_value >>= 1;
  }
  return width;
}

void EncodeRleHybrid(std::span<const uint32_t> values, int bit_width, std::string* out) {
  std::size_t pos = 0;
  while (pos < values.size()) {
    const std::size_t run = RunLength(values, pos);
    if (run >= kMinRepeat) {
      AppendRleRun(values[pos], run, bit_width, out);
      pos += run;
      continue;
    }
    const std::size_t begin = pos;
    do {
      pos += std::min<std::size_t>(8, values.size() - pos);
    } while (pos < values.size() && RunLength(values, pos) < kMinRepeat);
    AppendBitPacked(values, begin, pos, bit_width, out);
  }
}

void EncodeLevels(std::span<const uint32_t> levels, int max_level, std::string* out) {
  const std::size_t length_at = out->size();
  out->append(4, '\0');
  EncodeRleHybrid(levels, BitWidth(static_cast<uint64_t>(max_level)), out);
  const auto length = static_cast<uint32_t>(out->size() - length_at - 4);
  for (int i = 0; i < 4; ++i) (*out)[length_at + i] = static_cast<char>((length >> (8 * i)) & 0xff);
}

void PackBits(std::span<const uint8_t> bits, std::string* out) {
  const std::size_t first = out->size();
  out->append((bits.size() + 7) / 8, '\0');
  for (std::size_t i = 0; i < bits.size(); ++i) {
    if (bits[i] != 0) (*out)[first + i / 8] = static_cast<char>((*out)[first + i / 8] | (1 << (i % 8)));
  }
}

}  // namespace rapidbyte::parquet
