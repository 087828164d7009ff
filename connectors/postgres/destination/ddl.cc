// Schema, table and swap DDL.
#include "connectors/postgres/destination/ddl.h"

#include "connectors/postgres/common/pg_errors.h"
#include "connectors/postgres/destination/names.h"
#include "pgwire/catalog.h"
#include "pgwire/server_error.h"

namespace rapidbyte::pgdest {
namespace {

using pgwire::QuoteIdent;

// Duplicate schema/table/type or a unique violation in the catalogs: another session created
// the same object between our IF NOT EXISTS check and our insert.
bool IsCreationRace(const Status& status) {
  const pgwire::ServerError* error = pgwire::GetServerError(status);
  if (error == nullptr) return false;
  const std::string& s = error->sqlstate();
  return s == "42P06" || s == "42P07" || s == "42710" || s == "23505";
}

Status ExecuteWithRaceRetry(pgwire::Connection* conn, const std::string& sql) {
  Status st;
  for (int attempt = 0; attempt < 3; ++attempt) {
    st = conn->Execute(sql);
    if (st.ok() || !IsCreationRace(st)) return st;
  }
  return st;
}

}  // namespace

Status EnsureSchemaAndWatermarks(pgwire::Connection* conn, const std::string& schema) {
  RB_RETURN_NOT_OK(CheckIdentifier("schema", schema));
  const std::string s = QuoteIdent(schema);
  Status st = ExecuteWithRaceRetry(conn, "CREATE SCHEMA IF NOT EXISTS " + s);
  if (!st.ok()) return st.WithContext("create schema " + schema);
  st = ExecuteWithRaceRetry(
      conn, "CREATE TABLE IF NOT EXISTS " + s + "." + QuoteIdent(kWatermarksTable) +
                " (pipeline text NOT NULL, stream text NOT NULL, run_id bigint, "
                "commit_token jsonb, records_committed bigint, bytes_committed bigint, "
                "finished boolean, committed_at timestamptz DEFAULT now(), "
                "PRIMARY KEY (pipeline, stream))");
  return st.WithContext("create " + schema + "." + std::string(kWatermarksTable));
}

Result<std::string> CreateTableSql(const pgconn::QualifiedName& name, const arrow::Schema& schema,
                                   const std::vector<ColumnType>& types,
                                   const std::vector<std::string>& primary_key,
                                   const std::string& pk_name) {
  RB_RETURN_NOT_OK(CheckIdentifier("table", name.relation));
  std::string sql = "CREATE TABLE " + name.Quoted() + " (";
  for (int i = 0; i < schema.num_fields(); ++i) {
    const arrow::Field& field = schema.field(i);
    RB_RETURN_NOT_OK(CheckIdentifier("column", field.name()));
    if (i > 0) sql += ", ";
    sql += QuoteIdent(field.name()) + " " + types[static_cast<std::size_t>(i)].ddl;
    if (!field.nullable()) sql += " NOT NULL";
  }
  if (!primary_key.empty()) {
    sql += ", CONSTRAINT " + QuoteIdent(pk_name) + " PRIMARY KEY (";
    for (std::size_t k = 0; k < primary_key.size(); ++k) {
      if (schema.GetFieldIndex(primary_key[k]) < 0) {
        return pgconn::Fail(
            pgconn::ErrorCategory::kConfig, "COLUMN_NOT_FOUND",
            "primary_key column '" + primary_key[k] + "' is not in the data for " + name.Display());
      }
      sql += (k ? ", " : "") + QuoteIdent(primary_key[k]);
    }
    sql += ")";
  }
  sql += ")";
  return sql;
}

Status CreateTable(pgwire::Connection* conn, const pgconn::QualifiedName& name,
                   const arrow::Schema& schema, const std::vector<ColumnType>& types,
                   const std::vector<std::string>& primary_key, const std::string& pk_name) {
  RB_ASSIGN_OR_RETURN(const std::string sql,
                      CreateTableSql(name, schema, types, primary_key, pk_name));
  return conn->Execute(sql).WithContext("create table " + name.Display());
}

Status SwapIn(pgwire::Connection* conn, const pgconn::QualifiedName& target,
              const pgconn::QualifiedName& staging, bool target_exists, bool has_pk,
              const std::string& staging_pk, const std::string& target_pk) {
  std::string sql;
  if (target_exists) {
    sql += "LOCK TABLE " + target.Quoted() + " IN ACCESS EXCLUSIVE MODE; ";
    sql += "DROP TABLE " + target.Quoted() + "; ";
  }
  sql += "ALTER TABLE " + staging.Quoted() + " RENAME TO " + QuoteIdent(target.relation);
  if (has_pk) {
    sql += "; ALTER TABLE " + target.Quoted() + " RENAME CONSTRAINT " + QuoteIdent(staging_pk) +
           " TO " + QuoteIdent(target_pk);
  }
  return conn->Execute(sql).WithContext("swap " + staging.Display() + " into " + target.Display());
}

}  // namespace rapidbyte::pgdest
