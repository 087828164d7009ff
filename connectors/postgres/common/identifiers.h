// Identifiers of the PostgreSQL connectors: splitting a stream name into schema and relation
// (SPEC §7.3 step 1) and quoting a qualified name for SQL text. Identifiers are always
// double-quoted (embedded quotes doubled; pgwire::QuoteIdent), so names are case-sensitive
// and any character is safe. Portable.
#pragma once

#include <string>
#include <string_view>

namespace rapidbyte::pgconn {

struct QualifiedName {
  std::string schema;
  std::string relation;

  /// `schema.relation` as written (for messages and metadata; not SQL).
  std::string Display() const { return schema + "." + relation; }
  /// `"schema"."relation"`, safe in SQL text.
  std::string Quoted() const;
};

/// Split `stream` at its first '.': `sales.orders` -> (sales, orders); an unqualified name
/// takes `default_schema`. A name with a leading or trailing '.' keeps it in the relation.
QualifiedName SplitStreamName(std::string_view stream, std::string_view default_schema);

}  // namespace rapidbyte::pgconn
