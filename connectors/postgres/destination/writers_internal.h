// The BatchWriter implementations (copy_writer.cc, insert_writer.cc, staged_writer.cc,
// cdc_mirror_writer.cc).
// Internal to the destination.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "connectors/postgres/destination/batch_writer.h"

namespace rapidbyte::pgdest::internal {

/// Binary COPY of the layout's columns into `layout.table`; one COPY stays open across
/// frames until Finish().
Result<std::unique_ptr<BatchWriter>> MakeCopyWriter(pgwire::Connection* conn,
                                                    const arrow::Schema& incoming,
                                                    const TargetLayout& layout);

/// Multi-row INSERT; with a key, ON CONFLICT DO UPDATE.
Result<std::unique_ptr<BatchWriter>> MakeInsertWriter(pgwire::Connection* conn,
                                                      const arrow::Schema& incoming,
                                                      const TargetLayout& layout,
                                                      const WriterOptions& options);

/// COPY into a temporary table, merged into the target at every frame end.
Result<std::unique_ptr<BatchWriter>> MakeStagedWriter(pgwire::Connection* conn,
                                                      const arrow::Schema& incoming,
                                                      const TargetLayout& layout,
                                                      const WriterOptions& options);

/// Change frames staged with COPY and applied to the mirror at every frame end and before
/// each truncate (SPEC §14.5).
Result<std::unique_ptr<BatchWriter>> MakeCdcMirrorWriter(pgwire::Connection* conn,
                                                         const arrow::Schema& incoming,
                                                         const TargetLayout& layout,
                                                         const WriterOptions& options);

/// `CREATE TEMP TABLE "<name>" ("c" <type>, ..., "<ordinal>" bigserial)`: the columns of
/// `stage` with their catalog types and no constraints, plus the ordinal of each row.
std::string CreateStageTableSql(std::string_view name, const TargetLayout& stage,
                                std::string_view ordinal);

/// ` ON CONFLICT ("k", ...) DO UPDATE SET "c" = EXCLUDED."c", ...` (DO NOTHING when every
/// column is a key column); empty without a key.
std::string OnConflictClause(const TargetLayout& layout, const std::vector<std::string>& key);

}  // namespace rapidbyte::pgdest::internal
