// StreamWriter: plans the body buffers of a record batch (rebasing slices), encodes the
// flatbuffer metadata, then copies the buffers with 8-byte padding.
#include "arrow/ipc/writer.h"

#include <cstring>
#include <string>

#include "arrow/bit_util.h"
#include "arrow/ipc/format_internal.h"

namespace rapidbyte::arrow::ipc {

namespace {

template <typename OffsetT>
int64_t LoadOffset(const uint8_t* offsets, int64_t i) {
  OffsetT o;
  std::memcpy(&o, offsets + i * static_cast<int64_t>(sizeof(OffsetT)), sizeof(o));
  return static_cast<int64_t>(o);
}

template <typename OffsetT>
void RebaseOffsets(const uint8_t* src, int64_t start, int64_t count, int64_t base, uint8_t* dst) {
  const uint8_t* s = src + start * static_cast<int64_t>(sizeof(OffsetT));
  if (base == 0) {
    std::memcpy(dst, s, static_cast<std::size_t>(count) * sizeof(OffsetT));
    return;
  }
  for (int64_t i = 0; i < count; ++i) {
    OffsetT o;
    std::memcpy(&o, s + i * static_cast<int64_t>(sizeof(OffsetT)), sizeof(o));
    o = static_cast<OffsetT>(o - base);
    std::memcpy(dst + i * static_cast<int64_t>(sizeof(OffsetT)), &o, sizeof(o));
  }
}

}  // namespace

Status StreamWriter::WriteSchema(const Schema& schema) {
  return WriteSchema(std::make_shared<const Schema>(schema));
}

Status StreamWriter::WriteSchema(std::shared_ptr<const Schema> schema) {
  if (schema_ != nullptr) return Status::FailedPrecondition("IPC schema already written");
  if (schema == nullptr) return Status::InvalidArgument("IPC schema is null");
  RB_RETURN_NOT_OK(schema->Validate());
  schema_ = std::move(schema);
  internal::EncodeSchemaMessage(*schema_, &fb_);
  return WriteMessage(0);
}

void StreamWriter::AddPiece(Piece piece) {
  buffers_.push_back({body_length_, piece.size});
  body_length_ += bit_util::PaddedLength(piece.size);
  pieces_.push_back(piece);
}

Status StreamWriter::PlanArray(const ArrayView& a, const std::string& name) {
  const DataType& type = *a.type;
  const Layout layout = type.layout();
  if (layout == Layout::kNull) {
    nodes_.push_back({a.length, a.length});
    return Status::OK();
  }
  nodes_.push_back({a.length, a.null_count});
  if (a.null_count > 0) {
    if (a.validity == nullptr) {
      return Status::InvalidArgument("column '" + name + "' has " + std::to_string(a.null_count) +
                                     " nulls but no validity bitmap");
    }
    AddPiece({Piece::kBitmap, a.validity, a.offset, a.length, 0, bit_util::BytesForBits(a.length)});
  } else {
    AddPiece({Piece::kCopy, nullptr, 0, 0, 0, 0});
  }
  switch (layout) {
    case Layout::kBitmap:
      AddPiece({Piece::kBitmap, a.values, a.offset, a.length, 0, bit_util::BytesForBits(a.length)});
      return Status::OK();
    case Layout::kFixedWidth: {
      const int64_t w = type.fixed_width();
      AddPiece({Piece::kCopy, a.values + a.offset * w, 0, a.length * w, 0, a.length * w});
      return Status::OK();
    }
    case Layout::kVarBinary32:
    case Layout::kVarBinary64: {
      const bool wide = layout == Layout::kVarBinary64;
      const int64_t w = wide ? 8 : 4;
      const int64_t first =
          wide ? LoadOffset<int64_t>(a.values, a.offset) : LoadOffset<int32_t>(a.values, a.offset);
      const int64_t last = wide ? LoadOffset<int64_t>(a.values, a.offset + a.length)
                                : LoadOffset<int32_t>(a.values, a.offset + a.length);
      AddPiece({wide ? Piece::kOffsets64 : Piece::kOffsets32, a.values, a.offset, a.length + 1,
                first, (a.length + 1) * w});
      AddPiece({Piece::kCopy, a.data + first, 0, last - first, 0, last - first});
      return Status::OK();
    }
    case Layout::kList32: {
      const int64_t first = LoadOffset<int32_t>(a.values, a.offset);
      const int64_t last = LoadOffset<int32_t>(a.values, a.offset + a.length);
      AddPiece({Piece::kOffsets32, a.values, a.offset, a.length + 1, first, (a.length + 1) * 4});
      if (a.children.size() != 1) {
        return Status::InvalidArgument("list column '" + name + "' has no item array");
      }
      const ArrayView& items = a.children[0];
      if (first == 0 && last == items.length) return PlanArray(items, name + ".item");
      return PlanArray(items.Slice(first, last - first), name + ".item");
    }
    case Layout::kNull:
      break;
  }
  return Status::OK();
}

Status StreamWriter::WriteRecordBatch(const RecordBatch& batch) {
  if (schema_ == nullptr) return Status::FailedPrecondition("IPC schema not written yet");
  if (finished_) return Status::FailedPrecondition("IPC stream already ended");
  if (batch.shared_schema() != schema_ && !(batch.schema() == *schema_)) {
    return Status::InvalidArgument("record batch schema differs from the stream schema");
  }
  nodes_.clear();
  buffers_.clear();
  pieces_.clear();
  body_length_ = 0;
  for (int i = 0; i < batch.num_columns(); ++i) {
    const ArrayView& column = batch.column(i);
    const std::string& name = schema_->field(i).name();
    if (column.length != batch.num_rows()) {
      return Status::InvalidArgument("column '" + name + "' has " + std::to_string(column.length) +
                                     " rows, the batch " + std::to_string(batch.num_rows()));
    }
    RB_RETURN_NOT_OK(PlanArray(column, name));
  }
  internal::EncodeRecordBatchMessage(batch.num_rows(), nodes_, buffers_, body_length_, &fb_);
  RB_RETURN_NOT_OK(WriteMessage(body_length_));
  for (const Piece& p : pieces_) WritePiece(p);
  return Status::OK();
}

Status StreamWriter::WriteEndOfStream() {
  if (finished_) return Status::FailedPrecondition("IPC stream already ended");
  finished_ = true;
  const uint32_t eos[2] = {internal::kContinuation, 0};
  return out_->Append(eos, sizeof(eos));
}

Status StreamWriter::WriteMessage(int64_t body_length) {
  const int64_t fb_size = fb_.size();
  const int64_t metadata_length = bit_util::PaddedLength(fb_size + 8) - 8;
  RB_RETURN_NOT_OK(out_->Reserve(out_->size() + 8 + metadata_length + body_length));
  const uint32_t continuation = internal::kContinuation;
  const int32_t length = static_cast<int32_t>(metadata_length);
  out_->UnsafeAppend(&continuation, 4);
  out_->UnsafeAppend(&length, 4);
  out_->UnsafeAppend(fb_.data(), fb_size);
  out_->UnsafeAppendZeros(metadata_length - fb_size);
  return Status::OK();
}

void StreamWriter::WritePiece(const Piece& p) {
  uint8_t* dst = out_->data() + out_->size();
  switch (p.kind) {
    case Piece::kCopy:
      if (p.size > 0) std::memcpy(dst, p.src, static_cast<std::size_t>(p.size));
      break;
    case Piece::kBitmap:
      bit_util::CopyBitmap(p.src, p.start, p.count, dst);
      break;
    case Piece::kOffsets32:
      RebaseOffsets<int32_t>(p.src, p.start, p.count, p.base, dst);
      break;
    case Piece::kOffsets64:
      RebaseOffsets<int64_t>(p.src, p.start, p.count, p.base, dst);
      break;
  }
  const int64_t padded = bit_util::PaddedLength(p.size);
  std::memset(dst + p.size, 0, static_cast<std::size_t>(padded - p.size));
  out_->UnsafeSetSize(out_->size() + padded);
}

Status WriteStream(const Schema& schema, std::span<const RecordBatch> batches, ByteBuffer* out) {
  StreamWriter writer(out);
  RB_RETURN_NOT_OK(writer.WriteSchema(schema));
  for (const RecordBatch& b : batches) RB_RETURN_NOT_OK(writer.WriteRecordBatch(b));
  return writer.WriteEndOfStream();
}

Status WriteFrame(const RecordBatch& batch, ByteBuffer* out) {
  StreamWriter writer(out);
  RB_RETURN_NOT_OK(writer.WriteSchema(batch.shared_schema()));
  RB_RETURN_NOT_OK(writer.WriteRecordBatch(batch));
  return writer.WriteEndOfStream();
}

}  // namespace rapidbyte::arrow::ipc
