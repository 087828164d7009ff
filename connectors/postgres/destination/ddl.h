// The DDL dest-postgres runs (SPEC §8.2-§8.5): the destination schema and the commit-record
// table (idempotent, retried when a parallel stream creates the same object at the same
// moment), CREATE TABLE from planned column types, and the replace-mode swap. Every
// identifier is quoted; type text comes from ColumnType (validated) or the server catalog.
// Portable.
#pragma once

#include <string>
#include <vector>

#include "arrow/schema.h"
#include "base/status.h"
#include "connectors/postgres/common/identifiers.h"
#include "connectors/postgres/destination/column_type.h"
#include "pgwire/connection.h"

namespace rapidbyte::pgdest {

/// CREATE SCHEMA IF NOT EXISTS and the rapidbyte_watermarks table, outside a transaction.
Status EnsureSchemaAndWatermarks(pgwire::Connection* conn, const std::string& schema);

/// The CREATE TABLE statement of CreateTable (for the dry run's plan, and to run).
Result<std::string> CreateTableSql(const pgconn::QualifiedName& name, const arrow::Schema& schema,
                                   const std::vector<ColumnType>& types,
                                   const std::vector<std::string>& primary_key,
                                   const std::string& pk_name);

/// CREATE TABLE `name` with one column per field (`types` parallel to the fields), NOT NULL
/// for non-nullable fields and, when `primary_key` is not empty, a primary key constraint
/// named `pk_name`. Key columns must be fields (else a config error naming the column).
Status CreateTable(pgwire::Connection* conn, const pgconn::QualifiedName& name,
                   const arrow::Schema& schema, const std::vector<ColumnType>& types,
                   const std::vector<std::string>& primary_key, const std::string& pk_name);

/// Inside the open transaction: lock and drop `target` (never CASCADE) when it exists, rename
/// `staging` to it and its key constraint `staging_pk` to `target_pk` when `has_pk`.
Status SwapIn(pgwire::Connection* conn, const pgconn::QualifiedName& target,
              const pgconn::QualifiedName& staging, bool target_exists, bool has_pk,
              const std::string& staging_pk, const std::string& target_pk);

}  // namespace rapidbyte::pgdest
