// RecordBatchBuilder: creating column builders and finishing batches.
#include "arrow/record_batch_builder.h"

#include <string>
#include <utility>

namespace rapidbyte::arrow {

namespace {

// Point the view's type (and its children's) at the schema's types, which the batch keeps
// alive, instead of at the builders' copies.
void AdoptTypes(const DataType& type, ArrayView* view) {
  view->type = &type;
  if (type.id() == TypeId::kList && !view->children.empty()) {
    AdoptTypes(type.item_type(), &view->children[0]);
  }
}

}  // namespace

Result<std::unique_ptr<RecordBatchBuilder>> RecordBatchBuilder::Make(
    std::shared_ptr<const Schema> schema) {
  if (schema == nullptr) return Status::InvalidArgument("RecordBatchBuilder needs a schema");
  std::vector<std::unique_ptr<ArrayBuilder>> columns;
  columns.reserve(static_cast<std::size_t>(schema->num_fields()));
  for (const Field& f : schema->fields()) {
    auto b = MakeBuilder(f.type());
    if (!b.ok()) return b.status().WithContext("field '" + f.name() + "'");
    columns.push_back(std::move(b).value());
  }
  return std::unique_ptr<RecordBatchBuilder>(
      new RecordBatchBuilder(std::move(schema), std::move(columns)));
}

Status RecordBatchBuilder::Reserve(int64_t rows) {
  for (auto& c : columns_) RB_RETURN_NOT_OK(c->Reserve(rows));
  return Status::OK();
}

int64_t RecordBatchBuilder::BufferBytes() const {
  int64_t total = 0;
  for (const auto& c : columns_) total += c->BufferBytes();
  return total;
}

Result<RecordBatch> RecordBatchBuilder::Finish() {
  const int64_t rows = num_rows();
  std::vector<ArrayView> views;
  views.reserve(columns_.size());
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    const Field& f = schema_->fields()[i];
    ArrayBuilder& b = *columns_[i];
    if (b.length() != rows) {
      return Status::InvalidArgument("column '" + f.name() + "' has " + std::to_string(b.length()) +
                                     " values, column '" + schema_->field(0).name() + "' has " +
                                     std::to_string(rows));
    }
    if (!f.nullable() && b.null_count() > 0 && f.type().id() != TypeId::kNull) {
      return Status::InvalidArgument("non-nullable column '" + f.name() + "' holds " +
                                     std::to_string(b.null_count()) + " nulls");
    }
    views.push_back(b.Finish());
    AdoptTypes(f.type(), &views.back());
  }
  return RecordBatch(schema_, rows, std::move(views));
}

void RecordBatchBuilder::Reset() {
  for (auto& c : columns_) c->Reset();
}

}  // namespace rapidbyte::arrow
