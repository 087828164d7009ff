// Row groups and the footer: FileMetaData (compact Thrift), its length, the magic. The footer
// carries ARROW:schema (base64 of the IPC schema message) so Arrow readers restore exact
// types and field metadata such as pg_type.
#include "parquet/writer.h"

#include <algorithm>

#include "arrow/byte_buffer.h"
#include "arrow/ipc/writer.h"
#include "pgwire/base64.h"

namespace rapidbyte::parquet {
namespace {

// Rows shredded between checks of the row group's size.
constexpr int64_t kRowsPerStep = 4096;

}  // namespace

ParquetWriter::ParquetWriter(const arrow::Schema& schema, WriterOptions options,
                             ParquetSink* sink)
    : schema_(schema), options_(std::move(options)), sink_(sink) {
  if (options_.compressor == nullptr) options_.compressor = &uncompressed_;
}

Result<std::unique_ptr<ParquetWriter>> ParquetWriter::Open(const arrow::Schema& schema,
                                                           WriterOptions options,
                                                           ParquetSink* sink) {
  std::unique_ptr<ParquetWriter> w(new ParquetWriter(schema, std::move(options), sink));
  RB_RETURN_NOT_OK(w->schema_.Validate());
  RB_ASSIGN_OR_RETURN(w->schema_map_, MapSchema(w->schema_));
  for (const ColumnDescriptor& col : w->schema_map_.columns) {
    w->columns_.push_back(std::make_unique<ColumnWriter>(col, w->options_, w->options_.compressor,
                                                          &w->page_buffers_));
  }
  w->meta_.schema = w->schema_map_.elements;
  w->meta_.created_by = w->options_.created_by;
  w->meta_.num_leaf_columns = static_cast<int32_t>(w->columns_.size());
  RB_RETURN_NOT_OK(w->Emit(kMagic));
  return w;
}

Status ParquetWriter::Emit(std::string_view bytes) {
  RB_RETURN_NOT_OK(sink_->Append({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()}));
  offset_ += static_cast<int64_t>(bytes.size());
  return Status::OK();
}

Status ParquetWriter::CheckBatch(const arrow::RecordBatch& batch) const {
  if (finished_) return Status::FailedPrecondition("the Parquet writer is finished");
  if (batch.num_columns() != schema_.num_fields()) {
    return Status::InvalidArgument("batch has " + std::to_string(batch.num_columns()) +
                                   " columns, the Parquet schema " +
                                   std::to_string(schema_.num_fields()));
  }
  for (int i = 0; i < batch.num_columns(); ++i) {
    if (!(*batch.column(i).type == schema_.field(i).type())) {
      return Status::InvalidArgument("column '" + schema_.field(i).name() + "' has type " +
                                     batch.column(i).type->ToString() + ", expected " +
                                     schema_.field(i).type().ToString());
    }
  }
  return Status::OK();
}

Status ParquetWriter::WriteBatch(const arrow::RecordBatch& batch) {
  RB_RETURN_NOT_OK(CheckBatch(batch));
  for (int64_t row = 0; row < batch.num_rows();) {
    const int64_t end = std::min({batch.num_rows(), row + kRowsPerStep,
                                  row + options_.row_group_rows - group_rows_});
    RB_RETURN_NOT_OK(WriteRows(batch, row, end));
    row = end;
    if (group_rows_ >= options_.row_group_rows || buffered_bytes() >= options_.row_group_bytes) {
      RB_RETURN_NOT_OK(FlushRowGroup());
    }
  }
  return Status::OK();
}

Status ParquetWriter::WriteRows(const arrow::RecordBatch& batch, int64_t begin, int64_t end) {
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    const int field = schema_map_.columns[c].field_index;
    RB_RETURN_NOT_OK(columns_[c]->WriteArray(batch.column(field), begin, end));
  }
  group_rows_ += end - begin;
  return Status::OK();
}

int64_t ParquetWriter::buffered_bytes() const {
  int64_t total = 0;
  for (const auto& c : columns_) total += c->BufferedBytes();
  return total;
}

Status ParquetWriter::FlushRowGroup() {
  if (group_rows_ == 0) return Status::OK();
  RowGroup group{.num_rows = group_rows_, .file_offset = offset_,
                 .ordinal = static_cast<int16_t>(meta_.row_groups.size())};
  for (auto& column : columns_) {
    const int64_t start = offset_;
    RB_ASSIGN_OR_RETURN(ColumnChunk chunk, column->Flush(start, sink_));
    offset_ += chunk.meta_data.total_compressed_size;
    group.total_byte_size += chunk.meta_data.total_uncompressed_size;
    group.total_compressed_size += chunk.meta_data.total_compressed_size;
    group.columns.push_back(std::move(chunk));
  }
  meta_.num_rows += group_rows_;
  meta_.row_groups.push_back(std::move(group));
  group_rows_ = 0;
  return Status::OK();
}

Result<std::string> ParquetWriter::ArrowSchemaValue() const {
  arrow::ByteBuffer message;
  arrow::ipc::StreamWriter writer(&message);
  RB_RETURN_NOT_OK(writer.WriteSchema(schema_map_.stored_arrow_schema));
  return pgwire::Base64Encode(message.span());
}

Status ParquetWriter::Finish() {
  if (finished_) return Status::FailedPrecondition("the Parquet writer is finished");
  RB_RETURN_NOT_OK(FlushRowGroup());
  finished_ = true;
  RB_ASSIGN_OR_RETURN(std::string arrow_schema, ArrowSchemaValue());
  meta_.key_value_metadata = {{"ARROW:schema", std::move(arrow_schema)}};
  std::string footer;
  SerializeFileMetaData(meta_, &footer);
  const auto length = static_cast<uint32_t>(footer.size());
  for (int i = 0; i < 4; ++i) footer.push_back(static_cast<char>((length >> (8 * i)) & 0xff));
  footer.append(kMagic);
  return Emit(footer);
}

}  // namespace rapidbyte::parquet
