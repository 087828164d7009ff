// Schema drift detection and the policy actions.
#include "connectors/postgres/destination/schema_evolution.h"

#include <algorithm>

#include "connectors/postgres/common/pg_errors.h"
#include "connectors/postgres/destination/names.h"
#include "connectors/postgres/destination/table_catalog.h"
#include "pgwire/type_map.h"
#include "sdk/host.h"

namespace rapidbyte::pgdest {
namespace {

namespace oid = pgwire::oid;

bool IsTextLike(std::uint32_t type) {
  return type == oid::kText || type == oid::kVarchar || type == oid::kBpchar || type == oid::kName;
}

// The types the binary codecs know; anything else is "carried as text" (SPEC §9.1).
bool IsBinaryKnown(std::uint32_t type) {
  switch (type) {
    case oid::kBool:
    case oid::kBytea:
    case oid::kInt8:
    case oid::kInt2:
    case oid::kInt4:
    case oid::kText:
    case oid::kJson:
    case oid::kFloat4:
    case oid::kFloat8:
    case oid::kBpchar:
    case oid::kVarchar:
    case oid::kDate:
    case oid::kTime:
    case oid::kTimestamp:
    case oid::kTimestamptz:
    case oid::kInterval:
    case oid::kNumeric:
    case oid::kUuid:
    case oid::kJsonb:
    case oid::kName:
      return true;
    default:
      return false;
  }
}

// Decimal digits an integer type needs.
int IntegerDigits(std::uint32_t type) {
  return type == oid::kInt2 ? 5 : type == oid::kInt4 ? 10 : type == oid::kInt8 ? 19 : 0;
}

bool NumericHolds(std::int32_t typmod, std::int32_t p, std::int32_t s) {
  if (typmod < 4) return true;  // unconstrained numeric
  const std::int32_t p2 = ((typmod - 4) >> 16) & 0xffff;
  const std::int32_t s2 = (typmod - 4) & 0xffff;
  if (p < 0) return false;  // unconstrained incoming into a constrained column
  return s2 >= s && p2 - s2 >= p - std::max(s, 0);
}

bool ScalarHolds(std::uint32_t col, std::int32_t typmod, const ColumnType& in) {
  const std::uint32_t t = in.base_oid;
  if (col == t) {
    if (typmod < 0) return true;
    if (t == oid::kNumeric) return NumericHolds(typmod, in.mod1, in.mod2 < 0 ? 0 : in.mod2);
    if (t == oid::kVarchar || t == oid::kBpchar) return in.mod1 >= 0 && typmod - 4 >= in.mod1;
    return in.mod1 >= 0 && typmod >= in.mod1;  // time/timestamp precision and the like
  }
  if (const int digits = IntegerDigits(t); digits > 0) {
    if (col == oid::kNumeric) return NumericHolds(typmod, digits, 0);
    return IntegerDigits(col) > digits;
  }
  if (t == oid::kFloat4) return col == oid::kFloat8;
  if (IsTextLike(t) || (t == in.oid && !IsBinaryKnown(t))) {
    if (col == oid::kText) return true;
    if (col == oid::kVarchar && IsTextLike(t)) return in.mod1 >= 0 && typmod - 4 >= in.mod1;
    return false;
  }
  if (t == oid::kJson) return col == oid::kJsonb || col == oid::kText;
  return !IsBinaryKnown(t) && col == oid::kText;
}

Status Reject(const char* policy, const std::string& what, const std::string& stream) {
  return pgconn::Fail(pgconn::ErrorCategory::kSchema, "SCHEMA_CHANGE_REJECTED",
                      std::string("destination.schema_evolution.") + policy + " is 'fail' and " +
                          what + " in stream " + stream);
}

}  // namespace

bool HoldsLosslessly(const pgwire::PgColumn& column, const ColumnType& incoming) {
  if (column.format_type == incoming.ddl) return true;
  const bool column_array = column.elem_oid != 0;
  if (column_array != incoming.is_array) return !incoming.is_array && column.base_oid == oid::kText;
  if (column_array) return column.elem_oid == incoming.base_oid;
  return ScalarHolds(column.base_oid, column.typmod, incoming);
}

Result<EvolutionPlan> PlanEvolution(pgwire::Connection* conn, const pgconn::QualifiedName& table,
                                    const pgwire::RelationCatalog& catalog,
                                    const arrow::Schema& incoming,
                                    const std::vector<ColumnType>& types,
                                    const EvolutionPolicy& policy, const std::string& stream) {
  using P = EvolutionPolicy;
  EvolutionPlan plan;
  std::set<std::string>& skip = plan.skip;
  std::vector<std::string>& alters = plan.alters;
  EvolutionPlan::Drift& drift = plan.drift;
  const std::string t = table.Quoted();
  for (int i = 0; i < incoming.num_fields(); ++i) {
    const arrow::Field& field = incoming.field(i);
    const ColumnType& type = types[static_cast<std::size_t>(i)];
    const std::string q = pgwire::QuoteIdent(field.name());
    const pgwire::PgColumn* column = nullptr;
    for (const pgwire::PgColumn& c : catalog.columns) {
      if (c.name == field.name()) column = &c;
    }
    if (column == nullptr) {
      ++drift.added;
      RB_RETURN_NOT_OK(CheckIdentifier("column", field.name()));
      if (policy.new_column == P::NewColumn::kFail) {
        return Reject("new_column", "column '" + field.name() + "' (" + type.ddl + ") is new",
                      stream);
      }
      if (policy.new_column == P::NewColumn::kIgnore) {
        skip.insert(field.name());
        plan.notes.push_back("new column '" + field.name() + "' (" + type.ddl +
                             ") is left out: new_column is 'ignore'");
      } else {
        alters.push_back("ALTER TABLE " + t + " ADD COLUMN " + q + " " + type.ddl);
      }
      continue;
    }
    if (!HoldsLosslessly(*column, type)) {
      ++drift.type_changes;
      const std::string what = "column '" + field.name() + "' changes type from " +
                               column->format_type + " to " + type.ddl;
      if (policy.type_change == P::TypeChange::kFail) return Reject("type_change", what, stream);
      if (policy.type_change == P::TypeChange::kNull) {
        plan.notes.push_back(what + "; type_change is 'null', so the column is written as NULL");
        skip.insert(field.name());
        continue;
      }
      alters.push_back("ALTER TABLE " + t + " ALTER COLUMN " + q + " TYPE " + type.ddl + " USING " +
                       q + "::" + type.ddl);
    }
    // A primary-key column stays NOT NULL whatever the data declares: the key cannot be
    // made nullable, and sources such as views report every column as nullable. A NULL key
    // in the data is then rejected by the server as a data error.
    const bool key_column = std::find(catalog.primary_key.begin(), catalog.primary_key.end(),
                                      field.name()) != catalog.primary_key.end();
    if (field.nullable() && column->not_null && !key_column) {
      ++drift.nullability;
      if (policy.nullability_change == P::Nullability::kFail) {
        return Reject("nullability_change",
                      "column '" + field.name() + "' is NOT NULL but nullable in the data", stream);
      }
      alters.push_back("ALTER TABLE " + t + " ALTER COLUMN " + q + " DROP NOT NULL");
    }
  }
  RB_ASSIGN_OR_RETURN(const std::set<std::string> required, RequiredColumns(conn, table));
  for (const pgwire::PgColumn& c : catalog.columns) {
    if (incoming.GetFieldIndex(c.name) >= 0) continue;
    ++drift.removed;
    if (policy.removed_column == P::RemovedColumn::kFail) {
      return Reject("removed_column", "column '" + c.name + "' is absent", stream);
    }
    // Rows will get the column default; a NOT NULL column without one would reject every
    // row, so it is a nullability change.
    if (required.count(c.name) != 0) {
      ++drift.nullability;
      if (policy.nullability_change == P::Nullability::kFail) {
        return Reject("nullability_change",
                      "NOT NULL column '" + c.name + "' is absent from the data", stream);
      }
      alters.push_back("ALTER TABLE " + t + " ALTER COLUMN " + pgwire::QuoteIdent(c.name) +
                       " DROP NOT NULL");
    }
  }
  return plan;
}

Result<std::set<std::string>> EvolveTable(pgwire::Connection* conn,
                                          const pgconn::QualifiedName& table,
                                          const pgwire::RelationCatalog& catalog,
                                          const arrow::Schema& incoming,
                                          const std::vector<ColumnType>& types,
                                          const EvolutionPolicy& policy,
                                          const std::string& stream) {
  RB_ASSIGN_OR_RETURN(EvolutionPlan plan,
                      PlanEvolution(conn, table, catalog, incoming, types, policy, stream));
  for (const std::string& note : plan.notes) {
    if (note.find("type_change is 'null'") != std::string::npos) {
      sdk::host::Log(sdk::LogLevel::kWarn, "stream " + stream + ": " + note);
    }
  }
  const EvolutionPlan::Drift& drift = plan.drift;
  if (drift.added + drift.removed + drift.type_changes + drift.nullability > 0) {
    sdk::host::Log(sdk::LogLevel::kInfo, "schema drift detected for " + table.Display() + ": " +
                    std::to_string(drift.added) + " new, " + std::to_string(drift.removed) +
                    " removed, " + std::to_string(drift.type_changes) + " type change, " +
                    std::to_string(drift.nullability) + " nullability changes");
  }
  for (const std::string& sql : plan.alters) {
    Status st = conn->Execute(sql);
    if (!st.ok()) {
      return pgconn::Fail(pgconn::ErrorCategory::kSchema, "SCHEMA_CHANGE_FAILED",
                          "stream " + stream + ": " + sql + ": " + st.message());
    }
  }
  return std::move(plan.skip);
}

}  // namespace rapidbyte::pgdest
