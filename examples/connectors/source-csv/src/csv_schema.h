// A stream's columns: the header row of its first file, each column's type declared in the
// config or inferred from the first `infer_rows` records, as an Arrow schema.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "arrow/schema.h"
#include "sdk/outcome.h"

#include "csv_config.h"
#include "csv_files.h"

namespace source_csv {

struct Column {
  std::string name;
  ColumnType type;
};

/// Header and types from files[0] (files must not be empty). Errors: the file cannot be
/// read or has no header (data), duplicate or empty column names (schema), a declared
/// column missing from the header (config, naming streams[i].columns[j]).
rapidbyte::sdk::Outcome<std::vector<Column>> ResolveColumns(const Config& config,
                                                            const StreamConfig& stream,
                                                            const std::vector<CsvFile>& files);

/// The Arrow type of a column (SPEC §9 spellings: int64, float64, decimal128(p, s), bool,
/// date32, timestamp[us], timestamp[us, UTC], utf8).
rapidbyte::arrow::DataType ArrowType(const ColumnType& type);
std::shared_ptr<const rapidbyte::arrow::Schema> ArrowSchema(const std::vector<Column>& columns);

/// Read the header record of an open reader: the column names, or an error message.
bool ReadHeader(CsvReader& reader, std::vector<std::string>* names, std::string* error);

}  // namespace source_csv
