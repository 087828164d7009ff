// SQL text of a stream read.
#include "connectors/postgres/source/read_query.h"

namespace rapidbyte::pgsource {
namespace {

// The cursor column's type for the cast. format_type() output comes from the server's own
// catalog (quoted where needed), and cursor types are restricted to built-in scalar types and
// domains over them.
const std::string& CursorCastType(const ReadPlan& plan) {
  return plan.selected[static_cast<std::size_t>(plan.cursor_index)].format_type;
}

}  // namespace

std::string CopyQuery(const ReadPlan& plan, CursorFilter filter) {
  std::string sql = "COPY (SELECT " + pgwire::SelectList(plan.columns, plan.codecs) + " FROM " +
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
  sql += ") TO STDOUT (FORMAT binary)";
  return sql;
}

std::string StoredCursorQuery(const ReadPlan& plan) {
  return "SELECT pg_catalog.current_setting('rapidbyte.cursor')::" + CursorCastType(plan);
}

}  // namespace rapidbyte::pgsource
