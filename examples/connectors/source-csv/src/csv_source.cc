// source-csv: CSV files from one directory into Arrow frames, one stream per file pattern.
// The SDK (rb::sdk::Source, RB_SOURCE) generates the module's exports; this file only says
// what open, validate, discover and read do. See docs/connectors/sdk.md for the tutorial
// that builds it, and source-csv.manifest.json for the config.
//
// Read: list the stream's files (csv_files.h), take the columns from the first file
// (csv_schema.h), then every file in (modification time, name) order: rows go into an Arrow
// batch that is sent when it reaches max_batch_bytes / max_batch_rows. Incremental streams
// skip files at or before the stored cursor and checkpoint, after a frame, the last file
// whose rows have all been sent.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "arrow/record_batch_builder.h"
#include "sdk/exports.h"
#include "sdk/frame_emitter.h"

#include "csv_config.h"
#include "csv_files.h"
#include "csv_format.h"
#include "csv_schema.h"

namespace {

namespace sdk = rb::sdk;
namespace arrow = rb::arrow;
namespace protocol = rb::protocol;
using sdk::Json;
using namespace source_csv;  // NOLINT: this file is the connector

__extension__ typedef unsigned __int128 UInt128;  // -Wpedantic knows no 128-bit integers

// Append one parsed row to the builder's columns (`values[i]`, null when `nulls[i]`).
void AppendRow(arrow::RecordBatchBuilder& b, const std::vector<Column>& columns,
               const std::vector<int>& selected, const std::vector<std::string>& fields,
               const std::vector<Value>& values, const std::vector<bool>& nulls) {
  for (std::size_t k = 0; k < selected.size(); ++k) {
    const auto i = static_cast<std::size_t>(selected[k]);
    arrow::ArrayBuilder* col = b.column(static_cast<int>(k));
    if (nulls[i]) {
      (void)col->AppendNull();
      continue;
    }
    const Value& v = values[i];
    switch (columns[i].type.kind) {
      case Kind::kInt64:
      case Kind::kTimestamp:
      case Kind::kTimestampTz:
        (void)static_cast<arrow::Int64Builder*>(col)->Append(v.i);
        break;
      case Kind::kDate:
        (void)static_cast<arrow::Int32Builder*>(col)->Append(static_cast<std::int32_t>(v.i));
        break;
      case Kind::kFloat64:
        (void)static_cast<arrow::Float64Builder*>(col)->Append(v.f);
        break;
      case Kind::kBool:
        (void)static_cast<arrow::BooleanBuilder*>(col)->Append(v.b);
        break;
      case Kind::kDecimal: {
        const auto u = static_cast<UInt128>(v.d);
        (void)static_cast<arrow::Decimal128Builder*>(col)->Append(
            arrow::Decimal128{static_cast<std::uint64_t>(u), static_cast<std::int64_t>(u >> 64)});
        break;
      }
      case Kind::kUtf8:
        (void)static_cast<arrow::StringBuilder*>(col)->Append(fields[i]);
        break;
    }
  }
}

class CsvSource final : public sdk::Source {
 public:
  sdk::Outcome<sdk::OpenInfo> Open(const Json& config) override {
    auto parsed = ParseConfig(config);
    if (!parsed.ok()) return parsed.error();
    config_ = std::move(*parsed);
    return sdk::OpenInfo{};
  }

  // `rapidbyte check`: the config decodes and the directory can be listed.
  sdk::Outcome<sdk::ValidationResult> Validate(const Json& config, const Json&) override {
    auto parsed = ParseConfig(config);
    if (!parsed.ok()) return parsed.error();
    sdk::ValidationResult result;
    for (const auto& s : parsed->streams) {
      std::vector<CsvFile> files;
      std::string error;
      if (!ListFiles(parsed->directory, s.pattern, &files, &error)) {
        return sdk::ConfigError("directory", error);
      }
      result.checks.push_back({"stream " + s.name, sdk::ValidationResult::Status::kSuccess,
                               std::to_string(files.size()) + " file(s) match " + s.pattern});
    }
    return result;
  }

  // One stream per configured pattern, with the columns of its first file.
  sdk::Outcome<Json> Discover(const Json& config) override {
    auto parsed = ParseConfig(config);
    if (!parsed.ok()) return parsed.error();
    Json streams = Json::array();
    for (const auto& s : parsed->streams) {
      auto schema = DiscoverColumns(*parsed, s);
      if (!schema.ok()) return schema.error();
      streams.push_back({{"name", s.name},
                         {"kind", "file"},
                         {"schema", *schema},
                         {"supported_sync_modes", {"full_refresh", "incremental"}},
                         {"source_defined_cursor", nullptr},
                         {"source_defined_primary_key", nullptr}});
    }
    return Json{{"streams", streams}};
  }

