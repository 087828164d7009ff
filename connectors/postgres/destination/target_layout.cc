// Layout construction and batch projection.
#include "connectors/postgres/destination/target_layout.h"

namespace rapidbyte::pgdest {

Result<TargetLayout> BuildLayout(const pgconn::QualifiedName& table,
                                 const pgwire::RelationCatalog& catalog,
                                 const arrow::Schema& incoming, const std::set<std::string>& skip) {
  TargetLayout layout;
  layout.table = table;
  for (int i = 0; i < incoming.num_fields(); ++i) {
    const arrow::Field& field = incoming.field(i);
    if (skip.count(field.name()) != 0) continue;
    const pgwire::PgColumn* column = nullptr;
    for (const pgwire::PgColumn& c : catalog.columns) {
      if (c.name == field.name()) column = &c;
    }
    if (column == nullptr) {
      return Status::Internal("column " + field.name() + " is missing from " + table.Display());
    }
    WriteColumn out;
    out.name = field.name();
    out.field_index = i;
    out.format_type = column->format_type;
    if (column->elem_oid != 0) {
      out.target = pgwire::TargetColumn{column->base_oid, column->elem_oid, column->elem_name};
    } else {
      out.target = pgwire::TargetColumn{column->base_oid, 0, column->base_name};
    }
    out.text_input = pgwire::RequiresTextFormat(field.type(), out.target);
    layout.columns.push_back(std::move(out));
  }
  return layout;
}

Status ReindexLayout(const arrow::Schema& incoming, TargetLayout* layout) {
  for (WriteColumn& c : layout->columns) {
    c.field_index = incoming.GetFieldIndex(c.name);
    if (c.field_index < 0) {
      return Status::Internal("column " + c.name + " of " + layout->table.Display() +
                              " is not in the frames");
    }
  }
  return Status::OK();
}

std::shared_ptr<const arrow::Schema> ProjectSchema(const arrow::Schema& incoming,
                                                   const TargetLayout& layout) {
  std::vector<arrow::Field> fields;
  fields.reserve(layout.columns.size());
  for (const WriteColumn& c : layout.columns) fields.push_back(incoming.field(c.field_index));
  return std::make_shared<const arrow::Schema>(std::move(fields));
}

arrow::RecordBatch ProjectBatch(const arrow::RecordBatch& batch, const TargetLayout& layout,
                                const std::shared_ptr<const arrow::Schema>& projected) {
  std::vector<arrow::ArrayView> columns;
  columns.reserve(layout.columns.size());
  for (const WriteColumn& c : layout.columns) columns.push_back(batch.column(c.field_index));
  return arrow::RecordBatch(projected, batch.num_rows(), std::move(columns));
}

std::string ColumnList(const TargetLayout& layout) {
  std::string out;
  for (std::size_t i = 0; i < layout.columns.size(); ++i) {
    out += (i ? ", " : "") + pgwire::QuoteIdent(layout.columns[i].name);
  }
  return out;
}

}  // namespace rapidbyte::pgdest
