// The cdc mirror (SPEC §14.5, `upsert` of a cdc stream): changes are COPYed (binary, or text
// when a column is text-carried) into the temporary table `pg_temp.__rb_cdc_stage` (the
// target's columns without constraints, `_rb_op`, `_rb_commit_ts`, `_rb_unchanged` and an
// ordinal), and at the end of each frame, or before a truncate, applied in the open
// transaction:
//   1. fill forward, for each column some change of the batch left unchanged (`_rb_unchanged`,
//      an unchanged TOASTed value sent as null): an insert or update of the same key earlier
//      in the batch that did carry the column gives its value, and the column leaves the
//      row's unchanged list. This is what makes collapsing safe: without it, "insert (body=B)
//      then update (body unchanged)" of one key in one frame would collapse to the update and
//      lose B, since the destination never saw the insert. (Applying the frame in rounds of
//      one change per key would be correct too, but costs a round of statements per change
//      of the busiest key.) A column no earlier change carried stays unchanged: the
//      destination has its value;
//   2. collapse: `INSERT INTO __rb_cdc_changes SELECT DISTINCT ON (key) * ... ORDER BY key,
//      ordinal DESC`, the last change per key (a delete then an insert stays an insert);
//   3. deletes: `DELETE ... USING` (soft_delete: `_rb_deleted_at = coalesce(_rb_commit_ts,
//      now())`);
//   4. `UPDATE ... FROM` the inserts and updates whose key exists, every non-key column set to
//      the change's value except those still listed in `_rb_unchanged`, which keep the
//      destination's (soft_delete: `_rb_deleted_at = NULL`, reviving a deleted row);
//   5. `INSERT ... SELECT` of the others (`NOT EXISTS`), then both temporary tables emptied.
// UPDATE then INSERT rather than INSERT ... ON CONFLICT DO UPDATE: the DO UPDATE arm sees only
// the target's columns (EXCLUDED), not the change's `_rb_unchanged`, and the proposed row of an
// update that left a column unchanged holds a null that constraints would check before the
// conflict is found. A truncate row first applies the changes staged before it, then runs
// `TRUNCATE` (soft_delete: marks every live row deleted at its commit time); the changes
// after it are staged anew. Rows are never re-ordered: the frame is in commit order and so
// is every step.
#include <algorithm>
#include <set>

#include "arrow/array.h"
#include "connectors/postgres/common/pg_errors.h"
#include "connectors/postgres/destination/writers_internal.h"
#include "pgwire/type_map.h"

namespace rapidbyte::pgdest::internal {
namespace {

using pgwire::QuoteIdent;

constexpr std::string_view kStageTable = "__rb_cdc_stage";
constexpr std::string_view kChangesTable = "__rb_cdc_changes";
constexpr std::string_view kOrdinal = "__rb_ord";

// A SQL string literal for an identifier (no NUL: identifiers are checked), whatever
// standard_conforming_strings says.
std::string Literal(std::string_view text) {
  std::string out = "E'";
  for (const char c : text) {
    if (c == '\'' || c == '\\') out += c;
    out += c;
  }
  return out + "'";
}

std::string Temp(std::string_view table) { return "pg_temp." + QuoteIdent(table); }

// The statements of one mirror, built once from the layout.
struct MirrorSql {
  std::vector<std::string> key;
  std::string target, stage, changes;
  std::string match;  // t.k = c.k AND ...
  std::string keys;   // "k1", "k2"

