// Reading and writing the commit record; every value is a bound parameter.
#include "connectors/postgres/destination/commit_record.h"

#include "connectors/postgres/destination/names.h"
#include "pgwire/catalog.h"
#include "pgwire/type_map.h"

namespace rapidbyte::pgdest {
namespace {

std::string Table(const std::string& schema) {
  return pgwire::QuoteIdent(schema) + "." + pgwire::QuoteIdent(kWatermarksTable);
}

}  // namespace

Result<std::optional<std::string>> ReadCommitToken(pgwire::Connection* conn,
                                                   const std::string& schema,
                                                   const std::string& pipeline,
                                                   const std::string& stream) {
  const std::string table = Table(schema);
  const pgwire::Param exists_param = pgwire::Param::Text(table, pgwire::oid::kText);
  RB_ASSIGN_OR_RETURN(
      pgwire::QueryResult exists,
      conn->Query("SELECT to_regclass($1) IS NOT NULL",
                  std::span<const pgwire::Param>(&exists_param, 1), pgwire::Format::kText));
  if (exists.rows.empty() || !exists.rows[0][0] || *exists.rows[0][0] != "t") {
    return std::optional<std::string>();
  }
  const pgwire::Param params[] = {pgwire::Param::Text(pipeline, pgwire::oid::kText),
                                  pgwire::Param::Text(stream, pgwire::oid::kText)};
  RB_ASSIGN_OR_RETURN(pgwire::QueryResult row,
                      conn->Query("SELECT commit_token::text FROM " + table +
                                      " WHERE pipeline = $1 AND stream = $2",
                                  params, pgwire::Format::kText));
  if (row.rows.empty() || !row.rows[0][0]) return std::optional<std::string>();
  return std::optional<std::string>(*row.rows[0][0]);
}

Status WriteCommitRecord(pgwire::Connection* conn, const std::string& schema,
                         const CommitRecord& record) {
  const std::string run_id = std::to_string(record.run_id);
  const std::string records = std::to_string(record.records);
  const std::string bytes = std::to_string(record.bytes);
  const pgwire::Param params[] = {
      pgwire::Param::Text(record.pipeline, pgwire::oid::kText),
      pgwire::Param::Text(record.stream, pgwire::oid::kText),
      pgwire::Param::Text(run_id, pgwire::oid::kInt8),
      record.token.empty() ? pgwire::Param::Null(pgwire::oid::kJsonb)
                           : pgwire::Param::Text(record.token, pgwire::oid::kJsonb),
      pgwire::Param::Text(records, pgwire::oid::kInt8),
      pgwire::Param::Text(bytes, pgwire::oid::kInt8),
      pgwire::Param::Text(record.finished ? "t" : "f", pgwire::oid::kBool)};
  const std::string sql =
      "INSERT INTO " + Table(schema) +
      " (pipeline, stream, run_id, commit_token, records_committed, bytes_committed, finished,"
      " committed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, now()) ON CONFLICT (pipeline, stream)"
      " DO UPDATE SET run_id = EXCLUDED.run_id, commit_token = EXCLUDED.commit_token,"
      " records_committed = EXCLUDED.records_committed,"
      " bytes_committed = EXCLUDED.bytes_committed, finished = EXCLUDED.finished,"
      " committed_at = now()";
  return conn->Query(sql, params).status().WithContext("write commit record of " + record.stream);
}

}  // namespace rapidbyte::pgdest
