// SQL text of a stream read.
#include "connectors/postgres/source/read_query.h"

#include "protocol/json.h"

namespace rapidbyte::pgsource {
namespace {

// The cursor column's type for the cast. format_type() output comes from the server's own
// catalog (quoted where needed), and cursor types are restricted to built-in scalar types and
// domains over them.
const std::string& CursorCastType(const ReadPlan& plan) {
  return plan.selected[static_cast<std::size_t>(plan.cursor_index)].format_type;
}

std::string SelectQuery(const ReadPlan& plan, CursorFilter filter) {
  std::string sql = "SELECT " + pgwire::SelectList(plan.columns, plan.codecs) + plan.extra_select + " FROM " +
                    plan.name.Quoted();
  if (filter != CursorFilter::kNone) {
    const std::string cursor = pgwire::QuoteIdent(plan.columns[static_cast<std::size_t>(plan.cursor_index)]);
    if (filter == CursorFilter::kNotNull) {
      sql += " WHERE " + cursor + " IS NOT NULL";
    } else {
      sql += " WHERE " + cursor + " >= pg_catalog.current_setting('rapidbyte.cursor')::" +
             CursorCastType(plan);
    }
    sql += " ORDER BY " + cursor;
  }
  return sql;
}

}  // namespace

std::string CopyQuery(const ReadPlan& plan, CursorFilter filter) {
  return "COPY (" + SelectQuery(plan, filter) + ") TO STDOUT (FORMAT binary)";
}

std::string ExplainQuery(const ReadPlan& plan, CursorFilter filter) {
  return "EXPLAIN (FORMAT JSON) " + SelectQuery(plan, filter);
}

std::optional<std::uint64_t> PlanRows(const pgwire::QueryResult& explain) {
  if (explain.rows.size() != 1 || explain.rows[0].size() != 1 || !explain.rows[0][0]) {
    return std::nullopt;
  }
  const std::optional<protocol::Json> doc = protocol::ParseJson(*explain.rows[0][0]);
  if (!doc || !doc->is_array() || doc->empty() || !(*doc)[0].is_object()) return std::nullopt;
  const protocol::Json& top = (*doc)[0];
  if (!top.contains("Plan") || !top["Plan"].is_object()) return std::nullopt;
  const protocol::Json& plan = top["Plan"];
  if (!plan.contains("Plan Rows") || !plan["Plan Rows"].is_number()) return std::nullopt;
  const double rows = plan["Plan Rows"].get<double>();
  if (!(rows >= 0) || rows > 1e18) return std::nullopt;
  return static_cast<std::uint64_t>(rows);
}

std::string StoredCursorQuery(const ReadPlan& plan) {
  return "SELECT pg_catalog.current_setting('rapidbyte.cursor')::" + CursorCastType(plan);
}

}  // namespace rapidbyte::pgsource
