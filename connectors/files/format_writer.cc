// The parquet, csv and jsonl encoders.
#include "connectors/files/format_writer.h"

#include <string>
#include <vector>

#include "connectors/files/text_values.h"
#include "parquet/writer.h"
#include "sdk/error_status.h"
#include "sdk/errors.h"
#include "sdk/host.h"

namespace rapidbyte::files {
namespace {

constexpr std::size_t kTextChunkBytes = std::size_t{1} << 20;

std::span<const std::uint8_t> Bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

sdk::host::Codec HostCodec(Compression c) {
  switch (c) {
    case Compression::kSnappy: return sdk::host::Codec::kSnappy;
    case Compression::kGzip: return sdk::host::Codec::kGzip;
    default: return sdk::host::Codec::kZstd;
  }
}

// Parquet pages compressed by the host (rb_host_compress).
class HostPageCompressor final : public parquet::PageCompressor {
 public:
  HostPageCompressor(Compression compression, int level)
      : compression_(compression), level_(level) {}
  parquet::Codec codec() const override {
    switch (compression_) {
      case Compression::kSnappy: return parquet::Codec::kSnappy;
      case Compression::kGzip: return parquet::Codec::kGzip;
      default: return parquet::Codec::kZstd;
    }
  }
  Status Compress(std::span<const uint8_t> input, std::string* out) override {
    return sdk::AsStatus(sdk::host::Compress(HostCodec(compression_), input, out, level_));
  }

 private:
  Compression compression_;
  int level_;
};

class ParquetFormat final : public FormatWriter {
 public:
  static sdk::Outcome<std::unique_ptr<FormatWriter>> Open(const FilesConfig& config,
                                                          const arrow::Schema& schema,
                                                          parquet::ParquetSink* sink) {
    auto self = std::unique_ptr<ParquetFormat>(new ParquetFormat(config.compression, config.compression_level));
    parquet::WriterOptions options;
    options.row_group_bytes = static_cast<int64_t>(config.row_group_size);
    if (config.compression != Compression::kNone) options.compressor = self->compressor_.get();
    options.created_by = "rapidbyte dest-files";
    auto writer = parquet::ParquetWriter::Open(schema, options, sink);
    if (!writer.ok()) return ErrorOfStatus(writer.status(), "UNSUPPORTED_TYPE");
    self->writer_ = std::move(*writer);
    return std::unique_ptr<FormatWriter>(std::move(self));
  }
  sdk::Outcome<void> Write(const arrow::RecordBatch& batch) override {
    const Status st = writer_->WriteBatch(batch);
    if (!st.ok()) return ErrorOfStatus(st, "PARQUET_WRITE_FAILED");
    return {};
  }
  sdk::Outcome<void> Finish() override {
    const Status st = writer_->Finish();
    if (!st.ok()) return ErrorOfStatus(st, "PARQUET_WRITE_FAILED");
    return {};
  }
  std::uint64_t size() const override {
    return static_cast<std::uint64_t>(writer_->bytes_written() + writer_->buffered_bytes());
  }

 private:
  ParquetFormat(Compression compression, int level)
      : compressor_(std::make_unique<HostPageCompressor>(compression, level)) {}
  std::unique_ptr<HostPageCompressor> compressor_;
  std::unique_ptr<parquet::ParquetWriter> writer_;
};

// CSV (RFC 4180 with a header row) and JSON Lines.
class TextFormat final : public FormatWriter {
 public:
  TextFormat(const FilesConfig& config, const arrow::Schema& schema, parquet::ParquetSink* sink)
      : config_(config), schema_(schema), sink_(sink) {
    for (int c = 0; c < schema.num_fields(); ++c) {
      const arrow::Field& field = schema.field(c);
      uuid_.push_back(field.extension_name() == arrow::kUuidExtension);
      std::string key;
      AppendJsonString(field.name(), &key);
      key.push_back(':');
      json_keys_.push_back((c == 0 ? "{" : ",") + key);
    }
    if (config.format == Format::kCsv) {
      for (int c = 0; c < schema.num_fields(); ++c) {
        if (c != 0) buffer_.push_back(',');
        AppendCsvName(schema.field(c).name());
      }
      buffer_.append("\r\n");
    }
  }

  sdk::Outcome<void> Write(const arrow::RecordBatch& batch) override {
    std::vector<ColumnText> columns;
    for (int c = 0; c < batch.num_columns(); ++c) {
      columns.push_back(ColumnText{&batch.column(c), uuid_[static_cast<std::size_t>(c)], false});
    }
    for (std::int64_t row = 0; row < batch.num_rows(); ++row) {
      if (config_.format == Format::kCsv) {
        for (std::size_t c = 0; c < columns.size(); ++c) {
          if (c != 0) buffer_.push_back(',');
          AppendCsvField(columns[c], row, config_.null_value, &buffer_);
        }
        buffer_.append("\r\n");
      } else {
        for (std::size_t c = 0; c < columns.size(); ++c) {
          buffer_.append(json_keys_[c]);
          AppendJsonValue(columns[c], row, &buffer_);
        }
        buffer_.append(columns.empty() ? "{}\n" : "}\n");
      }
      if (buffer_.size() >= kTextChunkBytes) RB_TRY(FlushChunk());
    }
    return {};
  }

  sdk::Outcome<void> Finish() override { return FlushChunk(); }
  std::uint64_t size() const override { return written_ + buffer_.size(); }

 private:
  void AppendCsvName(const std::string& name) {
    const bool quote = name.empty() || name.find_first_of(",\"\r\n") != std::string::npos;
    if (!quote) {
      buffer_.append(name);
      return;
    }
    buffer_.push_back('"');
    for (char ch : name) {
      if (ch == '"') buffer_.push_back('"');
      buffer_.push_back(ch);
    }
    buffer_.push_back('"');
  }

  sdk::Outcome<void> FlushChunk() {
    if (buffer_.empty()) return {};
    std::span<const std::uint8_t> out = Bytes(buffer_);
    if (config_.compression != Compression::kNone) {
      RB_TRY(sdk::host::Compress(HostCodec(config_.compression), out, &compressed_,
                                 config_.compression_level));
      out = Bytes(compressed_);
    }
    const Status st = sink_->Append(out);
    if (!st.ok()) return ErrorOfStatus(st, "FILE_IO_ERROR");
    written_ += out.size();
    buffer_.clear();
    return {};
  }

  const FilesConfig& config_;
  arrow::Schema schema_;
  parquet::ParquetSink* sink_;
  std::vector<bool> uuid_;
  std::vector<std::string> json_keys_;  // `{"name":` for the first column, `,"name":` after
  std::string buffer_, compressed_;
  std::uint64_t written_ = 0;
};

}  // namespace

sdk::ConnectorError ErrorOfStatus(const Status& status, const char* code) {
  if (const sdk::ConnectorError* error = sdk::ErrorOf(status)) return *error;
  if (status.code() == StatusCode::kInvalidArgument) {
    return sdk::SchemaError(code, status.message());
  }
  return sdk::InternalError(code, status.message());
}

sdk::Outcome<std::unique_ptr<FormatWriter>> FormatWriter::Open(const FilesConfig& config,
                                                               const arrow::Schema& schema,
                                                               parquet::ParquetSink* sink) {
  if (config.format == Format::kParquet) return ParquetFormat::Open(config, schema, sink);
  return std::unique_ptr<FormatWriter>(new TextFormat(config, schema, sink));
}

}  // namespace rapidbyte::files
