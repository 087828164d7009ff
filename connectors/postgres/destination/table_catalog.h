// Catalog facts about destination tables that dest-postgres checks before writing (SPEC §8.3,
// §8.4): the target's columns (pgwire's catalog query), whether a unique constraint covers
// exactly the upsert key, and which objects depend on a table that replace would drop.
// Names are passed as bound parameters, never as SQL text. Portable.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"
#include "connectors/postgres/common/identifiers.h"
#include "pgwire/catalog.h"
#include "pgwire/connection.h"

namespace rapidbyte::pgdest {

/// The table's catalog, or nullopt when no such relation exists.
Result<std::optional<pgwire::RelationCatalog>> FindTable(pgwire::Connection* conn,
                                                         const pgconn::QualifiedName& name);

/// True when a unique index without predicate or expressions has exactly `key` as columns.
Result<bool> HasUniqueKey(pgwire::Connection* conn, const pgconn::QualifiedName& name,
                          const std::vector<std::string>& key);

/// Names of the NOT NULL columns without a default (rows that omit them would fail).
Result<std::set<std::string>> RequiredColumns(pgwire::Connection* conn,
                                              const pgconn::QualifiedName& name);

/// Views and foreign keys that depend on the table, e.g. `view public.v`,
/// `foreign key orders_user_fk on public.orders`; empty when none.
Result<std::vector<std::string>> Dependents(pgwire::Connection* conn,
                                            const pgconn::QualifiedName& name);

}  // namespace rapidbyte::pgdest
