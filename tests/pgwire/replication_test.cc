// The streaming replication protocol against a real PostgreSQL 15 with wal_level = logical:
// IDENTIFY_SYSTEM, a slot created with an exported snapshot that a normal connection reads
// through, then START_REPLICATION with binary 'true' decoded by the pgoutput decoder. The
// stream must carry exactly the changes made after the snapshot, in order and with their
// values (an unchanged TOASTed column, REPLICA IDENTITY FULL, a key change, truncate, a
// logical decoding message). Standby status updates must move the slot's confirmed_flush_lsn,
// and keepalives that ask for a reply are answered so the server keeps the stream.
#include "pgwire/replication.h"

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "base/test_util.h"
#include "pgwire/binary_to_text.h"
#include "pgwire/error_mapping.h"
#include "pgwire/pgoutput.h"
#include "pgwire/server_error.h"
#include "tests/harness/pg_cluster.h"
#include "tests/pgwire/pg_session.h"

namespace rapidbyte::pgwire {
namespace {

using rapidbyte::testing::PgCluster;
using testing::OpenSession;
using testing::SessionOptions;

constexpr auto kStreamWait = std::chrono::seconds(30);

std::int64_t NowPgMicros() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return PgTimeFromUnixMicros(std::chrono::duration_cast<std::chrono::microseconds>(now).count());
}

// Renders decoded messages as text lines; values of built-in types are printed from their
// binary form (text-format values get a "t:" prefix, so a test sees which format came).
class ChangeLog {
 public:
  Status Add(const pgoutput::Message& message) {
    return std::visit([this](const auto& m) { return Render(m); }, message);
  }
  const std::vector<std::string>& lines() const { return lines_; }
  Lsn last_commit_end() const { return last_commit_end_; }
  int commits() const { return commits_; }

 private:
  struct Table {
    std::string name;
    std::vector<std::uint32_t> types;
  };

  Status Render(const pgoutput::Begin&) { return Line("BEGIN"); }
  Status Render(const pgoutput::Commit& c) {
    last_commit_end_ = c.end_lsn;
    ++commits_;
    return Line("COMMIT");
  }
  Status Render(const pgoutput::Origin& o) { return Line("ORIGIN " + std::string(o.name)); }
  Status Render(const pgoutput::Type& t) { return Line("TYPE " + std::string(t.type_name)); }
  Status Render(const pgoutput::Relation& r) {
    Table& table = tables_[r.relation_id];
    table.name = std::string(r.relation_name);
    table.types.clear();
    std::string line =
        "RELATION " + std::string(r.namespace_name) + "." + table.name + " " + r.replica_identity;
    for (const pgoutput::Column& c : r.columns) {
      table.types.push_back(c.type_oid);
      line += " " + std::string(c.name) + (c.is_key() ? "*" : "");
    }
    return Line(line);
  }
  Status Render(const pgoutput::Insert& i) {
    RB_ASSIGN_OR_RETURN(std::string row, Row(i.relation_id, i.new_tuple));
    return Line("INSERT " + tables_[i.relation_id].name + " " + row);
  }
  Status Render(const pgoutput::Update& u) {
    std::string line = "UPDATE " + tables_[u.relation_id].name;
    if (u.old_kind != pgoutput::OldTupleKind::kNone) {
      RB_ASSIGN_OR_RETURN(std::string old_row, Row(u.relation_id, u.old_tuple));
      line += std::string(" ") + static_cast<char>(u.old_kind) + old_row;
    }
    RB_ASSIGN_OR_RETURN(std::string new_row, Row(u.relation_id, u.new_tuple));
    return Line(line + " N" + new_row);
  }
  Status Render(const pgoutput::Delete& d) {
    RB_ASSIGN_OR_RETURN(std::string old_row, Row(d.relation_id, d.old_tuple));
    return Line("DELETE " + tables_[d.relation_id].name + " " + static_cast<char>(d.old_kind) +
                old_row);
  }
  Status Render(const pgoutput::Truncate& t) {
    std::string line = "TRUNCATE";
    for (std::uint32_t id : t.relation_ids) line += " " + tables_[id].name;
    return Line(line + " options=" + std::to_string(t.options));
  }
  Status Render(const pgoutput::LogicalMessage& m) {
    return Line("MESSAGE " + std::string(m.prefix) + " " +
                std::string(m.content.begin(), m.content.end()) +
                (m.transactional ? " transactional" : ""));
  }

  Result<std::string> Row(std::uint32_t relation_id, pgoutput::Tuple tuple) {
    const Table& table = tables_[relation_id];
    if (tuple.size() != table.types.size()) return Status::Internal("tuple width differs");
    std::string out = "(";
    for (std::size_t i = 0; i < tuple.size(); ++i) {
      if (i > 0) out += ", ";
      RB_RETURN_NOT_OK(AppendValue(table.types[i], tuple[i], &out));
    }
    return out + ")";
  }

