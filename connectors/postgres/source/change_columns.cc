// Change columns and the re-framing of pgoutput tuples as binary COPY tuples.
#include "connectors/postgres/source/change_columns.h"

#include <algorithm>

#include "pgwire/type_map.h"

namespace rapidbyte::pgsource {
namespace {

using pgwire::PgColumn;
using pgwire::pgoutput::ValueKind;

PgColumn Facts(std::string name, std::uint32_t oid, std::string format_type,
               std::string base_name, char category, bool not_null) {
  PgColumn c;
  c.name = std::move(name);
  c.type_oid = oid;
  c.base_oid = oid;
  c.format_type = std::move(format_type);
  c.base_name = std::move(base_name);
  c.typcategory = category;
  c.not_null = not_null;
  return c;
}

std::vector<PgColumn> ChangeColumnFacts() {
  PgColumn unchanged = Facts("_rb_unchanged", pgwire::oid::kTextArray, "text[]", "_text", 'A', false);
  unchanged.elem_oid = pgwire::oid::kText;
  unchanged.elem_name = "text";
  return {Facts("_rb_op", pgwire::oid::kText, "text", "text", 'S', true),
          Facts("_rb_lsn", pgwire::oid::kInt8, "bigint", "int8", 'N', true),
          Facts("_rb_commit_ts", 1184, "timestamp with time zone", "timestamptz", 'D', false),
          std::move(unchanged)};
}

void PutU16(pgwire::ByteBuffer* out, std::uint16_t v) {
  out->push_back(static_cast<std::uint8_t>(v >> 8));
  out->push_back(static_cast<std::uint8_t>(v));
}
void PutU32(pgwire::ByteBuffer* out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<std::uint8_t>(v >> shift));
}
void PutU64(pgwire::ByteBuffer* out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<std::uint8_t>(v >> shift));
}
void PutNull(pgwire::ByteBuffer* out) { PutU32(out, 0xFFFFFFFFu); }
void PutField(pgwire::ByteBuffer* out, const void* data, std::size_t size) {
  PutU32(out, static_cast<std::uint32_t>(size));
  const auto* p = static_cast<const std::uint8_t*>(data);
  out->insert(out->end(), p, p + size);
}

// A one-dimensional text[] in its binary send format.
void PutTextArray(pgwire::ByteBuffer* out, const std::vector<std::string_view>& items) {
  std::size_t size = 20;
  for (std::string_view item : items) size += 4 + item.size();
  PutU32(out, static_cast<std::uint32_t>(size));
  PutU32(out, 1);  // dimensions
  PutU32(out, 0);  // no nulls
  PutU32(out, pgwire::oid::kText);
  PutU32(out, static_cast<std::uint32_t>(items.size()));
  PutU32(out, 1);  // lower bound
  for (std::string_view item : items) PutField(out, item.data(), item.size());
}

}  // namespace

Status AddChangeColumns(ReadPlan* plan, pgwire::Lsn snapshot_lsn) {
  // A text-carried type (cast to text for the snapshot) arrives from pgoutput in its binary
  // send format, which only an enum shares with its text form.
  for (std::size_t i = 0; i < plan->selected.size(); ++i) {
    const PgColumn& c = plan->selected[i];
    if (plan->codecs[i].cast_to_text && c.typtype != 'e') {
      return Status::InvalidArgument(
          "column '" + c.name + "' of " + plan->name.Display() + " has type " + c.format_type +
          ", which cdc cannot read yet (its binary form is not its text); leave it out with "
          "the stream's `columns:`");
    }
  }
  // A delete carries only the key, a truncate no column at all: every table column of a
  // change frame is nullable.
  std::vector<arrow::Field> fields;
  for (const arrow::Field& f : plan->schema->fields()) {
    fields.emplace_back(f.name(), f.type(), true, f.metadata());
  }
  for (const PgColumn& facts : ChangeColumnFacts()) {
    RB_ASSIGN_OR_RETURN(pgwire::ColumnPlan column, pgwire::MapColumn(facts));
    fields.push_back(std::move(column.field));
    plan->codecs.push_back(column.codec);
  }
  plan->schema = std::make_shared<const arrow::Schema>(std::move(fields), plan->schema->metadata());
  RB_RETURN_NOT_OK(plan->schema->Validate());
  plan->extra_select = ", 'insert'::text AS \"_rb_op\", " +
                       std::to_string(static_cast<std::int64_t>(snapshot_lsn.value())) +
                       "::int8 AS \"_rb_lsn\", NULL::timestamptz AS \"_rb_commit_ts\", "
                       "NULL::text[] AS \"_rb_unchanged\"";
  return Status::OK();
}

