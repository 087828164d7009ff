// Binary COPY straight into a table (SPEC §8.3 `copy`): one COPY ... FROM STDIN (FORMAT
// binary) stays open across frames and is ended before every commit. Tuples are encoded into
// one buffer of about copy_flush_bytes (reserved once) that goes out as a CopyData message
// each time it fills, also across frames: encoding a whole frame first made the buffer grow
// by doubling to twice the frame, and linear memory keeps every high-water mark.
#include "connectors/postgres/common/pg_errors.h"
#include "connectors/postgres/destination/writers_internal.h"

namespace rapidbyte::pgdest::internal {
namespace {

class CopyWriter final : public BatchWriter {
 public:
  CopyWriter(pgwire::Connection* conn, TargetLayout layout,
             std::shared_ptr<const arrow::Schema> projected, pgwire::CopyBinaryEncoder encoder)
      : conn_(conn),
        layout_(std::move(layout)),
        projected_(std::move(projected)),
        encoder_(std::move(encoder)),
        flush_bytes_(conn->copy_flush_bytes()),
        sql_("COPY " + layout_.table.Quoted() + " (" + ColumnList(layout_) +
             ") FROM STDIN (FORMAT binary)") {}

  Status Write(const arrow::RecordBatch& batch) override {
    if (!open_) {
      RB_RETURN_NOT_OK(conn_->StartCopyIn(sql_).status().WithContext("start COPY into " +
                                                                     layout_.table.Display()));
      open_ = true;
      buffer_.Clear();
      RB_RETURN_NOT_OK(buffer_.Reserve(static_cast<std::int64_t>(flush_bytes_ + flush_bytes_ / 4)));
      RB_RETURN_NOT_OK(pgwire::CopyBinaryEncoder::AppendHeader(&buffer_));
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
      if (static_cast<std::size_t>(buffer_.size()) >= flush_bytes_) {
        // At least copy_flush_bytes: the connection sends it without copying.
        RB_RETURN_NOT_OK(conn_->WriteCopyData(buffer_.span()));
        buffer_.Clear();
      }
    }
    return Status::OK();
  }

  Status EndFrame() override { return Status::OK(); }

  Status Finish() override {
    if (!open_) return Status::OK();
    open_ = false;
    RB_RETURN_NOT_OK(pgwire::CopyBinaryEncoder::AppendTrailer(&buffer_));
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
  pgwire::CopyBinaryEncoder encoder_;
  std::size_t flush_bytes_;
  std::string sql_;
  arrow::ByteBuffer buffer_;
  bool open_ = false;
};

}  // namespace

Result<std::unique_ptr<BatchWriter>> MakeCopyWriter(pgwire::Connection* conn,
                                                    const arrow::Schema& incoming,
                                                    const TargetLayout& layout) {
  std::shared_ptr<const arrow::Schema> projected = ProjectSchema(incoming, layout);
  std::vector<pgwire::TargetColumn> targets;
  for (const WriteColumn& c : layout.columns) targets.push_back(c.target);
  auto encoder = pgwire::CopyBinaryEncoder::Make(*projected, targets);
  if (!encoder.ok()) {
    return pgconn::Fail(pgconn::ErrorCategory::kSchema, "SCHEMA_MISMATCH",
                        layout.table.Display() + ": " + encoder.status().message());
  }
  return std::unique_ptr<BatchWriter>(
      new CopyWriter(conn, layout, std::move(projected), std::move(*encoder)));
}

}  // namespace rapidbyte::pgdest::internal