  static Status AppendValue(std::uint32_t type, const pgoutput::Value& v, std::string* out) {
    const std::string_view data(reinterpret_cast<const char*>(v.data.data()), v.data.size());
    switch (v.kind) {
      case pgoutput::ValueKind::kNull:
        *out += "NULL";
        return Status::OK();
      case pgoutput::ValueKind::kUnchangedToast:
        *out += "<unchanged>";
        return Status::OK();
      case pgoutput::ValueKind::kText:
        *out += "t:" + std::string(data);
        return Status::OK();
      case pgoutput::ValueKind::kBinary:
        break;
    }
    const std::uint32_t elem = type == 1007 ? 23 : 0;  // int4[]
    RB_ASSIGN_OR_RETURN(BinaryToText printer, BinaryToText::For({type, elem, {}}));
    const std::size_t before = out->size();
    RB_RETURN_NOT_OK(printer.Append(data, out));
    if (out->size() - before > 40) {  // the TOASTed column: show its size, not its bytes
      *out = out->substr(0, before) + "<" + std::to_string(out->size() - before) + " chars>";
    }
    return Status::OK();
  }

  Status Line(std::string line) {
    lines_.push_back(std::move(line));
    return Status::OK();
  }

  std::map<std::uint32_t, Table> tables_;
  std::vector<std::string> lines_;
  Lsn last_commit_end_;
  int commits_ = 0;
};

class PgwireReplicationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    rapidbyte::testing::PgClusterOptions options;
    // A short sender timeout: the server asks for a reply after 1 s of silence and drops a
    // stream that does not answer within 2 s.
    options.extra_config = {"wal_level = logical", "wal_sender_timeout = 2s"};
    auto started = PgCluster::Start(options);
    if (started.ok()) {
      cluster_ = started.MoveValueUnsafe();
    } else {
      start_error_ = started.status();
    }
  }
  static void TearDownTestSuite() { cluster_.reset(); }

  void SetUp() override {
    ASSERT_NE(cluster_, nullptr) << "cluster did not start: " << start_error_.ToString();
  }

  static Result<std::unique_ptr<Connection>> ReplicationSession() {
    ConnectOptions options = SessionOptions();
    options.replication = true;
    return OpenSession(*cluster_, options);
  }

  static Result<std::string> SlotLsn(std::string_view slot) {
    RB_ASSIGN_OR_RETURN(auto rows, cluster_->Query("postgres",
                                                   "SELECT confirmed_flush_lsn FROM "
                                                   "pg_replication_slots WHERE slot_name = '" +
                                                       std::string(slot) + "'"));
    if (rows.size() != 1 || !rows[0][0]) return Status::NotFound("no slot");
    return *rows[0][0];
  }

  static inline std::unique_ptr<PgCluster> cluster_;
  static inline Status start_error_;
};

constexpr char kSetup[] = R"sql(
CREATE TABLE items (id int PRIMARY KEY, name text, big text, price numeric(10,2), tags int[]);
ALTER TABLE items ALTER COLUMN big SET STORAGE EXTERNAL;
CREATE TABLE full_rows (a int, b text);
ALTER TABLE full_rows REPLICA IDENTITY FULL;
CREATE TABLE unpublished (x int);
INSERT INTO items VALUES (1, 'one', repeat('x', 10000), 1.50, '{1,2}'), (2, 'two', NULL, NULL, NULL);
CREATE PUBLICATION rb_pub FOR TABLE items, full_rows;
)sql";

// The changes made after the slot's snapshot, one transaction per entry.
const char* const kChanges[] = {
    "UPDATE items SET name = 'uno' WHERE id = 1; DELETE FROM items WHERE id = 2",
    "INSERT INTO unpublished VALUES (1)",
    "INSERT INTO full_rows VALUES (1, 'a'), (2, 'b')",
    "UPDATE full_rows SET b = 'bb' WHERE a = 2",
    "DELETE FROM full_rows WHERE a = 1",
    "UPDATE items SET id = 10 WHERE id = 3",
    "TRUNCATE full_rows",
    "SELECT pg_logical_emit_message(true, 'rb', 'hello')",
};

