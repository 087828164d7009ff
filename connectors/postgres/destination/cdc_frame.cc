// Change frames: the metadata columns, the destination table's columns, change counts.
#include "connectors/postgres/destination/cdc_frame.h"

#include <algorithm>

#include "arrow/array.h"
#include "connectors/postgres/common/pg_errors.h"

namespace rapidbyte::pgdest {
namespace {

using arrow::DataType;
using arrow::TypeId;

struct MetadataColumn {
  std::string_view name;
  const char* type;     // as messages spell it
  const char* pg_type;  // the change log's column type
  bool nullable;
};

constexpr MetadataColumn kMetadata[] = {
    {kOpColumn, "utf8", "text", false},
    {kLsnColumn, "int64", "bigint", false},
    {kCommitTsColumn, "timestamp[us, UTC]", "timestamp with time zone", true},
    {kUnchangedColumn, "list<utf8>", "text[]", true},
};

DataType MetadataType(std::size_t i) {
  switch (i) {
    case 0: return DataType::Utf8();
    case 1: return DataType::Int64();
    case 2: return DataType::Timestamp(arrow::TimeUnit::kMicro, "UTC");
    default: return DataType::List(DataType::Utf8());
  }
}

// The frame's type is what the readers of the column need (any time zone: the values are
// UTC microseconds whatever it says).
bool TypeFits(std::size_t i, const DataType& type) {
  switch (i) {
    case 0: return type.id() == TypeId::kUtf8;
    case 1: return type.id() == TypeId::kInt64;
    case 2: return type.id() == TypeId::kTimestamp && type.unit() == arrow::TimeUnit::kMicro;
    default: return type.id() == TypeId::kList && type.item_type().id() == TypeId::kUtf8;
  }
}

Status BadFrame(pgconn::ErrorCategory category, std::string message) {
  return pgconn::Fail(category, "INVALID_CDC_FRAME", std::move(message));
}

}  // namespace

bool IsCdcMetadata(std::string_view name) {
  return std::any_of(std::begin(kMetadata), std::end(kMetadata),
                     [&](const MetadataColumn& m) { return m.name == name; });
}

Result<CdcColumns> FindCdcColumns(const arrow::Schema& frame, const std::string& stream) {
  int found[4];
  for (std::size_t i = 0; i < 4; ++i) {
    const MetadataColumn& m = kMetadata[i];
    found[i] = frame.GetFieldIndex(std::string(m.name));
    const std::string need =
        "cdc frames of stream " + stream + " need the column " + std::string(m.name) + " (" +
        m.type + ")";
    if (found[i] < 0) return BadFrame(pgconn::ErrorCategory::kSchema, need);
    const DataType& type = frame.field(found[i]).type();
    if (!TypeFits(i, type)) {
      return BadFrame(pgconn::ErrorCategory::kSchema, need + ", not " + type.ToString());
    }
  }
  return CdcColumns{found[0], found[1], found[2], found[3]};
}

arrow::Schema CdcTableSchema(const arrow::Schema& frame, WriteMode mode) {
  const bool log = mode != WriteMode::kUpsert;
  std::vector<arrow::Field> fields;
  for (const arrow::Field& field : frame.fields()) {
    if (IsCdcMetadata(field.name())) continue;
    fields.push_back(arrow::Field(field.name(), field.type(), true, field.metadata()));
  }
  if (log) {
    for (std::size_t i = 0; i < 4; ++i) {
      const MetadataColumn& m = kMetadata[i];
      fields.push_back(arrow::Field(std::string(m.name), MetadataType(i), m.nullable)
                           .With(arrow::kPgTypeKey, m.pg_type));
    }
  }
  return arrow::Schema(std::move(fields), frame.metadata());
}

pgwire::RelationCatalog WithoutDeletedAt(pgwire::RelationCatalog catalog) {
  std::erase_if(catalog.columns,
                [](const pgwire::PgColumn& c) { return c.name == kDeletedAtColumn; });
  return catalog;
}

std::string AddDeletedAtSql(const pgconn::QualifiedName& table) {
  return "ALTER TABLE " + table.Quoted() + " ADD COLUMN IF NOT EXISTS " +
         pgwire::QuoteIdent(kDeletedAtColumn) + " timestamp with time zone";
}

std::vector<std::string> CdcPlanNotes(const WriteRequest& request) {
  if (request.write_mode != WriteMode::kUpsert) {
    return {"cdc change log: every change is one row with _rb_op, _rb_lsn, _rb_commit_ts and "
            "_rb_unchanged"};
  }
  std::string key;
  for (const std::string& k : request.primary_key) key += (key.empty() ? "" : ", ") + k;
  std::vector<std::string> notes = {
      "cdc mirror: each frame's changes are collapsed to the last change per key (" + key +
      ") and applied in one transaction with the commit record: deletes, then updates and "
      "inserts; columns in _rb_unchanged keep their value; a truncate truncates the table in "
      "order"};
  if (request.soft_delete) {
    notes.push_back(
        "soft_delete: deleted rows stay, with _rb_deleted_at set to the change's commit time; a "
        "truncate marks every row deleted");
  }
  return notes;
}

Status CountChanges(const arrow::RecordBatch& batch, int op_column, ChangeCounts* counts) {
  const arrow::StringArray ops(batch.column(op_column));
  for (std::int64_t row = 0; row < batch.num_rows(); ++row) {
    const std::string_view op = ops.IsNull(row) ? std::string_view() : ops.GetView(row);
    std::uint64_t* slot = nullptr;
    if (!ops.IsNull(row)) {
      slot = op == "insert"     ? &counts->inserts
             : op == "update"   ? &counts->updates
             : op == "delete"   ? &counts->deletes
             : op == "truncate" ? &counts->truncates
                                : nullptr;
    }
    if (slot != nullptr) {
      ++*slot;
      continue;
    }
    // The value is valid UTF-8 (the frame was validated); a long one is not repeated.
    const std::string shown = ops.IsNull(row)   ? "null"
                              : op.size() > 32 ? "a " + std::to_string(op.size()) + "-byte value"
                                               : "'" + std::string(op) + "'";
    return BadFrame(pgconn::ErrorCategory::kData,
                    "row " + std::to_string(row) + " of a cdc frame has _rb_op " + shown +
                        " (allowed: insert, update, delete, truncate)");
  }
  return Status::OK();
}

}  // namespace rapidbyte::pgdest
