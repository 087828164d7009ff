// COPY through a session temporary table (SPEC §8.4 `upsert` with `copy`): each frame is
// copied into `pg_temp.__rb_stage` (the target's columns and types plus an ordinal; binary
// COPY, or text when a column is text-carried), then one statement moves it into the target:
//   INSERT INTO target (...) SELECT DISTINCT ON (key) c1, c2, ... FROM stage
//   ORDER BY key, ordinal DESC ON CONFLICT (key) DO UPDATE SET ...
// so within a frame the last row per key wins, and the stage is emptied for the next frame.
#include "connectors/postgres/common/pg_errors.h"
#include "connectors/postgres/destination/writers_internal.h"
#include "pgwire/type_map.h"

namespace rapidbyte::pgdest::internal {
namespace {

constexpr std::string_view kStageTable = "__rb_stage";
constexpr std::string_view kOrdinal = "__rb_ord";

class StagedWriter final : public BatchWriter {
 public:
  StagedWriter(pgwire::Connection* conn, std::unique_ptr<BatchWriter> copy, std::string merge)
      : conn_(conn), copy_(std::move(copy)), merge_(std::move(merge)) {}

  Status Write(const arrow::RecordBatch& batch) override {
    // A batch without rows must not start a COPY: no merge would follow to end it, and a
    // COPY still open fails every later statement of the transaction (the commit record).
    if (batch.num_rows() == 0) return Status::OK();
    pending_ = true;
    return copy_->Write(batch);
  }

  Status EndFrame() override {
    // Ended even when no row came (a no-op then), so no COPY outlives its frame.
    RB_RETURN_NOT_OK(copy_->Finish());
    if (!pending_) return Status::OK();
    pending_ = false;
    return conn_->Execute(merge_).WithContext("merge staged rows");
  }

  Status Finish() override { return EndFrame(); }
  void Abort() override {
    copy_->Abort();
    pending_ = false;
  }

 private:
  pgwire::Connection* conn_;
  std::unique_ptr<BatchWriter> copy_;
  std::string merge_;
  bool pending_ = false;
};

std::string MergeSql(const TargetLayout& target, const TargetLayout& stage,
                     const std::vector<std::string>& key) {
  std::string keys;
  for (std::size_t k = 0; k < key.size(); ++k) keys += (k ? ", " : "") + pgwire::QuoteIdent(key[k]);
  std::string sql =
      "INSERT INTO " + target.table.Quoted() + " (" + ColumnList(target) + ") SELECT ";
  if (!key.empty()) sql += "DISTINCT ON (" + keys + ") ";
  sql += ColumnList(target) + " FROM " + stage.table.Quoted();
  if (!key.empty()) sql += " ORDER BY " + keys + ", " + pgwire::QuoteIdent(kOrdinal) + " DESC";
  sql += OnConflictClause(target, key);
  sql += "; TRUNCATE " + stage.table.Quoted();
  return sql;
}

}  // namespace

Result<std::unique_ptr<BatchWriter>> MakeStagedWriter(pgwire::Connection* conn,
                                                      const arrow::Schema& incoming,
                                                      const TargetLayout& layout,
                                                      const WriterOptions& options) {
  TargetLayout stage = layout;
  stage.table = pgconn::QualifiedName{"pg_temp", std::string(kStageTable)};
  const std::string ddl = "DROP TABLE IF EXISTS " + stage.table.Quoted() + "; " +
                          CreateStageTableSql(kStageTable, stage, kOrdinal);
  RB_RETURN_NOT_OK(
      conn->Execute(ddl).WithContext("create the staging table for " + layout.table.Display()));
  RB_ASSIGN_OR_RETURN(std::unique_ptr<BatchWriter> copy, MakeCopyWriter(conn, incoming, stage));
  return std::unique_ptr<BatchWriter>(
      new StagedWriter(conn, std::move(copy), MergeSql(layout, stage, options.upsert_key)));
}

}  // namespace rapidbyte::pgdest::internal
