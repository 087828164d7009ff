// COPY straight into a table (SPEC §8.3 `copy`): one COPY ... FROM STDIN stays open across
// frames and is ended before every commit. The format is binary, or text when a column's type
// is carried as text (inet, timetz, enums, ...: RequiresTextFormat). Rows are encoded into
// one buffer of about copy_flush_bytes (reserved once) that goes out as a CopyData message
// each time it fills (the first ones sooner, see kFirstSendBytes), also across frames:
// encoding a whole frame first made the buffer grow by doubling to twice the frame, and
// linear memory keeps every high-water mark.
#include <algorithm>
#include <type_traits>

#include "connectors/postgres/common/pg_errors.h"
#include "connectors/postgres/destination/writers_internal.h"
#include "pgwire/copy_text.h"

namespace rapidbyte::pgdest::internal {
namespace {

// Encoder: pgwire::CopyBinaryEncoder or pgwire::CopyTextEncoder.
template <typename Encoder>
class CopyWriter final : public BatchWriter {
  static constexpr bool kBinary = std::is_same_v<Encoder, pgwire::CopyBinaryEncoder>;

 public:
  CopyWriter(pgwire::Connection* conn, TargetLayout layout,
             std::shared_ptr<const arrow::Schema> projected, Encoder encoder)
      : conn_(conn),
        layout_(std::move(layout)),
        projected_(std::move(projected)),
        encoder_(std::move(encoder)),
        flush_bytes_(conn->copy_flush_bytes()),
        sql_("COPY " + layout_.table.Quoted() + " (" + ColumnList(layout_) +
             ") FROM STDIN (FORMAT " + (kBinary ? "binary" : "text") + ")") {}

  Status Write(const arrow::RecordBatch& batch) override {
    // No COPY for a batch without rows (an empty table, an incremental run with nothing new):
    // it would cost a round trip, and a COPY is only ended by Finish().
    if (batch.num_rows() == 0) return Status::OK();
    if (!open_) {
      RB_RETURN_NOT_OK(conn_->StartCopyIn(sql_).status().WithContext("start COPY into " +
                                                                     layout_.table.Display()));
      open_ = true;
      send_at_ = std::min(kFirstSendBytes, flush_bytes_);
      buffer_.Clear();
      RB_RETURN_NOT_OK(buffer_.Reserve(static_cast<std::int64_t>(flush_bytes_ + flush_bytes_ / 4)));
      if constexpr (kBinary) RB_RETURN_NOT_OK(pgwire::CopyBinaryEncoder::AppendHeader(&buffer_));
    }
    const arrow::RecordBatch projected = ProjectBatch(batch, layout_, projected_);
    for (std::int64_t row = 0; row < projected.num_rows(); ++row) {
      Status st = encoder_.EncodeRow(projected, row, &buffer_);
      if (!st.ok()) {
        if (st.code() == StatusCode::kResourceExhausted) return st;
        return pgconn::Fail(pgconn::ErrorCategory::kData, "DATA_ERROR",
                            "row " + std::to_string(row) + " of a batch for " +
                                layout_.table.Display() + ": " + st.message());
      }
      if (static_cast<std::size_t>(buffer_.size()) >= send_at_) {
        // The connection sends it without copying.
        RB_RETURN_NOT_OK(conn_->SendCopyData(buffer_.span()));
        buffer_.Clear();
        send_at_ = std::min(send_at_ * 2, flush_bytes_);
      }
    }
    return Status::OK();
  }

  Status EndFrame() override { return Status::OK(); }

  Status Finish() override {
    if (!open_) return Status::OK();
    open_ = false;
    if constexpr (kBinary) RB_RETURN_NOT_OK(pgwire::CopyBinaryEncoder::AppendTrailer(&buffer_));
    RB_RETURN_NOT_OK(conn_->WriteCopyData(buffer_.span()));
    buffer_.Clear();
    return conn_->EndCopyIn().status().WithContext("COPY into " + layout_.table.Display());
  }

  void Abort() override {
    if (!open_) return;
    open_ = false;
    buffer_.Clear();
    conn_->AbortCopyIn("rapidbyte: write abandoned").IgnoreError();
  }

 private:
  pgwire::Connection* conn_;
  TargetLayout layout_;
  std::shared_ptr<const arrow::Schema> projected_;
  Encoder encoder_;
  // The first CopyData of a COPY goes out at kFirstSendBytes and each next one at twice the
  // previous size, up to copy_flush_bytes: the server starts inserting while the first rows
  // are still being encoded (issue #21) instead of after a whole copy_flush_bytes.
  static constexpr std::size_t kFirstSendBytes = 64 << 10;
  std::size_t flush_bytes_;
  std::size_t send_at_ = kFirstSendBytes;
  std::string sql_;
  arrow::ByteBuffer buffer_;
  bool open_ = false;
};

template <typename Encoder>
Result<std::unique_ptr<BatchWriter>> MakeWriterWith(pgwire::Connection* conn,
                                                    const TargetLayout& layout,
                                                    std::shared_ptr<const arrow::Schema> projected,
                                                    const std::vector<pgwire::TargetColumn>& targets) {
  auto encoder = Encoder::Make(*projected, targets);
  if (!encoder.ok()) {
    return pgconn::Fail(pgconn::ErrorCategory::kSchema, "SCHEMA_MISMATCH",
                        layout.table.Display() + ": " + encoder.status().message());
  }
  return std::unique_ptr<BatchWriter>(
      new CopyWriter<Encoder>(conn, layout, std::move(projected), std::move(*encoder)));
}

}  // namespace

Result<std::unique_ptr<BatchWriter>> MakeCopyWriter(pgwire::Connection* conn,
                                                    const arrow::Schema& incoming,
                                                    const TargetLayout& layout) {
  std::shared_ptr<const arrow::Schema> projected = ProjectSchema(incoming, layout);
  std::vector<pgwire::TargetColumn> targets;
  for (const WriteColumn& c : layout.columns) targets.push_back(c.target);
  const bool text = std::any_of(layout.columns.begin(), layout.columns.end(),
                                [](const WriteColumn& c) { return c.text_input; });
  if (text) return MakeWriterWith<pgwire::CopyTextEncoder>(conn, layout, projected, targets);
  return MakeWriterWith<pgwire::CopyBinaryEncoder>(conn, layout, projected, targets);
}

}  // namespace rapidbyte::pgdest::internal
