// CopyBinaryDecoder: PostgreSQL's binary COPY stream (signature, flags, header extension,
// tuples, trailer) decoded incrementally, chunk by chunk, straight into Arrow builders. Rows
// are atomic: a tuple is first scanned completely (every length checked against the bytes
// that remain and against the caps, fallible conversions tried), then appended in one go, so
// a row that cannot be converted (numeric NaN into decimal128, a 2-D array) is reported and
// skipped without leaving half a row in the builders. Portable; no I/O.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "arrow/record_batch_builder.h"
#include "base/result.h"
#include "pgwire/type_map.h"
#include "pgwire/wire_buffer.h"

namespace rapidbyte::pgwire {

namespace decode_internal {
struct DecodeColumn;  // value_decode_internal.h
}  // namespace decode_internal

struct CopyDecoderOptions {
  /// Largest tuple (bytes on the wire) accepted; a longer one is a PROTOCOL_ERROR. Bounds the
  /// bytes a tuple split across chunks can make the decoder buffer.
  std::int64_t max_row_bytes = std::int64_t{1} << 30;
  /// Largest header extension accepted (PostgreSQL sends none).
  std::int64_t max_header_extension_bytes = std::int64_t{1} << 20;
};

/// What Peek() learned about the next tuple.
struct RowInfo {
  /// Tuple bytes on the wire: field count, lengths and values.
  std::int64_t wire_bytes = 0;
  /// Arrow buffer bytes the row adds: values, offsets and data of every column and list item
  /// (validity bits and 8-byte padding excluded). Compare BufferBytes() + arrow_bytes with
  /// max_batch_bytes before Append() (SPEC §7.3 step 7).
  std::int64_t arrow_bytes = 0;
  /// For CopyEvent::kDataError: the column and the reason.
  std::string error;
};

enum class CopyEvent : std::uint8_t {
  kRow,        ///< a complete tuple is peeked: Append() or Skip() it
  kDataError,  ///< a complete tuple that cannot be converted (row().error): Skip() it or fail
  kNeedMore,   ///< Feed() the next chunk
  kEnd,        ///< the trailer was read; the stream is complete
};

enum class FillStop : std::uint8_t;
class CopyBinaryDecoder;
Result<FillStop> FillBatch(CopyBinaryDecoder* decoder, arrow::RecordBatchBuilder* builder,
                           std::int64_t max_rows, std::int64_t max_bytes);

/// Decodes one COPY ... TO STDOUT (FORMAT binary) stream into a RecordBatchBuilder whose
/// schema matches the codecs (MapRelation). Keeps a view of the last chunk until Peek()
/// returns kNeedMore, and copies only the tail of a tuple split across chunks. Owns no
/// builder; not thread-safe.
class CopyBinaryDecoder {
 public:
  /// `codecs[i]` describes column i of `builder` (which must outlive the decoder).
  static Result<std::unique_ptr<CopyBinaryDecoder>> Make(std::vector<ColumnCodec> codecs,
                                                         arrow::RecordBatchBuilder* builder,
                                                         CopyDecoderOptions options = {});
  ~CopyBinaryDecoder();

  /// Give the next CopyData payload. Valid at the start and after Peek() returned kNeedMore;
  /// `chunk` must stay valid until Peek() next returns kNeedMore. Bytes after the trailer are
  /// a PROTOCOL_ERROR.
  Status Feed(Bytes chunk);

  /// Scan the next tuple without appending it. Idempotent until Append()/Skip(). Malformed
  /// input is a PROTOCOL_ERROR (kDataLoss) and the decoder is then unusable.
  Result<CopyEvent> Peek();
  const RowInfo& row() const { return row_; }
  /// Field `i` of the peeked tuple as received (std::nullopt for NULL); for key hashing.
  std::optional<Bytes> field(int i) const;

  /// Append the peeked kRow tuple to the builders.
  Status Append();
  /// Drop the peeked tuple (kRow or kDataError).
  void Skip();