  std::string Fill(const std::string& column) const;
  std::string Apply(const TargetLayout& layout, bool soft_delete) const;
  std::string Truncate(bool soft_delete, const std::string& when) const;
};

std::string MirrorSql::Fill(const std::string& column) const {
  const std::string c = QuoteIdent(column);
  const std::string name = Literal(column);
  const std::string unchanged = QuoteIdent(kUnchangedColumn);
  const std::string ord = QuoteIdent(kOrdinal);
  // __rb_g numbers the changes of a key that carried the column; first_value of its group is
  // the value the later changes of the group left unchanged.
  const std::string groups =
      "SELECT " + ord + ", " + keys + ", " + c + ", count(*) FILTER (WHERE " +
      QuoteIdent(kOpColumn) + " IN ('insert', 'update') AND NOT coalesce(" + name + " = ANY (" +
      unchanged + "), false)) OVER (PARTITION BY " + keys + " ORDER BY " + ord +
      ") AS __rb_g FROM " + stage;
  return "UPDATE " + stage + " AS s SET " + c + " = f.__rb_v, " + unchanged +
         " = array_remove(s." + unchanged + ", " + name + "::text) FROM (SELECT " + ord +
         ", __rb_g, first_value(" + c + ") OVER (PARTITION BY " + keys + ", __rb_g ORDER BY " +
         ord + ") AS __rb_v FROM (" + groups + ") AS x) AS f WHERE f." + ord + " = s." + ord +
         " AND f.__rb_g > 0 AND " + name + " = ANY (s." + unchanged + ")";
}

std::string MirrorSql::Apply(const TargetLayout& layout, bool soft_delete) const {
  const std::string op = "c." + QuoteIdent(kOpColumn);
  const std::string upserts = op + " IN ('insert', 'update')";
  const std::string deleted_at = QuoteIdent(kDeletedAtColumn);
  // Both tables are empty between applications (emptied at the end, or rolled back with it).
  std::string sql = "INSERT INTO " + changes + " SELECT DISTINCT ON (" + keys + ") * FROM " +
                    stage + " ORDER BY " + keys + ", " + QuoteIdent(kOrdinal) + " DESC; ";
  if (soft_delete) {
    sql += "UPDATE " + target + " AS t SET " + deleted_at + " = coalesce(c." +
           QuoteIdent(kCommitTsColumn) + ", now()) FROM " + changes + " AS c WHERE " + op +
           " = 'delete' AND " + match + "; ";
  } else {
    sql += "DELETE FROM " + target + " AS t USING " + changes + " AS c WHERE " + op +
           " = 'delete' AND " + match + "; ";
  }
  std::string sets;
  std::string values;
  for (const WriteColumn& column : layout.columns) {
    const std::string c = QuoteIdent(column.name);
    values += (values.empty() ? "c." : ", c.") + c;
    if (std::find(key.begin(), key.end(), column.name) != key.end()) continue;
    sets += (sets.empty() ? "" : ", ") + c + " = CASE WHEN " + Literal(column.name) +
            " = ANY (c." + QuoteIdent(kUnchangedColumn) + ") THEN t." + c + " ELSE c." + c +
            " END";
  }
  if (soft_delete) sets += (sets.empty() ? "" : ", ") + deleted_at + " = NULL";
  if (!sets.empty()) {
    sql += "UPDATE " + target + " AS t SET " + sets + " FROM " + changes + " AS c WHERE " +
           upserts + " AND " + match + "; ";
  }
  sql += "INSERT INTO " + target + " (" + ColumnList(layout) + ") SELECT " + values + " FROM " +
         changes + " AS c WHERE " + upserts + " AND NOT EXISTS (SELECT 1 FROM " + target +
         " AS t WHERE " + match + "); TRUNCATE " + stage + ", " + changes;
  return sql;
}

std::string MirrorSql::Truncate(bool soft_delete, const std::string& when) const {
  if (!soft_delete) return "TRUNCATE " + target;
  const std::string deleted_at = QuoteIdent(kDeletedAtColumn);
  return "UPDATE " + target + " SET " + deleted_at + " = " + when + " WHERE " + deleted_at +
         " IS NULL";
}

// `micros` since the Unix epoch as an exact timestamptz expression (whole seconds through
// to_timestamp, the rest as an interval, so no double rounding).
std::string TimestampSql(std::int64_t micros) {
  std::int64_t secs = micros / 1000000;
  std::int64_t rest = micros % 1000000;
  if (rest < 0) {
    rest += 1000000;
    --secs;
  }
  return "(to_timestamp(" + std::to_string(secs) + ") + interval '" + std::to_string(rest) +
         " microseconds')";
}

class CdcMirrorWriter final : public BatchWriter {
 public:
  CdcMirrorWriter(pgwire::Connection* conn, std::unique_ptr<BatchWriter> copy, MirrorSql sql,
                  std::string apply, CdcColumns columns, bool soft_delete,
                  std::set<std::string> fillable, std::string table)
      : conn_(conn),
        copy_(std::move(copy)),
        sql_(std::move(sql)),
        apply_(std::move(apply)),
        columns_(columns),
        soft_delete_(soft_delete),
        fillable_(std::move(fillable)),
        table_(std::move(table)) {}

  // Rows up to a truncate are staged and applied, then the truncate runs, then the rest is
  // staged: the frame's order is kept.
  Status Write(const arrow::RecordBatch& batch) override {
    const arrow::StringArray ops(batch.column(columns_.op));
    std::int64_t start = 0;
    for (std::int64_t row = 0; row < batch.num_rows(); ++row) {
      if (ops.IsNull(row) || ops.GetView(row) != "truncate") continue;
      RB_RETURN_NOT_OK(Stage(batch.Slice(start, row - start)));
      RB_RETURN_NOT_OK(Apply());
      const arrow::TimestampArray commit_ts(batch.column(columns_.commit_ts));
      const std::string when =
          commit_ts.IsNull(row) ? std::string("now()") : TimestampSql(commit_ts.Value(row));
      RB_RETURN_NOT_OK(
          conn_->Execute(sql_.Truncate(soft_delete_, when)).WithContext("truncate " + table_));
      start = row + 1;
    }
    return Stage(batch.Slice(start, batch.num_rows() - start));
  }