const std::vector<std::string> kExpected = {
    "BEGIN",
    "RELATION public.items d id* name big price tags",
    "INSERT items (3, three, NULL, 3.25, {})",
    "COMMIT",
    "BEGIN",
    "UPDATE items N(1, uno, <unchanged>, 1.50, {1,2})",
    "DELETE items K(2, NULL, NULL, NULL, NULL)",
    "COMMIT",
    "BEGIN",
    "RELATION public.full_rows f a* b*",
    "INSERT full_rows (1, a)",
    "INSERT full_rows (2, b)",
    "COMMIT",
    "BEGIN",
    "UPDATE full_rows O(2, b) N(2, bb)",
    "COMMIT",
    "BEGIN",
    "DELETE full_rows O(1, a)",
    "COMMIT",
    "BEGIN",
    "UPDATE items K(3, NULL, NULL, NULL, NULL) N(10, three, NULL, 3.25, {})",
    "COMMIT",
    "BEGIN",
    "RELATION public.full_rows f a* b*",  // TRUNCATE's new relfilenode invalidates it: re-sent
    "TRUNCATE full_rows options=0",
    "COMMIT",
    "BEGIN",
    "MESSAGE rb hello transactional",
    "COMMIT",
};

// Reads the stream until `commits` transactions were decoded (answering keepalives).
Status ReadCommits(ReplicationStream& stream, ChangeLog& log, int commits) {
  pgoutput::Decoder decoder;
  const auto deadline = std::chrono::steady_clock::now() + kStreamWait;
  while (log.commits() < commits) {
    if (std::chrono::steady_clock::now() > deadline) return Status::DeadlineExceeded("stream");
    RB_ASSIGN_OR_RETURN(ReplicationEvent event, stream.Next(500));
    if (const auto* k = std::get_if<PrimaryKeepalive>(&event); k && k->reply_requested) {
      StandbyStatus status{log.last_commit_end(), log.last_commit_end(), log.last_commit_end(),
                           NowPgMicros(), false};
      RB_RETURN_NOT_OK(stream.SendStatus(status));
    }
    if (const auto* x = std::get_if<XLogData>(&event)) {
      RB_ASSIGN_OR_RETURN(pgoutput::Message message, decoder.Decode(x->payload));
      RB_RETURN_NOT_OK(log.Add(message));
    }
    if (std::holds_alternative<StreamEnded>(event)) return Status::Aborted("stream ended");
  }
  return Status::OK();
}

TEST_F(PgwireReplicationTest, SnapshotThenExactlyTheChangesInOrder) {
  ASSERT_OK(cluster_->Exec("postgres", kSetup));
  ASSERT_OK_AND_ASSIGN(auto repl, ReplicationSession());
  ASSERT_OK_AND_ASSIGN(SystemIdentity id, IdentifySystem(*repl));
  EXPECT_EQ(id.dbname, "postgres");
  EXPECT_EQ(id.timeline, 1);
  EXPECT_TRUE(id.xlog_pos.valid());
  EXPECT_FALSE(id.system_id.empty());

  ASSERT_OK_AND_ASSIGN(CreatedSlot slot, CreateReplicationSlot(*repl, "rb_slot"));
  EXPECT_EQ(slot.slot_name, "rb_slot");
  EXPECT_EQ(slot.output_plugin, "pgoutput");
  EXPECT_FALSE(slot.snapshot_name.empty());
  EXPECT_GE(slot.consistent_point, id.xlog_pos);

  // Committed after the slot: in the stream, not in the snapshot.
  ASSERT_OK(cluster_->Exec("postgres", "INSERT INTO items VALUES (3, 'three', NULL, 3.25, '{}')"));
  ASSERT_OK_AND_ASSIGN(auto reader, OpenSession(*cluster_, SessionOptions()));
  ASSERT_OK(reader->Execute("BEGIN ISOLATION LEVEL REPEATABLE READ; SET TRANSACTION SNAPSHOT '" +
                            slot.snapshot_name + "'"));
  ASSERT_OK_AND_ASSIGN(QueryResult rows,
                       reader->SimpleQuery("SELECT id, name FROM items ORDER BY id"));
  ASSERT_EQ(rows.rows.size(), 2u);
  EXPECT_EQ(rows.rows[0][1], "one");
  EXPECT_EQ(rows.rows[1][1], "two");
  ASSERT_OK(reader->Execute("COMMIT"));

  for (const char* change : kChanges) ASSERT_OK(cluster_->Exec("postgres", change));

  ASSERT_GE(ServerMajorVersion(*repl), 14);
  StartReplicationOptions start;
  start.slot = "rb_slot";
  start.start = slot.consistent_point;
  start.publications = {"rb_pub"};
  start.binary = true;
  start.messages = true;
  ASSERT_OK_AND_ASSIGN(ReplicationStream stream, ReplicationStream::Start(*repl, start));
  ChangeLog log;
  ASSERT_OK(ReadCommits(stream, log, 8));
  EXPECT_EQ(log.lines(), kExpected);

  // Nothing is confirmed until we say so; then confirmed_flush_lsn follows our report.
  ASSERT_OK_AND_ASSIGN(std::string before, SlotLsn("rb_slot"));
  EXPECT_EQ(before, slot.consistent_point.ToString());
  const Lsn flushed = log.last_commit_end();
  ASSERT_OK(stream.SendStatus({flushed, flushed, flushed, NowPgMicros(), true}));
  std::string confirmed;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (confirmed != flushed.ToString() && std::chrono::steady_clock::now() < deadline) {
    ASSERT_OK(stream.Next(100).status());
    ASSERT_OK_AND_ASSIGN(confirmed, SlotLsn("rb_slot"));
  }
  EXPECT_EQ(confirmed, flushed.ToString());

  ASSERT_OK(stream.End());
  EXPECT_TRUE(repl->usable());
  ASSERT_OK(DropReplicationSlot(*repl, "rb_slot"));
  ASSERT_OK_AND_ASSIGN(auto slots,
                       cluster_->Query("postgres", "SELECT 1 FROM pg_replication_slots"));
  EXPECT_TRUE(slots.empty());
  ASSERT_OK(cluster_->Exec("postgres",
                           "DROP PUBLICATION rb_pub; DROP TABLE items, full_rows, "
                           "unpublished"));
}