  /// Whether the builder's BufferBytes() + row().arrow_bytes exceeds `max_bytes`, the test
  /// before appending the peeked row (SPEC §7.3 step 7). The same answer as computing it, but
  /// BufferBytes() (a virtual call per column) is only called near the limit: between calls
  /// an upper bound grows by the Arrow bytes of each appended row. Assumes that only this
  /// decoder appends to the builder (a Reset of the builder is noticed).
  bool RowExceedsBatchBytes(std::int64_t max_bytes);

  /// True once the trailer has been read: call when the COPY completes to detect a stream
  /// cut short.
  bool finished() const { return state_ == State::kDone; }
  std::int64_t rows_appended() const { return rows_appended_; }
  std::int64_t rows_skipped() const { return rows_skipped_; }

 private:
  friend Result<FillStop> FillBatch(CopyBinaryDecoder* decoder,
                                    arrow::RecordBatchBuilder* builder, std::int64_t max_rows,
                                    std::int64_t max_bytes);
  enum class State : std::uint8_t { kHeader, kTuples, kDone, kBroken };
  enum class Peeked : std::uint8_t { kNone, kRow, kDataError };

  CopyBinaryDecoder(arrow::RecordBatchBuilder* builder, CopyDecoderOptions options);
  Result<bool> ParseHeader();
  /// Scan the tuple at pos_: false when its bytes are not all on hand, true when it is
  /// peeked, the trailer was read or `*error` was set (a PROTOCOL_ERROR).
  bool ScanTuple(Status* error);
  /// While a tuple is carried over: copy more of the chunk behind it; false when it is all in.
  bool TakeMore();
  /// Keep the unread bytes for the next Feed and report kNeedMore.
  Result<CopyEvent> NeedMore();
  /// Move the read position; leaves the carry buffer once its bytes are consumed.
  void Advance(std::size_t new_pos);
  Status Broken(Status status);
  std::int64_t remaining() const { return static_cast<std::int64_t>(size_ - pos_); }

  arrow::RecordBatchBuilder* builder_;
  CopyDecoderOptions options_;
  std::vector<decode_internal::DecodeColumn> columns_;  // with the peeked tuple's fields
  std::vector<std::size_t> check_columns_;  // the columns whose values need a Check
  // Item builders of list columns (for the BufferBytes bound) and the number of builders.
  std::vector<const arrow::ArrayBuilder*> item_builders_;
  std::int64_t builder_count_ = 0;
  // The unread tail of earlier chunks + the first chunk_taken_ bytes of the new chunk, taken
  // as the carried-over tuple needs them (not the whole chunk: the copy would cost a memmove
  // of every byte).
  std::vector<std::uint8_t> carry_;
  std::size_t carry_prefix_ = 0;  // bytes of carry_ that came from earlier chunks
  std::size_t chunk_taken_ = 0;
  Bytes chunk_;  // the latest chunk
  const std::uint8_t* buf_ = nullptr;
  std::size_t size_ = 0;
  std::size_t pos_ = 0;
  std::size_t row_end_ = 0;
  bool in_carry_ = false;
  State state_ = State::kHeader;
  Peeked peeked_ = Peeked::kNone;
  RowInfo row_;
  Status scan_error_;  // ScanTuple's error (a member: no Status to destroy per Peek)
  std::int64_t rows_appended_ = 0;
  std::int64_t rows_skipped_ = 0;
  // RowExceedsBatchBytes: BufferBytes() when last computed, the builder's rows and
  // rows_appended_ then, and the Arrow bytes of the rows appended since.
  std::int64_t sampled_bytes_ = -1;
  std::int64_t sampled_rows_ = 0;
  std::int64_t sampled_appended_ = 0;
  std::int64_t bytes_since_sample_ = 0;
};

/// Why FillBatch stopped.
enum class FillStop : std::uint8_t { kNeedMore, kBatchFull, kDataError, kEnd };

/// Append tuples until the stream needs more bytes, ends, hits a data error (left peeked:
/// Skip() it or fail), or the next row would not fit: the batch is not empty and holds
/// `max_rows` rows or BufferBytes() + the row's arrow_bytes would exceed `max_bytes` (the row
/// stays peeked for the next batch).
Result<FillStop> FillBatch(CopyBinaryDecoder* decoder, arrow::RecordBatchBuilder* builder,
                           std::int64_t max_rows, std::int64_t max_bytes);

}  // namespace rapidbyte::pgwire
