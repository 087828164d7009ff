// ParquetWriter options. Portable.
#pragma once

#include <cstdint>
#include <string>

#include "parquet/sink.h"

namespace rapidbyte::parquet {

struct WriterOptions {
  /// A row group is written when its encoded (uncompressed) bytes reach this, or when it
  /// holds row_group_rows rows; memory use is bounded by about one row group.
  int64_t row_group_bytes = int64_t{32} << 20;
  int64_t row_group_rows = 1 << 20;
  /// A data page is closed at the first row boundary after this many encoded bytes.
  int64_t data_page_bytes = int64_t{1} << 20;
  /// Dictionary encoding per column chunk, falling back to PLAIN once the dictionary's
  /// PLAIN size would pass this (SPEC §16.3: 1 MiB).
  bool dictionary = true;
  int64_t dictionary_page_limit = int64_t{1} << 20;
  /// Not owned; must outlive the writer. Null: Uncompressed.
  PageCompressor* compressor = nullptr;
  std::string created_by = "rapidbyte";
};

}  // namespace rapidbyte::parquet
