// One column chunk in the making: levels and values of the current data page, the
// dictionary, the finished pages and the statistics. A row group flush writes the chunk
// (dictionary page first) to the sink and starts over. Portable.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "arrow/array.h"
#include "base/result.h"
#include "parquet/dictionary.h"
#include "parquet/options.h"
#include "parquet/schema_map.h"
#include "parquet/statistics.h"

namespace rapidbyte::parquet {

/// Buffers for closing a page (its encoded body and compressed form), shared by a file's
/// columns: pages are closed one at a time, and a megabyte-sized pair per column would be
/// most of a wide table's memory.
struct PageBuffers {
  std::string body;
  std::string compressed;
};

/// Not thread-safe. `col`, `options`, the compressor and `buffers` must outlive the writer.
class ColumnWriter {
 public:
  ColumnWriter(const ColumnDescriptor& col, const WriterOptions& options,
               PageCompressor* compressor, PageBuffers* buffers);

  /// Shred rows [begin, end) of `array` (the field's Arrow array) into levels and values.
  Status WriteArray(const arrow::ArrayView& array, int64_t begin, int64_t end);
  /// One level entry; `value` (raw physical bytes) is used only when def == max_def.
  Status Add(uint32_t rep, uint32_t def, std::string_view value);

  /// Bytes buffered for the current chunk (pages, dictionary, open page).
  int64_t BufferedBytes() const;
  /// Write the chunk to `sink`, where it starts at `file_offset`; return its metadata.
  Result<ColumnChunk> Flush(int64_t file_offset, ParquetSink* sink);

 private:
  Status WriteFlat(const arrow::ArrayView& array, int64_t begin, int64_t end);
  template <typename Values>
  Status WriteValues(const arrow::ArrayView& array, int64_t begin, int64_t end, Values values);
  /// `base` holds the array's T values back to back (its offset applied).
  template <typename T>
  int64_t AppendPlainRun(const char* base, int64_t begin, int64_t end);
  Status WriteList(const arrow::ArrayView& array, int64_t begin, int64_t end);
  /// Called before each row: closes a full page and applies a pending fallback to PLAIN.
  Status StartRow() {
    if (fallback_pending_ || PageFull()) return TurnPage();
    return Status::OK();
  }
  bool PageFull() const {
    return OpenPageBytes() >= options_.data_page_bytes || page_values_ >= kMaxPageValues;
  }
  Status TurnPage();
  /// A value's level entry (the page's value count, and its definition level if stored).
  void AddLevel(uint32_t def) {
    if (col_.max_def > 0) def_.push_back(def);
    ++page_values_;
  }
  void AddValue(std::string_view value);
  /// The value through the dictionary; may set fallback_pending_ (PLAIN from the next row).
  void AddToDictionary(std::string_view value);
  void AppendPlain(std::string_view value, std::string* out) const;
  int64_t OpenPageBytes() const {
    return static_cast<int64_t>(plain_.size() + (indices_.size() * index_bits_ >> 3) +
                                ((rep_.size() + def_.size()) >> 2));
  }
  Status ClosePage();
  void EncodePageValues(std::string* body, bool dictionary) const;
  Status AppendPage(PageHeader header, std::string* pages);
  std::vector<Encoding> ChunkEncodings(bool has_dictionary) const;
  void ResetChunk();

  // Level entries per page: a page's levels and dictionary indices are held as 32-bit values
  // until it closes, so a column of one-bit booleans or a tiny dictionary (a few bits per
  // value on the page) would otherwise hold tens of megabytes before data_page_bytes.
  static constexpr std::size_t kMaxPageValues = 65536;

  const ColumnDescriptor& col_;
  const WriterOptions& options_;
  PageCompressor* compressor_;

  // The open data page. Definition levels are stored only for columns that have them.
  std::size_t page_values_ = 0;
  std::vector<uint32_t> rep_;
  std::vector<uint32_t> def_;
  std::string plain_;  ///< PLAIN values (BOOLEAN: one byte each, bit-packed on close)
  std::vector<uint32_t> indices_;
  std::size_t index_bits_ = 0;  ///< bits of an index into the dictionary as it is now

  // The dictionary of the chunk; inactive after the fallback to PLAIN.
  bool dict_active_ = false;
  bool fallback_pending_ = false;
  bool fell_back_ = false;  ///< a chunk of this column fell back: later chunks start PLAIN
  Dictionary dict_;
  std::size_t dict_values_ = 0;  ///< values encoded through the dictionary in this chunk

  // The chunk.
  std::string pages_;
  int64_t uncompressed_bytes_ = 0;
  int64_t num_values_ = 0;
  bool has_plain_pages_ = false;
  bool has_dict_pages_ = false;
  StatsCollector stats_;
  PageBuffers* buffers_;
  std::string scratch_;
};

}  // namespace rapidbyte::parquet
