// Stream columns (see csv_schema.h).
#include "csv_schema.h"

#include <cstdio>
#include <set>

namespace source_csv {
namespace arrow = rapidbyte::arrow;
namespace sdk = rapidbyte::sdk;

bool ReadHeader(CsvReader& reader, std::vector<std::string>* names, std::string* error) {
  std::vector<bool> quoted;
  switch (reader.Next(names, &quoted)) {
    case CsvReader::Status::kRecord:
      return true;
    case CsvReader::Status::kEnd:
      *error = "no header row (the file is empty)";
      return false;
    case CsvReader::Status::kError:
      *error = "line " + std::to_string(reader.record_line()) + ": " + reader.error();
      return false;
  }
  return false;
}

sdk::Outcome<std::vector<Column>> ResolveColumns(const Config& config, const StreamConfig& stream,
                                                 const std::vector<CsvFile>& files) {
  const CsvFile& first = files.front();
  std::FILE* f = std::fopen(first.path.c_str(), "rb");
  if (f == nullptr) return sdk::DataError("FILE_UNREADABLE", "cannot open " + first.path);
  CsvReader reader(f, config.delimiter);
  std::vector<std::string> header;
  std::string error;
  if (!ReadHeader(reader, &header, &error)) {
    std::fclose(f);
    return sdk::DataError("MALFORMED_HEADER", first.name + ": " + error);
  }
  std::set<std::string> seen;
  for (const auto& name : header) {
    if (name.empty() || !seen.insert(name).second) {
      std::fclose(f);
      return sdk::SchemaError("MALFORMED_HEADER", first.name + ": column name '" + name +
                                                      "' is empty or appears twice");
    }
  }
  std::vector<Column> columns(header.size());
  std::vector<bool> declared(header.size(), false);
  for (std::size_t i = 0; i < header.size(); ++i) columns[i].name = header[i];
  for (std::size_t j = 0; j < stream.columns.size(); ++j) {
    bool found = false;
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] != stream.columns[j].name) continue;
      columns[i].type = stream.columns[j].type;
      declared[i] = found = true;
    }
    if (!found) {
      std::fclose(f);
      return sdk::ConfigError(
          "streams[" + std::to_string(stream.index) + "].columns[" + std::to_string(j) + "].name",
          "column '" + stream.columns[j].name + "' is not in the header of " + first.name);
    }
  }
  // Infer the rest from the first records (NULLs and rows of the wrong width say nothing).
  std::vector<TypeInferrer> inferrers(header.size());
  std::vector<std::string> fields;
  std::vector<bool> quoted;
  for (std::int64_t n = 0; n < config.infer_rows; ++n) {
    const auto status = reader.Next(&fields, &quoted);
    if (status == CsvReader::Status::kEnd) break;
    if (status == CsvReader::Status::kError || fields.size() != header.size()) continue;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (!quoted[i] && fields[i] == config.null_string) continue;
      inferrers[i].Add(fields[i]);
    }
  }
  std::fclose(f);
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (!declared[i]) columns[i].type = inferrers[i].Result();
  }
  return columns;
}

arrow::DataType ArrowType(const ColumnType& type) {
  switch (type.kind) {
    case Kind::kInt64:
      return arrow::DataType::Int64();
    case Kind::kFloat64:
      return arrow::DataType::Float64();
    case Kind::kDecimal:
      return arrow::DataType::Decimal128(type.precision, type.scale);
    case Kind::kBool:
      return arrow::DataType::Bool();
    case Kind::kDate:
      return arrow::DataType::Date32();
    case Kind::kTimestamp:
      return arrow::DataType::Timestamp(arrow::TimeUnit::kMicro);
    case Kind::kTimestampTz:
      return arrow::DataType::Timestamp(arrow::TimeUnit::kMicro, "UTC");
    case Kind::kUtf8:
      return arrow::DataType::Utf8();
  }
  return arrow::DataType::Utf8();
}

std::shared_ptr<const arrow::Schema> ArrowSchema(const std::vector<Column>& columns) {
  std::vector<arrow::Field> fields;
  for (const auto& c : columns) fields.emplace_back(c.name, ArrowType(c.type), true);
  return std::make_shared<arrow::Schema>(std::move(fields));
}

}  // namespace source_csv