TEST_F(PgwireReplicationTest, KeepalivesAreAnsweredAndTheStreamLives) {
  ASSERT_OK(cluster_->Exec("postgres",
                           "CREATE TABLE ka (x int); CREATE PUBLICATION ka_pub FOR "
                           "TABLE ka"));
  ASSERT_OK_AND_ASSIGN(auto repl, ReplicationSession());
  CreateSlotOptions no_snapshot;
  no_snapshot.export_snapshot = false;
  ASSERT_OK_AND_ASSIGN(CreatedSlot slot, CreateReplicationSlot(*repl, "ka_slot", no_snapshot));
  EXPECT_TRUE(slot.snapshot_name.empty());
  StartReplicationOptions start{"ka_slot", slot.consistent_point, {"ka_pub"}, true, false};
  ASSERT_OK_AND_ASSIGN(ReplicationStream stream, ReplicationStream::Start(*repl, start));
  // Silence for 3 wal_sender_timeout/2 periods: the server asks for replies; each is answered.
  int requested = 0;
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(4500);
  while (std::chrono::steady_clock::now() < until) {
    ASSERT_OK_AND_ASSIGN(ReplicationEvent event, stream.Next(200));
    ASSERT_FALSE(std::holds_alternative<StreamEnded>(event));
    const auto* k = std::get_if<PrimaryKeepalive>(&event);
    if (k == nullptr || !k->reply_requested) continue;
    ++requested;
    const Lsn at = slot.consistent_point;
    ASSERT_OK(stream.SendStatus({at, at, at, NowPgMicros(), false}));
  }
  EXPECT_GE(requested, 2);
  // Still streaming: a change made now arrives.
  ASSERT_OK(cluster_->Exec("postgres", "INSERT INTO ka VALUES (42)"));
  ChangeLog log;
  ASSERT_OK(ReadCommits(stream, log, 1));
  EXPECT_EQ(log.lines().back(), "COMMIT");
  EXPECT_EQ(log.lines()[log.lines().size() - 2], "INSERT ka (42)");
  ASSERT_OK(stream.End());
  ASSERT_OK(DropReplicationSlot(*repl, "ka_slot", /*wait=*/true));
  ASSERT_OK(cluster_->Exec("postgres", "DROP PUBLICATION ka_pub; DROP TABLE ka"));
}

TEST_F(PgwireReplicationTest, ServerErrorsLeaveTheSessionUsable) {
  ASSERT_OK_AND_ASSIGN(auto repl, ReplicationSession());
  StartReplicationOptions start{"no_such_slot", Lsn(), {"p"}, false, false};
  auto missing = ReplicationStream::Start(*repl, start);
  ASSERT_FALSE(missing.ok());
  const ServerError* err = GetServerError(missing.status());
  ASSERT_NE(err, nullptr) << missing.status().ToString();
  EXPECT_EQ(err->fields().sqlstate, "42704");  // undefined_object
  EXPECT_TRUE(repl->usable());
  ASSERT_OK_AND_ASSIGN(SystemIdentity id, IdentifySystem(*repl));
  EXPECT_EQ(id.dbname, "postgres");
  auto dup = CreateReplicationSlot(*repl, "dup_slot");
  ASSERT_OK(dup.status());
  auto again = CreateReplicationSlot(*repl, "dup_slot");
  ASSERT_FALSE(again.ok());
  ASSERT_NE(GetServerError(again.status()), nullptr);
  EXPECT_EQ(GetServerError(again.status())->fields().sqlstate, "42710");  // duplicate_object
  ASSERT_OK(DropReplicationSlot(*repl, "dup_slot"));
  EXPECT_EQ(DropReplicationSlot(*repl, "Bad-Name").code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace rapidbyte::pgwire
