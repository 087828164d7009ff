// COPY binary framing: header, tuple scan (lengths, caps, conversions), atomic append, and
// the chunk carry-over for tuples split across CopyData messages.
#include "pgwire/copy_decoder.h"

#include <cstring>

#include "pgwire/value_decode_internal.h"

namespace rapidbyte::pgwire {

using decode_internal::DecodeContext;
using decode_internal::OpsFor;
using decode_internal::ValueOps;

struct CopyBinaryDecoder::Column {
  ColumnCodec codec;
  ValueOps ops;
  arrow::ArrayBuilder* builder = nullptr;
  bool nullable = true;
  DecodeContext ctx;
};

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
  d->fields_.resize(codecs.size());
  for (std::size_t i = 0; i < codecs.size(); ++i) {
    const arrow::Field& field = builder->schema().field(static_cast<int>(i));
    if (!Matches(codecs[i], field.type())) {
      return Status::InvalidArgument("COPY decoder: column " + field.name() + " has type " +
                                     field.type().ToString() + ", which its codec cannot fill");
    }
    Column& c = d->columns_[i];
    c.codec = codecs[i];
    c.ops = OpsFor(codecs[i]);
    c.builder = builder->column(static_cast<int>(i));
    c.nullable = field.nullable();
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
    carry_.insert(carry_.end(), chunk.begin(), chunk.end());
    buf_ = carry_.data();
    size_ = carry_.size();
    in_carry_ = true;
  } else {
    buf_ = chunk.data();
    size_ = chunk.size();
    in_carry_ = false;
  }
  pos_ = 0;
  return Status::OK();
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

Result<bool> CopyBinaryDecoder::ScanTuple() {
  if (remaining() < 2) return false;
  const auto count = static_cast<std::int16_t>(LoadU16(buf_ + pos_));
  if (count == -1) {
    Advance(pos_ + 2);
    state_ = State::kDone;
    if (pos_ != size_) return ProtocolError("COPY data after the binary trailer");
    return true;
  }
  if (count != static_cast<std::int64_t>(columns_.size())) {
    return ProtocolError("COPY tuple with " + std::to_string(count) + " fields, expected " +
                         std::to_string(columns_.size()));
  }
  const std::size_t end = size_;
  std::size_t p = pos_ + 2;
  std::int64_t arrow_bytes = 0;
  const Column* null_violation = nullptr;
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    const Column& c = columns_[i];
    if (end - p < 4) return false;
    const std::int32_t len = I32(buf_ + p);
    p += 4;
    if (len == -1) {
      fields_[i] = {nullptr, -1};
      arrow_bytes += c.ops.arrow_width > 0 ? c.ops.arrow_width : 4;
      if (!c.nullable && null_violation == nullptr) null_violation = &c;
      continue;
    }
    if (len < -1) return ProtocolError("COPY field with a negative length");
    if (static_cast<std::int64_t>(p - pos_) + len > options_.max_row_bytes) {
      return ProtocolError("COPY tuple larger than " + std::to_string(options_.max_row_bytes) +
                           " bytes");
    }
    if (static_cast<std::size_t>(len) > end - p) return false;
    if (c.ops.wire_length >= 0 && len != c.ops.wire_length) {
      return ProtocolError("COPY field of " + std::to_string(len) + " bytes for a type of " +
                           std::to_string(c.ops.wire_length));
    }
    fields_[i] = {buf_ + p, len};
    if (c.ops.check == nullptr) arrow_bytes += c.ops.arrow_width > 0 ? c.ops.arrow_width : 4 + len;
    p += static_cast<std::size_t>(len);
  }
  row_end_ = p;
  row_.wire_bytes = static_cast<std::int64_t>(p - pos_);
  row_.error.clear();
  peeked_ = Peeked::kRow;
  for (std::size_t i = 0; i < columns_.size() && peeked_ == Peeked::kRow; ++i) {
    Column& c = columns_[i];
    if (c.ops.check == nullptr || fields_[i].length < 0) continue;
    Status st = c.ops.check(c.codec, c.ctx, fields_[i].data, fields_[i].length, &arrow_bytes);
    if (st.code() == StatusCode::kDataLoss) return st;
    if (!st.ok()) {
      row_.error = "column " + builder_->schema().field(static_cast<int>(i)).name() + ": " +
                   st.message();
      peeked_ = Peeked::kDataError;
    }
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
  if (state_ == State::kHeader) {
    Result<bool> header = ParseHeader();
    if (!header.ok()) return Broken(header.status());
    if (!*header) return NeedMore();
  }
  Result<bool> scanned = ScanTuple();
  if (!scanned.ok()) return Broken(scanned.status());
  if (!*scanned) return NeedMore();
  if (state_ == State::kDone) return CopyEvent::kEnd;
  return peeked_ == Peeked::kRow ? CopyEvent::kRow : CopyEvent::kDataError;
}

std::optional<Bytes> CopyBinaryDecoder::field(int i) const {
  const FieldRef& f = fields_[static_cast<std::size_t>(i)];
  if (peeked_ == Peeked::kNone || f.length < 0) return std::nullopt;
  return Bytes(f.data, static_cast<std::size_t>(f.length));
}

Status CopyBinaryDecoder::Append() {
  if (peeked_ != Peeked::kRow) return Status::FailedPrecondition("COPY decoder: no row to append");
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    Column& c = columns_[i];
    const FieldRef f = fields_[i];
    Status st = f.length < 0 ? c.builder->AppendNull()
                             : c.ops.decode(c.builder, c.codec, c.ctx, f.data, f.length);
    if (!st.ok()) return Broken(std::move(st));
  }
  peeked_ = Peeked::kNone;
  ++rows_appended_;
  Advance(row_end_);
  return Status::OK();
}

void CopyBinaryDecoder::Skip() {
  if (peeked_ == Peeked::kNone) return;
  peeked_ = Peeked::kNone;
  ++rows_skipped_;
  Advance(row_end_);
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
    if (rows > 0 && (rows >= max_rows ||
                     builder->BufferBytes() + decoder->row().arrow_bytes > max_bytes)) {
      return FillStop::kBatchFull;
    }
    RB_RETURN_NOT_OK(decoder->Append());
  }
}

}  // namespace rapidbyte::pgwire
