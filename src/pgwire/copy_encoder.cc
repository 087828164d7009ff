// CopyBinaryEncoder: per-column encoder selection, atomic row encoding, header and trailer.
#include "pgwire/copy_encoder.h"

#include <utility>

#include "pgwire/value_encode_internal.h"

namespace rapidbyte::pgwire {

using encode_internal::EncodeContext;
using encode_internal::EncodeFn;

struct CopyBinaryEncoder::Column {
  EncodeFn encode = nullptr;
  EncodeContext ctx;
  std::string name;
};

CopyBinaryEncoder::CopyBinaryEncoder(std::vector<Column> columns) : columns_(std::move(columns)) {}
CopyBinaryEncoder::CopyBinaryEncoder(CopyBinaryEncoder&&) noexcept = default;
CopyBinaryEncoder& CopyBinaryEncoder::operator=(CopyBinaryEncoder&&) noexcept = default;
CopyBinaryEncoder::~CopyBinaryEncoder() = default;

Result<CopyBinaryEncoder> CopyBinaryEncoder::Make(const arrow::Schema& schema,
                                                  const std::vector<TargetColumn>& targets) {
  if (static_cast<int>(targets.size()) != schema.num_fields()) {
    return Status::InvalidArgument("COPY encoder: " + std::to_string(targets.size()) +
                                   " target columns for " + std::to_string(schema.num_fields()) +
                                   " fields");
  }
  std::vector<Column> columns(targets.size());
  for (int i = 0; i < schema.num_fields(); ++i) {
    const arrow::Field& field = schema.field(i);
    const TargetColumn& target = targets[static_cast<std::size_t>(i)];
    Column& c = columns[static_cast<std::size_t>(i)];
    c.name = field.name();
    if (RequiresTextFormat(field.type(), target)) {
      return Status::FailedPrecondition("field " + field.name() +
                                        " needs the text COPY format for its target type");
    }
    Result<encode_internal::Encoder> fn =
        encode_internal::SelectEncoder(field.type(), target, &c.ctx);
    if (!fn.ok()) return fn.status().WithContext("field " + field.name());
    c.encode = fn->fn;
  }
  return CopyBinaryEncoder(std::move(columns));
}

Status CopyBinaryEncoder::AppendHeader(arrow::ByteBuffer* out) {
  static constexpr std::uint8_t kHeader[19] = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', 0xFF, '\r',
                                               '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
  return out->Append(kHeader, sizeof(kHeader));
}

Status CopyBinaryEncoder::AppendTrailer(arrow::ByteBuffer* out) {
  static constexpr std::uint8_t kTrailer[2] = {0xFF, 0xFF};
  return out->Append(kTrailer, sizeof(kTrailer));
}

Status CopyBinaryEncoder::CheckBatch(const arrow::RecordBatch& batch) const {
  if (batch.num_columns() != static_cast<int>(columns_.size())) {
    return Status::InvalidArgument("COPY encoder: batch does not match the schema");
  }
  return Status::OK();
}

Status CopyBinaryEncoder::EncodeRow(const arrow::RecordBatch& batch, std::int64_t row,
                                    arrow::ByteBuffer* out) {
  RB_RETURN_NOT_OK(CheckBatch(batch));
  return AppendRow(batch, row, out);
}

Status CopyBinaryEncoder::AppendRow(const arrow::RecordBatch& batch, std::int64_t row,
                                    arrow::ByteBuffer* out) {
  const std::int64_t start = out->size();
  RB_RETURN_NOT_OK(out->Reserve(start + 2));
  encode_internal::StoreBe16(out->data() + start, static_cast<std::uint16_t>(columns_.size()));
  out->UnsafeSetSize(start + 2);
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    const arrow::ArrayView& array = batch.column(static_cast<int>(c));
    Column& column = columns_[c];
    bool ok;
    if (array.IsNull(row)) {
      std::uint8_t* q = encode_internal::Extend(out, 4, column.ctx);
      ok = q != nullptr;
      if (ok) encode_internal::StoreBe32(q, 0xFFFFFFFFu);
    } else {
      ok = column.encode(array, row, column.ctx, out);
    }
    if (!ok) [[unlikely]] {
      out->UnsafeSetSize(start);
      return std::exchange(column.ctx.error, Status::OK()).WithContext("column " + column.name);
    }
  }
  return Status::OK();
}

Status CopyBinaryEncoder::EncodeBatch(const arrow::RecordBatch& batch, arrow::ByteBuffer* out,
                                      std::vector<RowError>* rejected) {
  RB_RETURN_NOT_OK(CheckBatch(batch));
  for (std::int64_t row = 0; row < batch.num_rows(); ++row) {
    Status st = AppendRow(batch, row, out);
    if (st.ok()) continue;
    if (rejected == nullptr || st.code() == StatusCode::kResourceExhausted) return st;
    rejected->push_back(RowError{row, std::move(st)});
  }
  return Status::OK();
}

}  // namespace rapidbyte::pgwire
