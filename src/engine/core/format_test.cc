// Exact strings of SPEC §3.2 (run summary) and §10.3 (progress).
#include "engine/core/format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "engine/core/progress.h"

namespace rapidbyte::engine {
namespace {

TEST(FormatTest, Bytes) {
  EXPECT_EQ(FormatBytes(0), "0 B");
  EXPECT_EQ(FormatBytes(612), "612 B");
  EXPECT_EQ(FormatBytes(1023), "1023 B");
  EXPECT_EQ(FormatBytes(1024), "1.00 KB");
  EXPECT_EQ(FormatBytes(1260), "1.23 KB");
  EXPECT_EQ(FormatBytes((1u << 20) - 1), "1024.00 KB");  // rounds in its unit, never up a unit
  EXPECT_EQ(FormatBytes(1u << 20), "1.00 MB");
  EXPECT_EQ(FormatBytes(12u << 20), "12.00 MB");
  EXPECT_EQ(FormatBytes(4299162), "4.10 MB");
  EXPECT_EQ(FormatBytes(1ull << 30), "1.00 GB");
  EXPECT_EQ(FormatBytes(5ull << 40), "5120.00 GB");
}

TEST(FormatTest, Durations) {
  EXPECT_EQ(FormatSeconds(0.42, 2), "0.42s");
  EXPECT_EQ(FormatSeconds(0.2, 2), "0.20s");
  EXPECT_EQ(FormatSeconds(0.012, 3), "0.012s");
  EXPECT_EQ(FormatSeconds(0.0015, 3), "0.002s");
  EXPECT_EQ(FormatSeconds(123.456, 2), "123.46s");
  EXPECT_EQ(FormatSeconds(-1, 2), "0.00s");
  EXPECT_EQ(FormatSeconds(std::nan(""), 3), "0.000s");
  EXPECT_EQ(FormatMillis(3), "3ms");
  EXPECT_EQ(FormatMillis(0), "0ms");
}

TEST(FormatTest, Throughput) {
  EXPECT_EQ(FormatThroughput(6, 1260, 0.42), "14 rows/sec, 0.00 MB/s");
  EXPECT_EQ(FormatRowsPerSec(1000000, 2.0), "500000 rows/sec");
  EXPECT_EQ(FormatMbPerSec(250u << 20, 2.0), "125.00 MB/s");
  EXPECT_EQ(FormatThroughput(10, 10, 0), "0 rows/sec, 0.00 MB/s");
  EXPECT_EQ(FormatThroughput(10, 10, std::numeric_limits<double>::infinity()),
            "0 rows/sec, 0.00 MB/s");
}

TEST(FormatTest, CompressionLine) {
  EXPECT_EQ(FormatCompression("lz4", 12u << 20, 4299162, 0.051, 0.020),
            "lz4, 12.00 MB -> 4.10 MB (34.2%), 0.051s compress, 0.020s decompress");
  EXPECT_EQ(FormatCompression("zstd", 0, 0, 0, 0),
            "zstd, 0 B -> 0 B (0.0%), 0.000s compress, 0.000s decompress");
}

TEST(FormatTest, Count) {
  EXPECT_EQ(FormatCount(0), "0");
  EXPECT_EQ(FormatCount(999), "999");
  EXPECT_EQ(FormatCount(1000), "1,000");
  EXPECT_EQ(FormatCount(1234567), "1,234,567");
  EXPECT_EQ(FormatCount(18446744073709551615ull), "18,446,744,073,709,551,615");
}

TEST(ProgressTest, SpecExampleBlock) {
  EXPECT_EQ(FormatProgressHeader("pg_to_warehouse", 12.7, 1, 2),
            "pg_to_warehouse  00:12  1/2 streams done");
  StreamProgress done{"public.users", "completed", 3, 3, 612, 0, 0, 1};
  EXPECT_EQ(FormatProgressRow(done, 12), "  public.users   completed  3 rows         612 B");
  StreamProgress running{"sales.orders", "running", 1234567, 1234567,
                         static_cast<std::uint64_t>(120.5 * 1024 * 1024), 102345,
                         10.1 * 1024 * 1024, 2};
  EXPECT_EQ(FormatProgressRow(running, 12),
            "  sales.orders   running    1,234,567 rows 120.5 MB  102,345 rows/s  10.1 MB/s  "
            "attempt 2");
}

TEST(ProgressTest, RowVariants) {
  // Shorter names are padded to the widest; a differing written count is shown.
  StreamProgress s{"a", "running", 10, 4, 2048, 5, 0, 1};
  EXPECT_EQ(FormatProgressRow(s, 3),
            "  a     running    10 rows        2.0 KB    5 rows/s  0.0 MB/s  4 written");
  s.status = "failed";
  s.attempt = 3;
  EXPECT_EQ(FormatProgressRow(s, 1),
            "  a   failed     10 rows        2.0 KB    4 written  attempt 3");
  EXPECT_EQ(FormatBytesShort(0), "0 B");
  EXPECT_EQ(FormatBytesShort(1536), "1.5 KB");
  EXPECT_EQ(FormatBytesShort(3.0 * 1024 * 1024 * 1024), "3.0 GB");
}

TEST(ProgressTest, HeaderClock) {
  EXPECT_EQ(FormatProgressHeader("p", 0, 0, 1), "p  00:00  0/1 streams done");
  EXPECT_EQ(FormatProgressHeader("p", 3599.9, 0, 1), "p  59:59  0/1 streams done");
  EXPECT_EQ(FormatProgressHeader("p", 3723, 1, 1), "p  1:02:03  1/1 streams done");
  EXPECT_EQ(FormatProgressHeader("p", -5, 0, 1), "p  00:00  0/1 streams done");
}

TEST(ProgressTest, NonInteractiveLine) {
  StreamProgress s{"public.users", "running", 1500, 1000, 300000, 249.6, 0, 1};
  EXPECT_EQ(FormatProgressLogLine(s),
            "progress stream=public.users rows_read=1500 rows_written=1000 bytes_read=300000 "
            "rows_per_sec=250");
  const LogFields fields = ProgressLogFields(s);
  ASSERT_EQ(fields.size(), 5u);
  EXPECT_EQ(fields[0].first, "stream");
  // Never terminal control characters.
  EXPECT_EQ(FormatProgressLogLine(s).find('\x1b'), std::string::npos);
}

// SPEC §14.6: a cdc stream's lag, from its source's metrics, in the live row and the log line.
TEST(ProgressTest, CdcLagFromTheSourcesMetrics) {
  StreamProgress s{"public.orders", "running", 10, 10, 2048, 5, 0, 1};
  SetCdcLag({{"source.cdc_lag_bytes", 3145728}, {"source.cdc_lag_seconds", 4}, {"source.x", 1}}, &s);
  EXPECT_EQ(s.lag_bytes, 3145728);
  EXPECT_EQ(s.lag_secs, 4);
  EXPECT_NE(FormatProgressRow(s, 13).find("  lag 3.0 MB 4s"), std::string::npos)
      << FormatProgressRow(s, 13);
  EXPECT_NE(FormatProgressLogLine(s).find(" cdc_lag_bytes=3145728 cdc_lag_seconds=4"),
            std::string::npos)
      << FormatProgressLogLine(s);
  StreamProgress other{"public.users", "running", 10, 10, 2048, 5, 0, 1};
  SetCdcLag({{"source.records_read", 10}}, &other);
  EXPECT_EQ(FormatProgressRow(other, 13).find("lag"), std::string::npos);
  EXPECT_EQ(FormatProgressLogLine(other).find("cdc_lag"), std::string::npos);
}

TEST(ProgressTest, EstimateGivesATotalAndAnEta) {
  StreamProgress s{"e", "running", 1234567, 1234567, 2048, 100000, 0, 1, 2000000, 100000};
  ASSERT_TRUE(EtaSecs(s).has_value());
  EXPECT_NEAR(*EtaSecs(s), 7.65433, 1e-3);
  EXPECT_EQ(FormatProgressRow(s, 1),
            "  e   running    1,234,567 / 2,000,000 rows  61%  ETA 00:08  2.0 KB    100,000 rows/s  "
            "0.0 MB/s");
  EXPECT_EQ(FormatProgressLogLine(s),
            "progress stream=e rows_read=1234567 rows_written=1234567 bytes_read=2048 "
            "rows_per_sec=100000 rows_estimate=2000000 eta_secs=8");
  // No rate yet: the total and percentage, no ETA.
  s.rows_per_sec = 0;
  EXPECT_FALSE(EtaSecs(s).has_value());
  EXPECT_EQ(FormatProgressRow(s, 1).substr(0, 51), "  e   running    1,234,567 / 2,000,000 rows  61%  2");
  // Everything read, the destination behind: the ETA is the destination's.
  StreamProgress behind{"e", "running", 2000, 500, 2048, 0, 0, 1, 2000, 100};
  ASSERT_TRUE(EtaSecs(behind).has_value());
  EXPECT_DOUBLE_EQ(*EtaSecs(behind), 15);
  EXPECT_EQ(FormatProgressRow(behind, 1),
            "  e   running    2,000 / 2,000 rows  100%  ETA 00:15  2.0 KB    0 rows/s  0.0 MB/s  "
            "500 written");
  behind.written_per_sec = 0;
  EXPECT_FALSE(EtaSecs(behind).has_value());
  // More rows than estimated: no percentage and no (negative) ETA.
  s.rows_per_sec = 100;
  s.rows_read = s.rows_written = 2500000;
  EXPECT_FALSE(EtaSecs(s).has_value());
  EXPECT_EQ(FormatProgressRow(s, 1).substr(0, 47), "  e   running    2,500,000 / 2,000,000 rows  2.");
  EXPECT_EQ(FormatProgressLogLine(s).find("eta_secs"), std::string::npos);
  // Done: the rows only.
  s.status = "completed";
  EXPECT_EQ(FormatProgressRow(s, 1), "  e   completed  2,500,000 rows 2.0 KB");
  EXPECT_EQ(FormatClock(3723), "1:02:03");
}

TEST(ProgressTest, RateWindowUsesTheLastFiveSeconds) {
  RateWindow w;
  EXPECT_EQ(w.Rate(), 0);
  w.Add(0, 0);
  EXPECT_EQ(w.Rate(), 0);
  w.Add(1, 100);
  EXPECT_DOUBLE_EQ(w.Rate(), 100);
  // A burst long ago stops counting once it leaves the window.
  for (int t = 2; t <= 20; ++t) w.Add(t, 100 + static_cast<std::uint64_t>(t - 1) * 10);
  EXPECT_DOUBLE_EQ(w.Rate(), 10);
}

}  // namespace
}  // namespace rapidbyte::engine
