// COPY binary framing: header, tuple scan (lengths, caps, conversions), atomic append, and
// the chunk carry-over for tuples split across CopyData messages.
#include "pgwire/copy_decoder.h"

#include <algorithm>
#include <cstring>

#include "arrow/builder_list.h"
#include "pgwire/value_decode_internal.h"

namespace rapidbyte::pgwire {

using decode_internal::DecodeColumn;

namespace {

constexpr std::uint8_t kSignature[11] = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', 0xFF, '\r', '\n', 0};
constexpr std::int64_t kHeaderBytes = 19;  // signature, flags, extension length

arrow::TypeId ExpectedTypeId(ValueCodec codec) {
  using arrow::TypeId;
  switch (codec) {
    case ValueCodec::kBool: return TypeId::kBool;
    case ValueCodec::kInt2: return TypeId::kInt16;
    case ValueCodec::kInt4: return TypeId::kInt32;
    case ValueCodec::kInt8: return TypeId::kInt64;
    case ValueCodec::kFloat4: return TypeId::kFloat32;
    case ValueCodec::kFloat8: return TypeId::kFloat64;
    case ValueCodec::kNumericDecimal: return TypeId::kDecimal128;
    case ValueCodec::kBytea: return TypeId::kBinary;
    case ValueCodec::kDate: return TypeId::kDate32;
    case ValueCodec::kTime: return TypeId::kTime64;
    case ValueCodec::kTimestamp: return TypeId::kTimestamp;
    case ValueCodec::kInterval: return TypeId::kIntervalMonthDayNano;
    case ValueCodec::kUuid: return TypeId::kFixedSizeBinary;
    case ValueCodec::kNumericText:
    case ValueCodec::kText:
    case ValueCodec::kJsonb: return TypeId::kUtf8;
  }
  return TypeId::kUtf8;
}

// The decode functions cast builders to their concrete classes: check the type first.
bool Matches(const ColumnCodec& codec, const arrow::DataType& type) {
  const arrow::DataType& t = codec.is_array ? type.item_type() : type;
  if (codec.is_array && type.id() != arrow::TypeId::kList) return false;
  if (t.id() != ExpectedTypeId(codec.codec)) return false;
  switch (codec.codec) {
    case ValueCodec::kNumericDecimal:
      return t.precision() == codec.precision && t.scale() == codec.scale;
    case ValueCodec::kUuid: return t.byte_width() == 16;
    case ValueCodec::kTime:
    case ValueCodec::kTimestamp: return t.unit() == arrow::TimeUnit::kMicro;
    default: return true;
  }
}

std::int32_t I32(const std::uint8_t* p) { return static_cast<std::int32_t>(LoadU32(p)); }

}  // namespace

CopyBinaryDecoder::CopyBinaryDecoder(arrow::RecordBatchBuilder* builder,
                                     CopyDecoderOptions options)
    : builder_(builder), options_(options) {}
CopyBinaryDecoder::~CopyBinaryDecoder() = default;

Result<std::unique_ptr<CopyBinaryDecoder>> CopyBinaryDecoder::Make(
    std::vector<ColumnCodec> codecs, arrow::RecordBatchBuilder* builder,
    CopyDecoderOptions options) {
  if (builder == nullptr || static_cast<int>(codecs.size()) != builder->num_columns()) {
    return Status::InvalidArgument("COPY decoder: codecs do not match the builder's columns");
  }
  std::unique_ptr<CopyBinaryDecoder> d(new CopyBinaryDecoder(builder, options));
  d->columns_.resize(codecs.size());
  for (std::size_t i = 0; i < codecs.size(); ++i) {
    const arrow::Field& field = builder->schema().field(static_cast<int>(i));
    if (!Matches(codecs[i], field.type())) {
      return Status::InvalidArgument("COPY decoder: column " + field.name() + " has type " +
                                     field.type().ToString() + ", which its codec cannot fill");
    }
    DecodeColumn& c = d->columns_[i];
    decode_internal::InitColumn(codecs[i], &c);
    c.builder = builder->column(static_cast<int>(i));
    c.nullable = field.nullable();
    if (c.ops.check != nullptr) d->check_columns_.push_back(i);
    ++d->builder_count_;
    if (codecs[i].is_array) {
      d->item_builders_.push_back(static_cast<arrow::ListBuilder*>(c.builder)->item_builder());
      ++d->builder_count_;
    }
  }
  return d;
}

Status CopyBinaryDecoder::Broken(Status status) {
  state_ = State::kBroken;
  return status;
}

Status CopyBinaryDecoder::Feed(Bytes chunk) {
  if (state_ == State::kBroken) return Status::FailedPrecondition("COPY decoder is unusable");
  if (buf_ != nullptr && pos_ < size_) {
    return Status::FailedPrecondition("COPY decoder: Feed before the last chunk was consumed");
  }
  if (state_ == State::kDone) {
    return chunk.empty() ? Status::OK()
                         : Broken(ProtocolError("COPY data after the binary trailer"));
  }
  if (buf_ != nullptr && in_carry_) {
    carry_.erase(carry_.begin(), carry_.begin() + static_cast<std::ptrdiff_t>(pos_));
  }
  chunk_ = chunk;
  if (!carry_.empty()) {
    carry_prefix_ = carry_.size();
    chunk_taken_ = 0;
    in_carry_ = true;
    buf_ = carry_.data();
    size_ = carry_.size();
    pos_ = 0;
    TakeMore();
    return Status::OK();
  }
  buf_ = chunk.data();
  size_ = chunk.size();
  in_carry_ = false;
  pos_ = 0;
  return Status::OK();
}

bool CopyBinaryDecoder::TakeMore() {
  if (!in_carry_ || chunk_taken_ == chunk_.size()) return false;
  // At least as much as is carried, so a long tuple is rescanned a logarithmic number of times.
  constexpr std::size_t kMinTake = 256;
  const std::size_t n =
      std::min(chunk_.size() - chunk_taken_, std::max(kMinTake, carry_.size() - pos_));
  carry_.insert(carry_.end(), chunk_.begin() + static_cast<std::ptrdiff_t>(chunk_taken_),
                chunk_.begin() + static_cast<std::ptrdiff_t>(chunk_taken_ + n));
  chunk_taken_ += n;
  buf_ = carry_.data();
  size_ = carry_.size();
  return true;
}

void CopyBinaryDecoder::Advance(std::size_t new_pos) {
  pos_ = new_pos;
  // Once the carried-over bytes are consumed, continue in the caller's chunk without copying.
  if (in_carry_ && pos_ >= carry_prefix_) {
    pos_ -= carry_prefix_;
    buf_ = chunk_.data();
    size_ = chunk_.size();
    in_carry_ = false;
    carry_.clear();
  }
}

Result<CopyEvent> CopyBinaryDecoder::NeedMore() {
  if (remaining() > options_.max_row_bytes) {
    return Broken(ProtocolError("COPY tuple larger than " +
                                std::to_string(options_.max_row_bytes) + " bytes"));
  }
  if (in_carry_) {
    carry_.erase(carry_.begin(), carry_.begin() + static_cast<std::ptrdiff_t>(pos_));
  } else if (pos_ < size_) {
    carry_.assign(buf_ + pos_, buf_ + size_);
  }
  buf_ = nullptr;
  size_ = pos_ = 0;
  in_carry_ = false;
  return CopyEvent::kNeedMore;
}

Result<bool> CopyBinaryDecoder::ParseHeader() {
  if (remaining() < kHeaderBytes) return false;
  const std::uint8_t* p = buf_ + pos_;
  if (std::memcmp(p, kSignature, sizeof(kSignature)) != 0) {
    return ProtocolError("COPY data is not in the binary format (bad signature)");
  }
  const std::uint32_t flags = LoadU32(p + 11);
  if ((flags & 0x1FFFFu) != 0) return ProtocolError("COPY binary header with OIDs or critical flags");
  const std::uint32_t extension = LoadU32(p + 15);
  if (extension > static_cast<std::uint64_t>(options_.max_header_extension_bytes)) {
    return ProtocolError("COPY binary header extension too large");
  }
  if (remaining() - kHeaderBytes < static_cast<std::int64_t>(extension)) return false;
  Advance(pos_ + kHeaderBytes + extension);
  state_ = State::kTuples;
  return true;
}

bool CopyBinaryDecoder::ScanTuple(Status* error) {
  if (remaining() < 2) return false;
  const auto count = static_cast<std::int16_t>(LoadU16(buf_ + pos_));
  if (count == -1) {
    Advance(pos_ + 2);
    state_ = State::kDone;
    if (pos_ != size_) *error = ProtocolError("COPY data after the binary trailer");
    return true;
  }
  if (count != static_cast<std::int64_t>(columns_.size())) {
    *error = ProtocolError("COPY tuple with " + std::to_string(count) + " fields, expected " +
                           std::to_string(columns_.size()));
    return true;
  }
  // Locals, so that the stores into the columns do not force reloads.
  const std::uint8_t* const buf = buf_;
  const std::size_t start = pos_;
  const std::size_t end = size_;
  const std::int64_t max_row_bytes = options_.max_row_bytes;
  // Where the bytes on hand or the longest tuple accepted end, whichever comes first: a
  // field within it needs neither test below.
  const std::int64_t fast_end = static_cast<std::int64_t>(end - start) <= max_row_bytes
                                    ? static_cast<std::int64_t>(end)
                                    : static_cast<std::int64_t>(start) + max_row_bytes;
  std::size_t p = start + 2;
  std::int64_t sized_bytes = 0;  // the Arrow bytes of the values without a Check
  const DecodeColumn* null_violation = nullptr;
  for (DecodeColumn& c : columns_) {
    if (end - p < 4) return false;
    const std::int32_t len = I32(buf + p);
    p += 4;
    if (len < 0) {
      if (len != -1) {
        *error = ProtocolError("COPY field with a negative length");
        return true;
      }
      c.data = nullptr;
      c.length = -1;
      sized_bytes += c.null_bytes;
      if (!c.nullable && null_violation == nullptr) null_violation = &c;
      continue;
    }
    if (len > fast_end - static_cast<std::int64_t>(p)) {
      if (static_cast<std::int64_t>(p - start) + len > max_row_bytes) {
        *error = ProtocolError("COPY tuple larger than " + std::to_string(max_row_bytes) +
                               " bytes");
        return true;
      }
      return false;  // len > end - p
    }
    if (c.wire_length >= 0 && len != c.wire_length) {
      *error = ProtocolError("COPY field of " + std::to_string(len) + " bytes for a type of " +
                             std::to_string(c.wire_length));
      return true;
    }
    c.data = buf + p;
    c.length = len;
    sized_bytes += c.value_bytes + (len & c.length_mask);
    p += static_cast<std::size_t>(len);
  }
  std::int64_t arrow_bytes = sized_bytes;
  row_end_ = p;
  row_.wire_bytes = static_cast<std::int64_t>(p - start);
  row_.error.clear();
  peeked_ = Peeked::kRow;
  for (const std::size_t i : check_columns_) {
    DecodeColumn& c = columns_[i];
    if (c.length < 0) continue;
    Status st = c.ops.check(c.codec, c.ctx, c.data, c.length, &arrow_bytes);
    if (st.ok()) continue;
    if (st.code() == StatusCode::kDataLoss) {
      *error = std::move(st);
      return true;
    }
    row_.error = "column " + builder_->schema().field(static_cast<int>(i)).name() + ": " +
                 st.message();
    peeked_ = Peeked::kDataError;
    break;
  }
  if (peeked_ == Peeked::kRow && null_violation != nullptr) {
    const auto i = static_cast<int>(null_violation - columns_.data());
    row_.error = "column " + builder_->schema().field(i).name() + ": NULL in a NOT NULL field";
    peeked_ = Peeked::kDataError;
  }
  row_.arrow_bytes = arrow_bytes;
  return true;
}

Result<CopyEvent> CopyBinaryDecoder::Peek() {
  if (state_ == State::kBroken) return Status::FailedPrecondition("COPY decoder is unusable");
  if (peeked_ == Peeked::kRow) return CopyEvent::kRow;
  if (peeked_ == Peeked::kDataError) return CopyEvent::kDataError;
  if (state_ == State::kDone) return CopyEvent::kEnd;
  if (buf_ == nullptr) return CopyEvent::kNeedMore;
  // A tuple carried over from earlier chunks may need more of the new chunk: TakeMore() and
  // scan again.
  while (state_ == State::kHeader) {
    Result<bool> header = ParseHeader();
    if (!header.ok()) return Broken(header.status());
    if (*header) break;
    if (!in_carry_ || !TakeMore()) return NeedMore();
  }
  while (!ScanTuple(&scan_error_)) {
    if (!in_carry_ || !TakeMore()) return NeedMore();
  }
  if (!scan_error_.ok()) return Broken(std::move(scan_error_));
  if (state_ == State::kDone) return CopyEvent::kEnd;
  return peeked_ == Peeked::kRow ? CopyEvent::kRow : CopyEvent::kDataError;
}

std::optional<Bytes> CopyBinaryDecoder::field(int i) const {
  const DecodeColumn& f = columns_[static_cast<std::size_t>(i)];
  if (peeked_ == Peeked::kNone || f.length < 0) return std::nullopt;
  return Bytes(f.data, static_cast<std::size_t>(f.length));
}

Status CopyBinaryDecoder::Append() {
  if (peeked_ != Peeked::kRow) return Status::FailedPrecondition("COPY decoder: no row to append");
  Status st = decode_internal::AppendRow(columns_.data(), columns_.size());
  if (!st.ok()) return Broken(std::move(st));
  peeked_ = Peeked::kNone;
  ++rows_appended_;
  bytes_since_sample_ += row_.arrow_bytes;
  Advance(row_end_);
  return Status::OK();
}

void CopyBinaryDecoder::Skip() {
  if (peeked_ == Peeked::kNone) return;
  peeked_ = Peeked::kNone;
  ++rows_skipped_;
  Advance(row_end_);
}

bool CopyBinaryDecoder::RowExceedsBatchBytes(std::int64_t max_bytes) {
  const std::int64_t rows = builder_->num_rows();
  if (sampled_bytes_ >= 0 && rows == sampled_rows_ + (rows_appended_ - sampled_appended_)) {
    // Since the sample, the value, offset and data buffers grew by at most the rows' Arrow
    // bytes (a bool by a bit for its byte); each buffer's padding adds at most 7 bytes, and a
    // validity bitmap, which may have appeared with a first NULL, at most slots / 8 + 8 (3
    // buffers and a bitmap per builder: 32 bytes of slack).
    std::int64_t slots = rows * static_cast<std::int64_t>(columns_.size());
    for (const arrow::ArrayBuilder* items : item_builders_) slots += items->length();
    const std::int64_t bound =
        sampled_bytes_ + bytes_since_sample_ + slots / 8 + 1 + 32 * builder_count_;
    if (bound + row_.arrow_bytes <= max_bytes) return false;
  }
  sampled_bytes_ = builder_->BufferBytes();
  sampled_rows_ = rows;
  sampled_appended_ = rows_appended_;
  bytes_since_sample_ = 0;
  return sampled_bytes_ + row_.arrow_bytes > max_bytes;
}

Result<FillStop> FillBatch(CopyBinaryDecoder* decoder, arrow::RecordBatchBuilder* builder,
                           std::int64_t max_rows, std::int64_t max_bytes) {
  while (true) {
    RB_ASSIGN_OR_RETURN(CopyEvent event, decoder->Peek());
    switch (event) {
      case CopyEvent::kNeedMore: return FillStop::kNeedMore;
      case CopyEvent::kEnd: return FillStop::kEnd;
      case CopyEvent::kDataError: return FillStop::kDataError;
      case CopyEvent::kRow: break;
    }
    const std::int64_t rows = builder->num_rows();
    if (rows > 0 &&
        (rows >= max_rows ||
         (builder == decoder->builder_
              ? decoder->RowExceedsBatchBytes(max_bytes)
              : builder->BufferBytes() + decoder->row().arrow_bytes > max_bytes))) {
      return FillStop::kBatchFull;
    }
    RB_RETURN_NOT_OK(decoder->Append());
  }
}

}  // namespace rapidbyte::pgwire