  Status EndFrame() override { return Apply(); }
  Status Finish() override { return Apply(); }
  void Abort() override {
    copy_->Abort();
    pending_ = false;
    unchanged_.clear();
  }

 private:
  Status Stage(const arrow::RecordBatch& rows) {
    // No COPY for no rows: a COPY is only ended by Apply().
    if (rows.num_rows() == 0) return Status::OK();
    NoteUnchanged(rows);
    pending_ = true;
    return copy_->Write(rows);
  }

  // The non-key columns some staged change left unchanged (names outside the layout, and key
  // columns, are ignored: there is nothing to fill).
  void NoteUnchanged(const arrow::RecordBatch& rows) {
    const arrow::ListArray lists(rows.column(columns_.unchanged));
    const arrow::StringArray names(lists.values());
    for (std::int64_t row = 0; row < rows.num_rows(); ++row) {
      if (lists.IsNull(row)) continue;
      for (std::int64_t i = lists.value_offset(row); i < lists.value_offset(row + 1); ++i) {
        if (names.IsNull(i)) continue;
        const std::string name(names.GetView(i));
        if (fillable_.count(name) != 0) unchanged_.insert(name);
      }
    }
  }

  Status Apply() {
    RB_RETURN_NOT_OK(copy_->Finish());
    if (!pending_) return Status::OK();
    pending_ = false;
    std::string sql;
    for (const std::string& column : unchanged_) sql += sql_.Fill(column) + "; ";
    unchanged_.clear();
    return conn_->Execute(sql + apply_).WithContext("apply changes to " + table_);
  }

  pgwire::Connection* conn_;
  std::unique_ptr<BatchWriter> copy_;
  MirrorSql sql_;
  std::string apply_;
  CdcColumns columns_;
  bool soft_delete_;
  std::set<std::string> fillable_;
  std::string table_;
  bool pending_ = false;
  std::set<std::string> unchanged_;
};

WriteColumn MetadataColumn(std::string_view name, int field, pgwire::TargetColumn target,
                           std::string format_type) {
  WriteColumn out;
  out.name = std::string(name);
  out.field_index = field;
  out.target = std::move(target);
  out.format_type = std::move(format_type);
  return out;
}

}  // namespace

Result<std::unique_ptr<BatchWriter>> MakeCdcMirrorWriter(pgwire::Connection* conn,
                                                         const arrow::Schema& incoming,
                                                         const TargetLayout& layout,
                                                         const WriterOptions& options) {
  namespace oid = pgwire::oid;
  const CdcColumns& cdc = options.cdc_columns;
  TargetLayout stage = layout;
  stage.table = pgconn::QualifiedName{"pg_temp", std::string(kStageTable)};
  stage.columns.push_back(MetadataColumn(kOpColumn, cdc.op, {oid::kText, 0, "text"}, "text"));
  stage.columns.push_back(MetadataColumn(kCommitTsColumn, cdc.commit_ts,
                                         {oid::kTimestamptz, 0, "timestamptz"}, "timestamptz"));
  stage.columns.push_back(MetadataColumn(kUnchangedColumn, cdc.unchanged,
                                         {oid::kTextArray, oid::kText, "text"}, "text[]"));
  const std::string ddl = "DROP TABLE IF EXISTS " + Temp(kStageTable) + ", " +
                          Temp(kChangesTable) + "; " +
                          CreateStageTableSql(kStageTable, stage, kOrdinal) +
                          "; CREATE TEMP TABLE " + QuoteIdent(kChangesTable) + " (LIKE " +
                          Temp(kStageTable) + ")";
  RB_RETURN_NOT_OK(conn->Execute(ddl).WithContext("create the change staging tables for " +
                                                  layout.table.Display()));
  RB_ASSIGN_OR_RETURN(std::unique_ptr<BatchWriter> copy, MakeCopyWriter(conn, incoming, stage));

  MirrorSql sql;
  sql.key = options.upsert_key;
  sql.target = layout.table.Quoted();
  sql.stage = Temp(kStageTable);
  sql.changes = Temp(kChangesTable);
  for (const std::string& k : sql.key) {
    const std::string q = QuoteIdent(k);
    sql.keys += (sql.keys.empty() ? "" : ", ") + q;
    sql.match += (sql.match.empty() ? "t." : " AND t.") + q + " = c." + q;
  }
  std::set<std::string> fillable;
  for (const WriteColumn& c : layout.columns) {
    if (std::find(sql.key.begin(), sql.key.end(), c.name) == sql.key.end()) fillable.insert(c.name);
  }
  std::string apply = sql.Apply(layout, options.soft_delete);
  return std::unique_ptr<BatchWriter>(new CdcMirrorWriter(
      conn, std::move(copy), std::move(sql), std::move(apply), cdc, options.soft_delete,
      std::move(fillable), layout.table.Display()));
}

}  // namespace rapidbyte::pgdest::internal
