// Relation lookup and read planning.
#include "connectors/postgres/source/read_plan.h"

#include "base/strings.h"
#include "connectors/postgres/common/pg_errors.h"
#include "connectors/postgres/source/relations.h"

namespace rapidbyte::pgsource {
namespace {

using pgconn::ErrorCategory;

// "relation public.ordrs not found (did you mean public.orders?)"
Status NotFound(pgwire::Connection* conn, const pgconn::QualifiedName& name) {
  std::string message = "relation " + name.Display() + " not found";
  auto relations = ListRelations(conn);
  if (relations.ok()) {
    std::vector<std::string> candidates;
    for (const RelationRef& r : *relations) candidates.push_back(r.name.Display());
    if (auto suggestion = SuggestClosest(name.Display(), candidates)) {
      message += " (did you mean " + *suggestion + "?)";
    }
  }
  return pgconn::Fail(ErrorCategory::kConfig, "TABLE_NOT_FOUND", std::move(message));
}

std::vector<std::string> ColumnNames(const pgwire::RelationCatalog& catalog) {
  std::vector<std::string> names;
  for (const pgwire::PgColumn& c : catalog.columns) names.push_back(c.name);
  return names;
}

int FindColumn(const pgwire::RelationCatalog& catalog, std::string_view name) {
  for (std::size_t i = 0; i < catalog.columns.size(); ++i) {
    if (catalog.columns[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

Status ColumnNotFound(const pgconn::QualifiedName& name, const pgwire::RelationCatalog& catalog,
                      const std::string& column, std::string_view role) {
  const std::vector<std::string> names = ColumnNames(catalog);
  std::string message = std::string(role) + " '" + column + "' not found in " + name.Display();
  if (auto suggestion = SuggestClosest(column, names)) {
    message += " (did you mean '" + *suggestion + "'?)";
  }
  message += "; available columns: " + Join(names, ", ");
  return pgconn::Fail(ErrorCategory::kConfig, "COLUMN_NOT_FOUND", std::move(message));
}

// The key fields: the primary key when fully selected, else every selected field.
std::vector<int> KeyFields(const std::vector<std::string>& selected,
                           const std::vector<std::string>& primary_key) {
  std::vector<int> key;
  for (const std::string& k : primary_key) {
    for (std::size_t i = 0; i < selected.size(); ++i) {
      if (selected[i] == k) key.push_back(static_cast<int>(i));
    }
  }
  if (primary_key.empty() || key.size() != primary_key.size()) {
    key.clear();
    for (std::size_t i = 0; i < selected.size(); ++i) key.push_back(static_cast<int>(i));
  }
  return key;
}

}  // namespace

Result<pgwire::RelationCatalog> LookupRelation(pgwire::Connection* conn,
                                               const pgconn::QualifiedName& name) {
  auto catalog = pgwire::LookupRelation(conn, name.schema, name.relation);
  if (catalog.status().code() == StatusCode::kNotFound) return NotFound(conn, name);
  if (!catalog.ok()) return catalog.status();
  if (!catalog->can_select) {
    return pgconn::Fail(ErrorCategory::kPermission, "PERMISSION_DENIED",
                        "permission denied: no SELECT privilege on " + name.Display());
  }
  return std::move(*catalog);
}

Result<ReadPlan> MakeReadPlan(pgconn::QualifiedName name, pgwire::RelationCatalog catalog,
                              const std::optional<std::vector<std::string>>& columns,
                              const std::string& cursor_field) {
  ReadPlan plan;
  plan.name = std::move(name);
  plan.catalog = std::move(catalog);
  plan.columns = columns.value_or(ColumnNames(plan.catalog));
  if (!cursor_field.empty()) {
    bool selected = false;
    for (const std::string& c : plan.columns) selected = selected || c == cursor_field;
    if (!selected) plan.columns.push_back(cursor_field);
  }
  for (const std::string& column : plan.columns) {
    const int index = FindColumn(plan.catalog, column);
    if (index < 0) {
      return ColumnNotFound(plan.name, plan.catalog, column,
                            column == cursor_field ? "cursor column" : "column");
    }
    plan.selected.push_back(plan.catalog.columns[static_cast<std::size_t>(index)]);
  }
  if (!cursor_field.empty()) {
    for (std::size_t i = 0; i < plan.columns.size(); ++i) {
      if (plan.columns[i] == cursor_field) plan.cursor_index = static_cast<int>(i);
    }
    const pgwire::PgColumn& column = plan.selected[static_cast<std::size_t>(plan.cursor_index)];
    plan.cursor = CursorColumnFor(column);
    if (!plan.cursor) {
      return pgconn::Fail(ErrorCategory::kConfig, "CURSOR_TYPE_UNSUPPORTED",
                          "cursor column '" + cursor_field + "' of " + plan.name.Display() +
                              " has type " + column.format_type +
                              ", which cannot be a cursor (supported: " +
                              std::string(SupportedCursorTypes()) + ")");
    }
  }
  RB_ASSIGN_OR_RETURN(pgwire::RelationPlan mapped,
                      pgwire::MapRelation(plan.name.schema, plan.name.relation, plan.selected,
                                          plan.catalog.primary_key));
  plan.schema = std::move(mapped.schema);
  plan.codecs = std::move(mapped.codecs);
  plan.key_fields = KeyFields(plan.columns, plan.catalog.primary_key);
  return plan;
}

}  // namespace rapidbyte::pgsource
