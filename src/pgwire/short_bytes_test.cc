// short_bytes against the library calls they replace, at every length and NUL position
// around the word and 32-byte step boundaries.
#include "pgwire/short_bytes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace rapidbyte::pgwire::short_bytes {
namespace {

TEST(ShortBytesTest, ContainsNulMatchesMemchrAtEveryLengthAndPosition) {
  for (std::size_t n = 0; n <= 100; ++n) {
    // One byte before and after the range hold NUL, so a read outside it would be caught.
    std::vector<std::uint8_t> buffer(n + 2, 'a');
    buffer.front() = 0;
    buffer.back() = 0;
    const std::uint8_t* p = buffer.data() + 1;
    EXPECT_FALSE(ContainsNul(p, n)) << "n=" << n;
    for (std::size_t at = 0; at < n; ++at) {
      buffer[1 + at] = 0;
      EXPECT_EQ(ContainsNul(p, n), std::memchr(p, 0, n) != nullptr) << "n=" << n << " at=" << at;
      EXPECT_TRUE(ContainsNul(p, n)) << "n=" << n << " at=" << at;
      buffer[1 + at] = 'a';
    }
  }
}

TEST(ShortBytesTest, ContainsNulIgnoresHighBytesThatLookLikeBorrows) {
  // 0x80 and 0x01 next to each other are the classic false positives of a sloppy zero-byte
  // test; the exact test must say no.
  for (std::size_t n = 1; n <= 70; ++n) {
    std::vector<std::uint8_t> bytes(n);
    for (std::size_t i = 0; i < n; ++i) bytes[i] = (i % 2) ? 0x80 : 0x01;
    EXPECT_FALSE(ContainsNul(bytes.data(), n)) << "n=" << n;
    bytes[n - 1] = 0;
    EXPECT_TRUE(ContainsNul(bytes.data(), n)) << "n=" << n;
  }
}

TEST(ShortBytesTest, CopyWritesExactlyNBytes) {
  for (std::size_t n = 0; n <= 40; ++n) {
    std::vector<std::uint8_t> src(n);
    for (std::size_t i = 0; i < n; ++i) src[i] = static_cast<std::uint8_t>(i + 1);
    std::vector<std::uint8_t> dst(n + 2, 0xEE);
    Copy(dst.data() + 1, src.data(), n);
    EXPECT_EQ(dst.front(), 0xEE) << "n=" << n;
    EXPECT_EQ(dst.back(), 0xEE) << "n=" << n;
    EXPECT_TRUE(std::equal(src.begin(), src.end(), dst.begin() + 1)) << "n=" << n;
  }
}

}  // namespace
}  // namespace rapidbyte::pgwire::short_bytes
