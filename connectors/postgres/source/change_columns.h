// The change columns of a cdc stream's frames (SPEC §14.3) and the bytes that carry a change
// to the COPY decoder. A cdc frame has the table's selected columns followed by
//   _rb_op         text      insert | update | delete | truncate
//   _rb_lsn        bigint    the transaction's commit LSN (the slot's consistent point for
//                            snapshot rows)
//   _rb_commit_ts  timestamptz  the commit time (null for snapshot rows)
//   _rb_unchanged  text[]    the columns whose value pgoutput did not send (unchanged TOASTed
//                            values; their cell is null), null when none
// Changes decoded from pgoutput carry their values in the types' binary send format, which
// is exactly a binary COPY field; so each change is re-framed as one binary COPY tuple and goes
// through the same CopyBinaryDecoder (and §9 type mapping) as a snapshot read. Portable.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "connectors/postgres/source/read_plan.h"
#include "pgwire/lsn.h"
#include "pgwire/pgoutput.h"
#include "pgwire/frontend.h"

namespace rapidbyte::pgsource {

inline constexpr int kChangeColumnCount = 4;

/// Make every table column nullable (a delete carries only the key), append the four change columns to `plan`'s schema and codecs (after the table's columns),
/// and set plan->extra_select to the constant expressions a snapshot read selects for them:
/// `insert`, `snapshot_lsn`, NULL, NULL.
Status AddChangeColumns(ReadPlan* plan, pgwire::Lsn snapshot_lsn);

/// The binary COPY header (signature, flags, header extension length).
void AppendCopyHeader(pgwire::ByteBuffer* out);

/// One change of the stream's table, ready to become a COPY tuple.
struct ChangeRow {
  std::string_view op;               ///< "insert", "update", "delete", "truncate"
  pgwire::Lsn commit_lsn;
  std::int64_t commit_time = 0;      ///< PostgreSQL epoch microseconds
  pgwire::pgoutput::Tuple values;    ///< by pgoutput column; empty for a truncate
};

/// Maps the columns of the latest Relation message onto the plan's selected columns by name.
/// A selected column the relation lacks (dropped since) is sent as null.
class ChangeEncoder {
 public:
  /// `plan` must outlive the encoder.
  explicit ChangeEncoder(const ReadPlan& plan) : plan_(plan) {}

  /// Take a Relation message of the stream's table. A selected column whose type differs, or
  /// a column of the relation the plan does not know, is a schema change: `*changed` is set
  /// and the mapping is kept as it was.
  Status OnRelation(const pgwire::pgoutput::Relation& relation, bool* changed,
                    std::string* what_changed);

  /// Append `row` as one binary COPY tuple to `out` (cleared first). A text-format value is
  /// refused (rapidbyte asks for binary values).
  Status Encode(const ChangeRow& row, pgwire::ByteBuffer* out);

 private:
  const ReadPlan& plan_;
  std::vector<int> source_index_;  ///< per selected column: its pgoutput column, -1 if absent
  bool mapped_ = false;
  std::vector<std::string_view> unchanged_;
};

}  // namespace rapidbyte::pgsource