  sdk::Outcome<Json> Read(const sdk::StreamContext& context) override;

 private:
  static sdk::Outcome<Json> DiscoverColumns(const Config& config, const StreamConfig& stream);
  // Per-read settings from the context; the stored cursor (a file key, or "") into *stored.
  sdk::Outcome<void> BeginRead(const sdk::StreamContext& context, std::string* stored);
  // The columns the read sends: all, or the pipeline's projection in its order.
  sdk::Outcome<std::vector<Column>> Project(const sdk::StreamContext& context,
                                            const std::string& first_file);
  sdk::Outcome<void> ReadFile(const CsvFile& file, const std::vector<std::string>& header,
                              arrow::RecordBatchBuilder& builder);
  // Parse the record just read into values_ / nulls_: "" or what is wrong with it.
  std::string ParseRecord(const CsvReader& reader, CsvReader::Status status);
  sdk::Outcome<void> Send(arrow::RecordBatchBuilder* builder);
  // A file finished since the last checkpoint (its rows may all have been skipped).
  bool CheckpointDue() const {
    return incremental_ && !completed_key_.empty() && completed_key_ != checkpointed_;
  }

  Config config_;
  // Per-read state.
  std::vector<Column> columns_;
  std::vector<int> selected_;
  std::vector<std::string> fields_;
  std::vector<bool> quoted_;
  std::vector<Value> values_;
  std::vector<bool> nulls_;
  sdk::FrameEmitter* emitter_ = nullptr;
  bool skip_bad_rows_ = false;
  std::uint64_t skipped_ = 0;
  std::int64_t max_record_bytes_ = 0;  // 0: no limit
  bool incremental_ = false;
  std::string cursor_field_;
  std::string completed_key_;  // the last file whose rows are all in the builder or sent
  std::string checkpointed_;   // the cursor of the last checkpoint
};

// Send the batch built so far and, for an incremental stream, checkpoint the last file
// whose rows have now all been sent.
sdk::Outcome<void> CsvSource::Send(arrow::RecordBatchBuilder* builder) {
  RB_TRY(emitter_->Emit(builder));
  if (!CheckpointDue()) return {};
  RB_TRY(emitter_->Checkpoint(Json{{"cursor_field", cursor_field_},
                                   {"cursor_value", {{"utf8", completed_key_}}},
                                   {"cursor_boundary", nullptr}}));
  checkpointed_ = completed_key_;
  return {};
}

sdk::Outcome<Json> CsvSource::DiscoverColumns(const Config& config, const StreamConfig& stream) {
  std::vector<CsvFile> files;
  std::string error;
  if (!ListFiles(config.directory, stream.pattern, &files, &error)) {
    return sdk::ConfigError("directory", error);
  }
  Json schema = Json::array();
  if (files.empty()) return schema;
  auto columns = ResolveColumns(config, stream, files);
  if (!columns.ok()) return columns.error();
  for (const auto& c : *columns) {
    schema.push_back(
        {{"name", c.name}, {"data_type", ArrowType(c.type).ToString()}, {"nullable", true}});
  }
  return schema;
}

sdk::Outcome<void> CsvSource::BeginRead(const sdk::StreamContext& context, std::string* stored) {
  // No dead-letter table of our own: dlq skips, as the destination keeps the dead letters.
  skip_bad_rows_ = context.on_data_error() != sdk::DataErrorPolicy::kFail;
  skipped_ = 0;
  max_record_bytes_ = context.limits().max_record_bytes;
  incremental_ = context.incremental();
  completed_key_.clear();
  checkpointed_.clear();
  stored->clear();
  if (!incremental_) return {};
  if (!context.cursor()) {
    return sdk::ConfigError("cursor_field", "incremental sync needs a cursor_field");
  }
  cursor_field_ = context.cursor()->field;
  if (context.cursor()->has_value()) {
    protocol::GetString(context.cursor()->last_value, "utf8", stored);
  }
  return {};
}

sdk::Outcome<std::vector<Column>> CsvSource::Project(const sdk::StreamContext& context,
                                                     const std::string& first_file) {
  selected_.clear();
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (!context.selected_columns()) selected_.push_back(static_cast<int>(i));
  }
  for (const auto& name : context.selected_columns().value_or(std::vector<std::string>{})) {
    int found = -1;
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      if (columns_[i].name == name) found = static_cast<int>(i);
    }
    if (found < 0) {
      return sdk::SchemaError("COLUMN_NOT_FOUND", "column '" + name + "' is not in " + first_file);
    }
    selected_.push_back(found);
  }
  std::vector<Column> out;
  for (int i : selected_) out.push_back(columns_[static_cast<std::size_t>(i)]);
  return out;
}

