// ReadProcessUsage reports plausible, monotone figures.
#include "engine/core/rusage.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>

namespace rapidbyte::engine {
namespace {

TEST(RusageTest, PeakRssGrowsWithTouchedMemoryAndCpuAdvances) {
  const ProcessUsage before = ReadProcessUsage();
  EXPECT_GT(before.peak_rss_bytes, 1u << 20);  // any process holds more than 1 MiB
  // Touch 64 MiB and burn some CPU.
  constexpr std::size_t kBytes = 64u << 20;
  auto block = std::make_unique<unsigned char[]>(kBytes);
  std::memset(block.get(), 1, kBytes);
  volatile std::uint64_t sum = 0;
  for (std::size_t i = 0; i < kBytes; i += 64) sum = sum + block[i];
  const ProcessUsage after = ReadProcessUsage();
  EXPECT_GE(after.peak_rss_bytes, before.peak_rss_bytes);
  EXPECT_GE(after.peak_rss_bytes, kBytes);
  EXPECT_GT(after.cpu_secs, 0.0);
  EXPECT_GE(after.cpu_secs, before.cpu_secs);
}

}  // namespace
}  // namespace rapidbyte::engine
