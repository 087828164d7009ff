// Human formatting of run results (SPEC §3.2): sizes in binary units, durations, throughput,
// load times and the compression line. Pure functions; non-finite or negative durations
// count as 0, and a rate over a zero duration is 0.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace rapidbyte::engine {

/// ≥ 1 GiB "x.xx GB", ≥ 1 MiB "x.xx MB", ≥ 1 KiB "x.xx KB", else "n B".
std::string FormatBytes(std::uint64_t bytes);

/// "0.42s" with `decimals` digits: 2 for Duration / Source / Dest / Transforms lines, 3 for
/// phase lines ("0.012s").
std::string FormatSeconds(double secs, int decimals);

/// "14 rows/sec": rows divided by `secs`, no decimals.
std::string FormatRowsPerSec(std::uint64_t rows, double secs);

/// "0.00 MB/s": MiB of `bytes` per second, 2 decimals.
std::string FormatMbPerSec(std::uint64_t bytes, double secs);

/// The Throughput line's value: "14 rows/sec, 0.00 MB/s".
std::string FormatThroughput(std::uint64_t rows, std::uint64_t bytes, double secs);

/// Load times, integer milliseconds: "3ms".
std::string FormatMillis(std::int64_t ms);

/// The Compression line's value: "lz4, 12.00 MB -> 4.10 MB (34.2%), 0.051s compress,
/// 0.020s decompress" (compressed as a percentage of uncompressed, 1 decimal).
std::string FormatCompression(std::string_view codec, std::uint64_t uncompressed_bytes,
                              std::uint64_t compressed_bytes, double compress_secs,
                              double decompress_secs);

/// "1,234,567": an integer with thousands separators (progress display).
std::string FormatCount(std::uint64_t n);

}  // namespace rapidbyte::engine