sdk::Outcome<Json> CsvSource::Read(const sdk::StreamContext& context) {
  const StreamConfig* stream = config_.Find(context.stream_name());
  if (stream == nullptr) {
    return sdk::ConfigError("streams", "no entry for stream '" + context.stream_name() + "'");
  }
  std::string stored;  // files at or before this key were sent by an earlier run
  RB_TRY(BeginRead(context, &stored));
  std::vector<CsvFile> files;
  std::string error;
  if (!ListFiles(config_.directory, stream->pattern, &files, &error)) {
    return sdk::ConfigError("directory", error);
  }
  sdk::FrameEmitter emitter(*this, context, config_.max_batch_rows);
  emitter_ = &emitter;
  if (files.empty()) {
    Log(sdk::LogLevel::kWarn, "no file in " + config_.directory + " matches " + stream->pattern);
    return emitter.Summary().ToJson();
  }
  auto columns = ResolveColumns(config_, *stream, files);
  if (!columns.ok()) return columns.error();
  columns_ = std::move(*columns);
  auto projected = Project(context, files.front().name);
  if (!projected.ok()) return projected.error();
  auto builder = arrow::RecordBatchBuilder::Make(ArrowSchema(*projected));
  if (!builder.ok()) return sdk::InternalError("ARROW", builder.status().message());

  std::vector<std::string> header;
  for (const auto& c : columns_) header.push_back(c.name);
  for (const auto& file : files) {
    if (!stored.empty() && file.key <= stored) continue;
    RB_TRY(ReadFile(file, header, **builder));
  }
  // The last frame. An empty read still sends one, so the destination learns the schema.
  if ((*builder)->num_rows() > 0 || emitter.totals().batches == 0 || CheckpointDue()) {
    RB_TRY(Send(builder->get()));
  }
  protocol::ReadSummary summary = emitter.Summary();
  summary.records_skipped = skipped_;
  return summary.ToJson();
}

std::string CsvSource::ParseRecord(const CsvReader& reader, CsvReader::Status status) {
  if (status == CsvReader::Status::kError) return reader.error();
  if (fields_.size() != columns_.size()) {
    return "expected " + std::to_string(columns_.size()) + " fields, got " +
           std::to_string(fields_.size());
  }
  std::int64_t row_bytes = 0;
  for (int k : selected_) {
    const auto i = static_cast<std::size_t>(k);
    nulls_[i] = !quoted_[i] && fields_[i] == config_.null_string;
    row_bytes += static_cast<std::int64_t>(fields_[i].size()) + 16;
    if (!nulls_[i] && !ParseValue(fields_[i], columns_[i].type, &values_[i])) {
      return "column " + columns_[i].name + ": '" + fields_[i] + "' is not a " +
             TypeName(columns_[i].type);
    }
  }
  if (max_record_bytes_ > 0 && row_bytes > max_record_bytes_) {
    return "row of " + std::to_string(row_bytes) + " bytes exceeds max_record_bytes";
  }
  return "";
}

sdk::Outcome<void> CsvSource::ReadFile(const CsvFile& file, const std::vector<std::string>& header,
                                       arrow::RecordBatchBuilder& builder) {
  std::FILE* f = std::fopen(file.path.c_str(), "rb");
  if (f == nullptr) return sdk::DataError("FILE_UNREADABLE", "cannot open " + file.path);
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(f, &std::fclose);
  CsvReader reader(f, config_.delimiter);
  std::string error;
  if (!ReadHeader(reader, &fields_, &error)) {
    return sdk::DataError("MALFORMED_HEADER", file.name + ": " + error);
  }
  if (fields_ != header) {
    return sdk::SchemaError("HEADER_MISMATCH",
                            file.name + ": the header row differs from the stream's first file");
  }
  values_.assign(columns_.size(), Value{});
  nulls_.assign(columns_.size(), false);
  for (;;) {
    if (IsCancelled()) return sdk::CancelledError();
    const auto status = reader.Next(&fields_, &quoted_);
    if (status == CsvReader::Status::kEnd) break;
    // A bad row: a data error naming file and line, or skipped and counted.
    if (const std::string bad = ParseRecord(reader, status); !bad.empty()) {
      const std::string where = file.name + " line " + std::to_string(reader.record_line());
      if (!skip_bad_rows_) return sdk::DataError("MALFORMED_ROW", where + ": " + bad);
      ++skipped_;
      Log(sdk::LogLevel::kWarn, "skipped " + where + ": " + bad);
      continue;
    }
    if (emitter_->Full(builder)) RB_TRY(Send(&builder));
    AppendRow(builder, columns_, selected_, fields_, values_, nulls_);
  }
  if (std::ferror(f)) return sdk::DataError("FILE_UNREADABLE", "reading " + file.path + " failed");
  completed_key_ = file.key;
  return {};
}

}  // namespace

RB_SOURCE(CsvSource);
