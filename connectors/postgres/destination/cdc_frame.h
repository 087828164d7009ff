// CDC change frames as dest-postgres reads them (SPEC §14.3, §14.5): the table's columns
// followed by four metadata columns, `_rb_op` (utf8: insert, update, delete, truncate),
// `_rb_lsn` (int64, the commit LSN), `_rb_commit_ts` (timestamp[us, UTC], null for snapshot
// rows) and `_rb_unchanged` (list<utf8>: the columns whose value was not sent). From them:
// the destination table's columns per write mode (the mirror has the table's columns only,
// plus `_rb_deleted_at` with soft_delete; the change log has every field), and the counts of
// changes by kind. Portable.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "arrow/record_batch.h"
#include "arrow/schema.h"
#include "base/result.h"
#include "connectors/postgres/common/identifiers.h"
#include "connectors/postgres/destination/write_request.h"
#include "pgwire/catalog.h"

namespace rapidbyte::pgdest {

inline constexpr std::string_view kOpColumn = "_rb_op";
inline constexpr std::string_view kLsnColumn = "_rb_lsn";
inline constexpr std::string_view kCommitTsColumn = "_rb_commit_ts";
inline constexpr std::string_view kUnchangedColumn = "_rb_unchanged";
/// The mirror's soft-delete column (config soft_delete).
inline constexpr std::string_view kDeletedAtColumn = "_rb_deleted_at";

/// Field indexes of the metadata columns in a change frame.
struct CdcColumns {
  int op = -1;
  int lsn = -1;
  int commit_ts = -1;
  int unchanged = -1;
};

/// One of the four metadata columns.
bool IsCdcMetadata(std::string_view name);

/// The metadata columns of `frame`, each with its type (`_rb_op` utf8, `_rb_lsn` int64,
/// `_rb_commit_ts` timestamp[us] with a time zone, `_rb_unchanged` list<utf8>); otherwise a
/// schema error INVALID_CDC_FRAME naming the column and the stream.
Result<CdcColumns> FindCdcColumns(const arrow::Schema& frame, const std::string& stream);

/// The columns of the destination table of a cdc stream whose frames have schema `frame`
/// (with or without the metadata columns): for upsert (the mirror) the table's columns only;
/// for append (the change log) the table's columns followed by the four metadata columns.
/// The table's columns are nullable either way: deletes and truncates carry nulls, so a change
/// frame's nullability says nothing about the source's (the mirror's key is NOT NULL through
/// its primary key), and the plan, made from the source's catalog, must match the write.
arrow::Schema CdcTableSchema(const arrow::Schema& frame, WriteMode mode);

/// `catalog` without the mirror's `_rb_deleted_at`, which schema evolution must not see (it
/// is never in the data, and soft_delete adds it whatever the policy).
pgwire::RelationCatalog WithoutDeletedAt(pgwire::RelationCatalog catalog);

/// `ALTER TABLE <table> ADD COLUMN IF NOT EXISTS "_rb_deleted_at" timestamp with time zone`.
std::string AddDeletedAtSql(const pgconn::QualifiedName& table);

/// The notes of the dry run's plan for a cdc stream (what the mirror or the change log does).
std::vector<std::string> CdcPlanNotes(const WriteRequest& request);

/// Changes by kind, as `_rb_op` says.
struct ChangeCounts {
  std::uint64_t inserts = 0;
  std::uint64_t updates = 0;
  std::uint64_t deletes = 0;
  std::uint64_t truncates = 0;

  void Add(const ChangeCounts& more) {
    inserts += more.inserts;
    updates += more.updates;
    deletes += more.deletes;
    truncates += more.truncates;
  }
};

/// Add the changes of `batch` (whose `_rb_op` is column `op_column`) to `counts`. A null or
/// unknown operation is a data error INVALID_CDC_FRAME naming the row and the value.
Status CountChanges(const arrow::RecordBatch& batch, int op_column, ChangeCounts* counts);

}  // namespace rapidbyte::pgdest
