// Where the writer's bytes go (a file, a multipart upload) and how pages are compressed
// (a connector compresses through a host function). Portable.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "base/status.h"
#include "parquet/format.h"

namespace rapidbyte::parquet {

/// Receives the file in order, in pieces of at most one column chunk.
class ParquetSink {
 public:
  virtual ~ParquetSink() = default;
  virtual Status Append(std::span<const uint8_t> bytes) = 0;
};

/// Compresses one page body. Implementations may keep state between calls (not shared
/// between writers).
class PageCompressor {
 public:
  virtual ~PageCompressor() = default;
  /// The codec recorded in the column chunk metadata.
  virtual Codec codec() const = 0;
  /// Replace `*out` with the compressed form of `input`.
  virtual Status Compress(std::span<const uint8_t> input, std::string* out) = 0;
};

/// The default: pages stored as they are.
class Uncompressed final : public PageCompressor {
 public:
  Codec codec() const override { return Codec::kUncompressed; }
  Status Compress(std::span<const uint8_t> input, std::string* out) override {
    out->assign(reinterpret_cast<const char*>(input.data()), input.size());
    return Status::OK();
  }
};

}  // namespace rapidbyte::parquet
