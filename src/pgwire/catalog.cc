// Catalog query (bound parameters only), its row decoder and the binary/text SELECT list.
#include "pgwire/catalog.h"

#include <charconv>

namespace rapidbyte::pgwire {
namespace {

// Domains are resolved recursively (the deepest level carries the base type and typmod);
// array elements that are domains are resolved one level.
constexpr std::string_view kCatalogQuery = R"SQL(
WITH RECURSIVE rel AS (
  SELECT c.oid, c.relkind::text AS relkind, has_table_privilege(c.oid, 'SELECT') AS can_select
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = $1::text AND c.relname = $2::text AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
), cols AS (
  SELECT a.attnum, a.attname, a.atttypid, a.atttypmod, a.attnotnull
  FROM pg_catalog.pg_attribute a JOIN rel ON a.attrelid = rel.oid
  WHERE a.attnum > 0 AND NOT a.attisdropped
), dom(attnum, typoid, typmod, depth) AS (
  SELECT attnum, atttypid, atttypmod, 0 FROM cols
  UNION ALL
  SELECT d.attnum, t.typbasetype, t.typtypmod, d.depth + 1
  FROM dom d JOIN pg_catalog.pg_type t ON t.oid = d.typoid
  WHERE t.typtype = 'd' AND d.depth < 32
), base AS (
  SELECT DISTINCT ON (attnum) attnum, typoid, typmod FROM dom ORDER BY attnum, depth DESC
)
SELECT rel.relkind, rel.can_select,
  (SELECT array_to_string(array_agg(k.attnum ORDER BY k.ord), ' ')
     FROM pg_catalog.pg_index i
     CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
    WHERE i.indrelid = rel.oid AND i.indisprimary) AS pk,
  cols.attnum, cols.attname::text, cols.atttypid::int8, base.typmod,
  pg_catalog.format_type(cols.atttypid, cols.atttypmod), cols.attnotnull,
  bt.oid::int8, bt.typname::text, bt.typtype::text, bt.typcategory::text,
  COALESCE(NULLIF(et.typbasetype, 0), et.oid)::int8,
  COALESCE(ebt.typname, et.typname)::text
FROM rel
LEFT JOIN cols ON true
LEFT JOIN base ON base.attnum = cols.attnum
LEFT JOIN pg_catalog.pg_type bt ON bt.oid = base.typoid
LEFT JOIN pg_catalog.pg_type et ON et.oid = bt.typelem AND bt.typcategory = 'A'
LEFT JOIN pg_catalog.pg_type ebt ON ebt.oid = et.typbasetype AND et.typtype = 'd'
ORDER BY cols.attnum
)SQL";

constexpr std::size_t kCatalogColumns = 15;

Status Malformed(std::string_view what) {
  return Status::DataLoss("malformed catalog row: " + std::string(what));
}

template <typename T>
Status ParseNumber(const std::optional<std::string>& cell, std::string_view what, T* out) {
  if (!cell) return Malformed(what);
  const char* end = cell->data() + cell->size();
  auto [ptr, ec] = std::from_chars(cell->data(), end, *out);
  if (ec != std::errc() || ptr != end) return Malformed(what);
  return Status::OK();
}

std::string Text(const std::optional<std::string>& cell) { return cell.value_or(""); }
char FirstChar(const std::optional<std::string>& cell, char fallback) {
  return cell && !cell->empty() ? (*cell)[0] : fallback;
}

}  // namespace

std::string_view CatalogQuery() { return kCatalogQuery; }

Result<RelationCatalog> DecodeCatalog(const QueryResult& result, std::string_view schema,
                                      std::string_view relation) {
  if (result.rows.empty()) {
    return Status::NotFound("relation " + std::string(schema) + "." + std::string(relation) +
                            " not found");
  }
  RelationCatalog catalog;
  std::vector<std::int64_t> attnums;
  std::string pk_attnums;
  for (const QueryResult::Row& row : result.rows) {
    if (row.size() != kCatalogColumns) return Malformed("column count");
    catalog.relkind = FirstChar(row[0], 'r');
    catalog.can_select = Text(row[1]) == "t";
    pk_attnums = Text(row[2]);
    if (!row[3]) continue;  // a relation without columns
    PgColumn c;
    std::int64_t attnum = 0, type_oid = 0, base_oid = 0, elem_oid = 0;
    RB_RETURN_NOT_OK(ParseNumber(row[3], "attnum", &attnum));
    c.name = Text(row[4]);
    RB_RETURN_NOT_OK(ParseNumber(row[5], "atttypid", &type_oid));
    RB_RETURN_NOT_OK(ParseNumber(row[6], "typmod", &c.typmod));
    c.format_type = Text(row[7]);
    c.not_null = Text(row[8]) == "t";
    RB_RETURN_NOT_OK(ParseNumber(row[9], "base type", &base_oid));
    c.base_name = Text(row[10]);
    c.typtype = FirstChar(row[11], 'b');
    c.typcategory = FirstChar(row[12], 'U');
    if (row[13]) RB_RETURN_NOT_OK(ParseNumber(row[13], "element type", &elem_oid));
    c.elem_name = Text(row[14]);
    c.type_oid = static_cast<std::uint32_t>(type_oid);
    c.base_oid = static_cast<std::uint32_t>(base_oid);
    c.elem_oid = static_cast<std::uint32_t>(elem_oid);
    attnums.push_back(attnum);
    catalog.columns.push_back(std::move(c));
  }
  // The key as attnums separated by spaces, mapped back to names.
  std::size_t pos = 0;
  while (pos < pk_attnums.size()) {
    std::size_t end = pk_attnums.find(' ', pos);
    if (end == std::string::npos) end = pk_attnums.size();
    std::int64_t attnum = 0;
    RB_RETURN_NOT_OK(ParseNumber(std::optional<std::string>(pk_attnums.substr(pos, end - pos)),
                                 "primary key", &attnum));
    bool found = false;
    for (std::size_t i = 0; i < attnums.size(); ++i) {
      if (attnums[i] == attnum) {
        catalog.primary_key.push_back(catalog.columns[i].name);
        found = true;
      }
    }
    if (!found) return Malformed("primary key column");
    pos = end + 1;
  }
  return catalog;
}

Result<RelationCatalog> LookupRelation(Connection* conn, std::string_view schema,
                                       std::string_view relation) {
  const Param params[] = {Param::Text(schema), Param::Text(relation)};
  RB_ASSIGN_OR_RETURN(QueryResult result, conn->Query(CatalogQuery(), params, Format::kText));
  return DecodeCatalog(result, schema, relation);
}

std::string QuoteIdent(std::string_view name) {
  std::string out = "\"";
  for (const char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string SelectList(const std::vector<std::string>& names,
                       const std::vector<ColumnCodec>& codecs) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    const std::string quoted = QuoteIdent(names[i]);
    out += quoted;
    if (i < codecs.size() && codecs[i].cast_to_text) {
      out += codecs[i].is_array ? "::text[] AS " : "::text AS ";
      out += quoted;
    }
  }
  return out;
}

}  // namespace rapidbyte::pgwire
