// TargetLayout: which table columns a stream writes and from which Arrow field, with each
// column's actual type as the server reports it (after CREATE or schema evolution), so the
// encoders write every value in the binary format of the real column type (SPEC §8.3).
// Also the projection of incoming batches onto those columns. Portable.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "arrow/record_batch.h"
#include "base/result.h"
#include "connectors/postgres/common/identifiers.h"
#include "pgwire/catalog.h"
#include "pgwire/copy_encoder.h"

namespace rapidbyte::pgdest {

struct WriteColumn {
  std::string name;
  int field_index = -1;         ///< field of the incoming schema
  pgwire::TargetColumn target;  ///< actual type, domains resolved
  std::string format_type;      ///< declared type text from the catalog (DDL, messages)
  bool text_input = false;      ///< reachable only through the type's text input
};

struct TargetLayout {
  pgconn::QualifiedName table;
  std::vector<WriteColumn> columns;
};

/// Pair every incoming field (except those in `skip`) with its column of `catalog`. A field
/// without a column is an internal error (evolution should have added or skipped it).
Result<TargetLayout> BuildLayout(const pgconn::QualifiedName& table,
                                 const pgwire::RelationCatalog& catalog,
                                 const arrow::Schema& incoming, const std::set<std::string>& skip);

/// Point every column of `layout` at the field of the same name in `incoming` (a layout
/// built from a cdc stream's table columns, for its frames). A column without a field is an
/// internal error.
Status ReindexLayout(const arrow::Schema& incoming, TargetLayout* layout);

/// The incoming fields the layout writes, in layout order.
std::shared_ptr<const arrow::Schema> ProjectSchema(const arrow::Schema& incoming,
                                                   const TargetLayout& layout);

/// `batch` restricted to the layout's fields (views, no copy), with schema `projected`.
arrow::RecordBatch ProjectBatch(const arrow::RecordBatch& batch, const TargetLayout& layout,
                                const std::shared_ptr<const arrow::Schema>& projected);

/// `"a", "b"` for the layout's columns.
std::string ColumnList(const TargetLayout& layout);

}  // namespace rapidbyte::pgdest
