// The dest-files config (SPEC §16.1): where files go, their format and compression, when a
// file rolls over and how large a Parquet row group grows. Portable.
#pragma once

#include <cstdint>
#include <string>

#include "protocol/json.h"
#include "sdk/outcome.h"

namespace rapidbyte::files {

enum class Format { kParquet, kCsv, kJsonl };
enum class Compression { kNone, kZstd, kSnappy, kGzip };

struct S3Config {
  std::string bucket;
  std::string prefix;  ///< without leading or trailing '/'
  std::string endpoint, region, access_key_id, secret_access_key;
  bool path_style = false;
};

struct FilesConfig {
  /// A local absolute directory (the manifest grants it as the only writable preopen).
  std::string path;
  bool s3 = false;
  S3Config s3_config;
  Format format = Format::kParquet;
  Compression compression = Compression::kZstd;
  /// The codec's level: zstd 1 by default (fast, as Arrow's writers default; 3 is zstd's own
  /// default and about 5% smaller), gzip 6; snappy and none have none (0).
  int compression_level = 1;
  /// A file is closed at the first frame boundary past this many (compressed) bytes, and at
  /// every commit (a visible file is always complete).
  std::uint64_t file_size = std::uint64_t{256} << 20;
  std::uint64_t row_group_size = std::uint64_t{16} << 20;  // compressed pages held; see dest-files.md
  /// CSV: how NULL is written (default: empty and unquoted; an empty string is "").
  std::string null_value;
};

/// Errors name the field ("config.format: ...") and say what is allowed.
sdk::Outcome<FilesConfig> ParseFilesConfig(const protocol::Json& config);

const char* FormatName(Format format);
const char* CompressionName(Compression compression);
/// The file name extension: ".parquet" (compression is inside), ".csv", ".csv.zst",
/// ".jsonl.gz", ...
std::string Extension(Format format, Compression compression);

}  // namespace rapidbyte::files
