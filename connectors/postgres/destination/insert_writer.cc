// Multi-row parameterised INSERT (SPEC §8.3 `insert`): values are always parameters. Each row
// is encoded once with the COPY encoder (the binary format of the actual column type) and its
// fields become binary parameters of unspecified type, which the server resolves from the
// target column; text-carried columns are sent as text parameters and parsed by the type's
// own input function. With an upsert key, rows of one statement are de-duplicated by key
// (the last one wins) because ON CONFLICT DO UPDATE may not touch a row twice.
#include <algorithm>
#include <cstring>
#include <map>

#include "connectors/postgres/common/pg_errors.h"
#include "connectors/postgres/destination/writers_internal.h"
#include "pgwire/type_map.h"

namespace rapidbyte::pgdest::internal {
namespace {

constexpr std::size_t kMaxParams = 65535;

class InsertWriter final : public BatchWriter {
 public:
  InsertWriter(pgwire::Connection* conn, TargetLayout layout,
               std::shared_ptr<const arrow::Schema> projected, pgwire::CopyBinaryEncoder encoder,
               std::size_t rows_per_statement, std::vector<int> key_columns,
               std::string on_conflict)
      : conn_(conn),
        layout_(std::move(layout)),
        projected_(std::move(projected)),
        encoder_(std::move(encoder)),
        rows_per_statement_(rows_per_statement),
        key_columns_(std::move(key_columns)),
        on_conflict_(std::move(on_conflict)) {}

  Status Write(const arrow::RecordBatch& batch) override {
    const arrow::RecordBatch projected = ProjectBatch(batch, layout_, projected_);
    for (std::int64_t row = 0; row < projected.num_rows(); ++row) {
      const std::int64_t start = buffer_.size();
      Status st = encoder_.EncodeRow(projected, row, &buffer_);
      if (!st.ok()) {
        if (st.code() == StatusCode::kResourceExhausted) return st;
        return pgconn::Fail(pgconn::ErrorCategory::kData, "DATA_ERROR",
                            "row " + std::to_string(row) + " of a batch for " +
                                layout_.table.Display() + ": " + st.message());
      }
      AddRow(start);
      if (live_rows_ >= rows_per_statement_) RB_RETURN_NOT_OK(Flush());
    }
    return Status::OK();
  }

  Status EndFrame() override { return Flush(); }
  Status Finish() override { return Flush(); }
  void Abort() override { Reset(); }

 private:
  // Field spans of one encoded tuple: int16 count, then (int32 length, bytes) per field.
  struct Row {
    std::vector<std::int64_t> offsets;  // -1: NULL
    std::vector<std::int32_t> lengths;
    bool live = true;
  };

  void AddRow(std::int64_t start) {
    Row row;
    std::int64_t at = start + 2;
    const std::uint8_t* data = buffer_.data();
    for (std::size_t c = 0; c < layout_.columns.size(); ++c) {
      const std::int32_t len = static_cast<std::int32_t>(
          (std::uint32_t{data[at]} << 24) | (std::uint32_t{data[at + 1]} << 16) |
          (std::uint32_t{data[at + 2]} << 8) | std::uint32_t{data[at + 3]});
      at += 4;
      row.offsets.push_back(len < 0 ? -1 : at);
      row.lengths.push_back(len);
      if (len > 0) at += len;
    }
    if (!key_columns_.empty()) {
      std::string key;
      for (int k : key_columns_) {
        const auto kc = static_cast<std::size_t>(k);
        key += std::to_string(row.lengths[kc]) + ":";
        if (row.lengths[kc] > 0) {
          key.append(reinterpret_cast<const char*>(data + row.offsets[kc]),
                     static_cast<std::size_t>(row.lengths[kc]));
        }
      }
      auto [it, inserted] = by_key_.emplace(std::move(key), rows_.size());
      if (!inserted) {
        rows_[it->second].live = false;
        --live_rows_;
        it->second = rows_.size();
      }
    }
    rows_.push_back(std::move(row));
    ++live_rows_;
  }

