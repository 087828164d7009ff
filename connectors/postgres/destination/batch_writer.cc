// Writer selection, the shared ON CONFLICT clause and staging-table DDL.
#include "connectors/postgres/destination/batch_writer.h"

#include <algorithm>

#include "connectors/postgres/destination/writers_internal.h"

namespace rapidbyte::pgdest {

namespace internal {

std::string OnConflictClause(const TargetLayout& layout, const std::vector<std::string>& key) {
  if (key.empty()) return "";
  std::string out = " ON CONFLICT (";
  for (std::size_t k = 0; k < key.size(); ++k) out += (k ? ", " : "") + pgwire::QuoteIdent(key[k]);
  out += ") DO ";
  std::string sets;
  for (const WriteColumn& c : layout.columns) {
    if (std::find(key.begin(), key.end(), c.name) != key.end()) continue;
    const std::string q = pgwire::QuoteIdent(c.name);
    sets += (sets.empty() ? "" : ", ") + q + " = EXCLUDED." + q;
  }
  return out + (sets.empty() ? "NOTHING" : "UPDATE SET " + sets);
}

std::string CreateStageTableSql(std::string_view name, const TargetLayout& stage,
                                std::string_view ordinal) {
  std::string sql = "CREATE TEMP TABLE " + pgwire::QuoteIdent(name) + " (";
  for (const WriteColumn& c : stage.columns) {
    sql += pgwire::QuoteIdent(c.name) + " " + c.format_type + ", ";
  }
  return sql + pgwire::QuoteIdent(ordinal) + " bigserial)";
}

}  // namespace internal

Result<std::unique_ptr<BatchWriter>> MakeWriter(pgwire::Connection* conn,
                                                const arrow::Schema& incoming,
                                                const TargetLayout& layout,
                                                const WriterOptions& options) {
  if (options.cdc_mirror) return internal::MakeCdcMirrorWriter(conn, incoming, layout, options);
  if (options.method == LoadMethod::kInsert) {
    return internal::MakeInsertWriter(conn, incoming, layout, options);
  }
  if (!options.upsert_key.empty()) {
    return internal::MakeStagedWriter(conn, incoming, layout, options);
  }
  return internal::MakeCopyWriter(conn, incoming, layout);
}

}  // namespace rapidbyte::pgdest
