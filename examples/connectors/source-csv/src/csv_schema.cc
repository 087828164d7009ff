// Stream columns (see csv_schema.h).
#include "csv_schema.h"

#include <cstdio>
#include <memory>
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

namespace {

// The header of `file` as column names: none empty, none twice.
sdk::Outcome<std::vector<Column>> ReadColumns(CsvReader& reader, const CsvFile& file) {
  std::vector<std::string> header;
  std::string error;
  if (!ReadHeader(reader, &header, &error)) {
    return sdk::DataError("MALFORMED_HEADER", file.name + ": " + error);
  }
  std::set<std::string> seen;
  std::vector<Column> columns;
  for (const auto& name : header) {
    if (name.empty() || !seen.insert(name).second) {
      return sdk::SchemaError("MALFORMED_HEADER",
                              file.name + ": column name '" + name + "' is empty or appears twice");
    }
    columns.push_back({name, ColumnType{}});
  }
  return columns;
}

// Set the declared types; declared[i] says which columns have one.
sdk::Outcome<void> ApplyDeclared(const StreamConfig& stream, const CsvFile& file,
                                 std::vector<Column>& columns, std::vector<bool>& declared) {
  declared.assign(columns.size(), false);
  for (std::size_t j = 0; j < stream.columns.size(); ++j) {
    bool found = false;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (columns[i].name != stream.columns[j].name) continue;
      columns[i].type = stream.columns[j].type;
      declared[i] = found = true;
    }
    if (!found) {
      return sdk::ConfigError(
          "streams[" + std::to_string(stream.index) + "].columns[" + std::to_string(j) + "].name",
          "column '" + stream.columns[j].name + "' is not in the header of " + file.name);
    }
  }
  return {};
}

// Infer the undeclared types from the next infer_rows records (NULLs and rows of the wrong
// width say nothing).
void InferTypes(const Config& config, CsvReader& reader, std::vector<Column>& columns,
                const std::vector<bool>& declared) {
  std::vector<TypeInferrer> inferrers(columns.size());
  std::vector<std::string> fields;
  std::vector<bool> quoted;
  for (std::int64_t n = 0; n < config.infer_rows; ++n) {
    const auto status = reader.Next(&fields, &quoted);
    if (status == CsvReader::Status::kEnd) break;
    if (status == CsvReader::Status::kError || fields.size() != columns.size()) continue;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (!quoted[i] && fields[i] == config.null_string) continue;
      inferrers[i].Add(fields[i]);
    }
  }
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (!declared[i]) columns[i].type = inferrers[i].Result();
  }
}

}  // namespace

sdk::Outcome<std::vector<Column>> ResolveColumns(const Config& config, const StreamConfig& stream,
                                                 const std::vector<CsvFile>& files) {
  const CsvFile& first = files.front();
  std::FILE* f = std::fopen(first.path.c_str(), "rb");
  if (f == nullptr) return sdk::DataError("FILE_UNREADABLE", "cannot open " + first.path);
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(f, &std::fclose);
  CsvReader reader(f, config.delimiter);
  auto columns = ReadColumns(reader, first);
  if (!columns.ok()) return columns.error();
  std::vector<bool> declared;
  RB_TRY(ApplyDeclared(stream, first, *columns, declared));
  InferTypes(config, reader, *columns, declared);
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