  Status Flush() {
    if (live_rows_ == 0) {
      Reset();
      return Status::OK();
    }
    std::string sql =
        "INSERT INTO " + layout_.table.Quoted() + " (" + ColumnList(layout_) + ") VALUES ";
    std::vector<pgwire::Param> params;
    params.reserve(live_rows_ * layout_.columns.size());
    std::size_t n = 0;
    bool first_row = true;
    for (const Row& row : rows_) {
      if (!row.live) continue;
      sql += first_row ? "(" : ", (";
      first_row = false;
      for (std::size_t c = 0; c < layout_.columns.size(); ++c) {
        sql += (c ? ", $" : "$") + std::to_string(++n);
        pgwire::Param p;
        p.type_oid = 0;
        p.format = layout_.columns[c].text_input ? pgwire::Format::kText : pgwire::Format::kBinary;
        if (row.offsets[c] >= 0) {
          p.value = pgwire::Bytes(buffer_.data() + row.offsets[c],
                                  static_cast<std::size_t>(row.lengths[c]));
        }
        params.push_back(p);
      }
      sql += ")";
    }
    sql += on_conflict_;
    Status st = conn_->Query(sql, params).status();
    Reset();
    return st.WithContext("INSERT into " + layout_.table.Display());
  }

  void Reset() {
    rows_.clear();
    by_key_.clear();
    live_rows_ = 0;
    buffer_.Clear();
  }

  pgwire::Connection* conn_;
  TargetLayout layout_;
  std::shared_ptr<const arrow::Schema> projected_;
  pgwire::CopyBinaryEncoder encoder_;
  std::size_t rows_per_statement_;
  std::vector<int> key_columns_;
  std::string on_conflict_;
  arrow::ByteBuffer buffer_;
  std::vector<Row> rows_;
  std::map<std::string, std::size_t> by_key_;
  std::size_t live_rows_ = 0;
};

}  // namespace

Result<std::unique_ptr<BatchWriter>> MakeInsertWriter(pgwire::Connection* conn,
                                                      const arrow::Schema& incoming,
                                                      const TargetLayout& layout,
                                                      const WriterOptions& options) {
  std::shared_ptr<const arrow::Schema> projected = ProjectSchema(incoming, layout);
  std::vector<pgwire::TargetColumn> targets;
  for (const WriteColumn& c : layout.columns) {
    if (!c.text_input) {
      targets.push_back(c.target);
      continue;
    }
    if (c.target.elem_oid != 0) {
      return pgconn::Fail(pgconn::ErrorCategory::kSchema, "UNSUPPORTED_ARROW_TYPE",
                          "column " + c.name + " of " + layout.table.Display() + " (" +
                              c.format_type +
                              ") is an array of a text-carried type; use load_method copy");
    }
    // The raw UTF-8 bytes are the text form the server's input function parses.
    targets.push_back(pgwire::TargetColumn{pgwire::oid::kText, 0, "text"});
  }
  auto encoder = pgwire::CopyBinaryEncoder::Make(*projected, targets);
  if (!encoder.ok()) {
    return pgconn::Fail(pgconn::ErrorCategory::kSchema, "SCHEMA_MISMATCH",
                        layout.table.Display() + ": " + encoder.status().message());
  }
  std::vector<int> key_columns;
  for (const std::string& k : options.upsert_key) {
    for (std::size_t c = 0; c < layout.columns.size(); ++c) {
      if (layout.columns[c].name == k) key_columns.push_back(static_cast<int>(c));
    }
  }
  const std::size_t width = std::max<std::size_t>(1, layout.columns.size());
  const std::size_t rows = std::max<std::size_t>(
      1, std::min<std::size_t>(static_cast<std::size_t>(options.insert_batch_rows),
                               kMaxParams / width));
  return std::unique_ptr<BatchWriter>(
      new InsertWriter(conn, layout, std::move(projected), std::move(*encoder), rows,
                       std::move(key_columns), OnConflictClause(layout, options.upsert_key)));
}

}  // namespace rapidbyte::pgdest::internal