void AppendCopyHeader(pgwire::ByteBuffer* out) {
  static constexpr std::uint8_t kSignature[] = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', 0xFF, '\r', '\n', 0};
  out->insert(out->end(), std::begin(kSignature), std::end(kSignature));
  PutU32(out, 0);  // flags
  PutU32(out, 0);  // header extension length
}

Status ChangeEncoder::OnRelation(const pgwire::pgoutput::Relation& relation, bool* changed,
                                 std::string* what_changed) {
  *changed = false;
  std::vector<int> index(plan_.columns.size(), -1);
  for (std::size_t i = 0; i < relation.columns.size(); ++i) {
    const auto& column = relation.columns[i];
    auto it = std::find(plan_.columns.begin(), plan_.columns.end(), column.name);
    if (it == plan_.columns.end()) {
      // Only a column the stream selects matters; without a projection every column does.
      if (plan_.columns.size() == plan_.catalog.columns.size()) {
        *changed = true;
        *what_changed = "column '" + std::string(column.name) + "' was added";
        return Status::OK();
      }
      continue;
    }
    const auto at = static_cast<std::size_t>(it - plan_.columns.begin());
    const PgColumn& known = plan_.selected[at];
    if (column.type_oid != known.type_oid && column.type_oid != known.base_oid) {
      *changed = true;
      *what_changed = "column '" + known.name + "' changed type (was " + known.format_type + ")";
      return Status::OK();
    }
    index[at] = static_cast<int>(i);
  }
  source_index_ = std::move(index);
  mapped_ = true;
  return Status::OK();
}

Status ChangeEncoder::Encode(const ChangeRow& row, pgwire::ByteBuffer* out) {
  out->clear();
  const std::size_t columns = plan_.columns.size();
  if (!row.values.empty() && !mapped_) {
    return Status::DataLoss("pgoutput sent a change before its table's Relation message");
  }
  PutU16(out, static_cast<std::uint16_t>(columns + kChangeColumnCount));
  unchanged_.clear();
  for (std::size_t i = 0; i < columns; ++i) {
    const int at = row.values.empty() ? -1 : source_index_[i];
    if (at < 0 || static_cast<std::size_t>(at) >= row.values.size()) {
      PutNull(out);
      continue;
    }
    const auto& value = row.values[static_cast<std::size_t>(at)];
    switch (value.kind) {
      case ValueKind::kBinary: PutField(out, value.data.data(), value.data.size()); break;
      case ValueKind::kNull: PutNull(out); break;
      case ValueKind::kUnchangedToast:
        PutNull(out);
        unchanged_.push_back(plan_.columns[i]);
        break;
      case ValueKind::kText:
      default:
        return Status::DataLoss("pgoutput sent column '" + plan_.columns[i] +
                                "' as text although binary values were requested");
    }
  }
  PutField(out, row.op.data(), row.op.size());
  PutU32(out, 8);
  PutU64(out, row.commit_lsn.value());
  PutU32(out, 8);
  PutU64(out, static_cast<std::uint64_t>(row.commit_time));
  if (unchanged_.empty()) {
    PutNull(out);
  } else {
    PutTextArray(out, unchanged_);
  }
  return Status::OK();
}

}  // namespace rapidbyte::pgsource
