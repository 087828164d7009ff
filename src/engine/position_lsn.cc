// The `lsn` position kind (SPEC §14.4): where a cdc stream stands in the source's WAL.
// {"lsn": "X/Y", "tx": {"commit_lsn": "X/Y", "index": n} | null}: every transaction with a
// commit LSN up to `lsn` is delivered, plus the first `index` changes of the transaction
// committed at `tx.commit_lsn` when a checkpoint fell inside it. It is stored in the state
// row's cursor_value with cursor_type "lsn", so `state show` (which reads no stream
// configuration) recognises it.
#include "engine/position_kinds.h"
#include "pgwire/lsn.h"

namespace rapidbyte::engine {
namespace {

using protocol::Json;

constexpr const char* kKind = "lsn";

// A well-formed {"lsn", "tx"} document from untrusted JSON (a checkpoint, a commit token, a
// state row): nullopt when `lsn` is absent or malformed, or `tx` is neither null nor a
// {commit_lsn, index >= 0} object.
struct LsnValue {
  pgwire::Lsn lsn;
  std::optional<pgwire::Lsn> tx_commit;
  std::int64_t tx_index = 0;

  Json ToJson() const {
    Json tx = nullptr;
    if (tx_commit) tx = {{"commit_lsn", tx_commit->ToString()}, {"index", tx_index}};
    return {{"lsn", lsn.ToString()}, {"tx", std::move(tx)}};
  }
};

std::optional<LsnValue> ReadLsnValue(const Json& doc) {
  std::string text;
  if (!doc.is_object() || !protocol::GetString(doc, "lsn", &text)) return std::nullopt;
  auto lsn = pgwire::Lsn::Parse(text);
  if (!lsn.ok()) return std::nullopt;
  LsnValue v{*lsn, std::nullopt, 0};
  const Json* tx = protocol::GetMember(doc, "tx");
  if (tx == nullptr || tx->is_null()) return v;
  std::string commit;
  const Json* index = protocol::GetMember(*tx, "index");
  if (!tx->is_object() || !protocol::GetString(*tx, "commit_lsn", &commit) || index == nullptr ||
      !index->is_number_integer() || index->get<std::int64_t>() < 0) {
    return std::nullopt;
  }
  auto commit_lsn = pgwire::Lsn::Parse(commit);
  if (!commit_lsn.ok()) return std::nullopt;
  v.tx_commit = *commit_lsn;
  v.tx_index = index->get<std::int64_t>();
  return v;
}

class LsnPosition final : public Position {
 public:
  std::optional<LsnValue> value;  // nullopt: nothing stored (the stream takes a snapshot)

  std::string_view kind() const override { return kKind; }
  bool has_value() const override { return value.has_value(); }
  std::unique_ptr<Position> Clone() const override { return std::make_unique<LsnPosition>(*this); }

  void Store(state::CursorRecord* row) const override {
    row->cursor_field = "";
    row->cursor_type = value ? kKind : "";
    row->cursor_value = value ? value->ToJson().dump() : "";
    row->cursor_boundary = "";
    row->position_run_id = stamp.run_id;
    row->position_seq = stamp.seq;
  }
  // What the source resumes from; null: take the snapshot first (§14.2).
  Json Request() const override { return value ? value->ToJson() : Json(); }
  Json Token() const override { return value ? value->ToJson() : Json(); }
  Json Result() const override {
    if (!value) return nullptr;
    return {{"field", kKind}, {"value", value->ToJson()}};
  }
  std::string Describe() const override {
    if (!value) return "no position stored (the next run takes a snapshot)";
    std::string out = "lsn " + value->lsn.ToString();
    if (value->tx_commit) {
      out += ", and the first " + std::to_string(value->tx_index) +
             " changes of the transaction committed at " + value->tx_commit->ToString();
    }
    return out;
  }
  std::string ValueText() const override { return value ? value->ToJson().dump() : ""; }
  Json Show() const override {
    Json out = {{"kind", kKind}, {"lsn", nullptr}, {"tx", nullptr}};
    if (value) out.update(value->ToJson());
    return out;
  }
  // WAL order: a later LSN, or more changes of the same transaction.
  bool IsNewerThan(const Position& other) const override {
    const auto* o = dynamic_cast<const LsnPosition*>(&other);
    if (o == nullptr || !o->value || !value) return Position::IsNewerThan(other);
    if (value->lsn != o->value->lsn) return value->lsn > o->value->lsn;
    if (value->tx_commit != o->value->tx_commit) {
      // A position inside a transaction is past the LSN that ends before it.
      return value->tx_commit.has_value() && (!o->value->tx_commit || *value->tx_commit > *o->value->tx_commit);
    }
    return value->tx_index > o->value->tx_index;
  }
};

class LsnKind final : public PositionKind {
 public:
  std::string_view name() const override { return kKind; }
  bool resumable() const override { return true; }

  std::unique_ptr<Position> FromRow(const state::CursorRecord& row) const override {
    auto p = std::make_unique<LsnPosition>();
    if (row.cursor_type == kKind && !row.cursor_value.empty()) {
      if (auto doc = protocol::ParseJson(row.cursor_value)) p->value = ReadLsnValue(*doc);
    }
    p->stamp = {row.position_run_id, row.position_seq};
    return p;
  }
  std::unique_ptr<Position> FromCheckpoint(const SourceCheckpoint& checkpoint) const override {
    auto value = ReadLsnValue(checkpoint.fields);
    if (!value) return nullptr;
    auto p = std::make_unique<LsnPosition>();
    p->value = std::move(value);
    return p;
  }
  std::unique_ptr<Position> FromToken(const Json& position, PositionStamp stamp) const override {
    auto value = ReadLsnValue(position);
    if (!value) return nullptr;
    auto p = std::make_unique<LsnPosition>();
    p->value = std::move(value);
    p->stamp = stamp;
    return p;
  }
  // A row another kind stored (the stream was incremental before): the cdc stream cannot
  // continue from a cursor; it needs a reset and a snapshot.
  std::optional<PositionConflict> CheckRow(const state::CursorRecord& row) const override {
    if (row.cursor_value.empty() || row.cursor_type == kKind) return std::nullopt;
    return PositionConflict{"POSITION_KIND_CHANGED",
                            "the stored position is a cursor (the stream was incremental); a cdc "
                            "stream starts from a snapshot: run `rapidbyte state reset` for it"};
  }
};

}  // namespace

std::unique_ptr<PositionKind> MakeLsnPositionKind() { return std::make_unique<LsnKind>(); }

}  // namespace rapidbyte::engine
