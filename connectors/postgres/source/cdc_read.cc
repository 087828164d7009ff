// The snapshot-then-stream read of a cdc stream.
#include "connectors/postgres/source/cdc_read.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <variant>

#include "connectors/postgres/common/pg_connect.h"
#include "connectors/postgres/common/pg_errors.h"
#include "connectors/postgres/source/cdc_setup.h"
#include "connectors/postgres/source/change_columns.h"
#include "connectors/postgres/source/read_plan.h"
#include "connectors/postgres/source/read_stream.h"
#include "pgwire/copy_decoder.h"
#include "pgwire/pgoutput.h"
#include "pgwire/replication.h"
#include "pgwire/server_error.h"
#include "sdk/error_status.h"
#include "sdk/errors.h"
#include "sdk/frame_emitter.h"
#include "sdk/host.h"
#include "sdk/perf_timer.h"

namespace rapidbyte::pgsource {
namespace {

using pgconn::ErrorCategory;
using pgwire::Lsn;
namespace po = pgwire::pgoutput;
using Clock = std::chrono::steady_clock;

// How long Next waits for a message before the loop looks around (feedback, the end of a
// catch-up, a stop request).
constexpr int kPollMs = 200;
// Standby status updates at least this often: well within any sane wal_sender_timeout / 2.
constexpr auto kFeedbackEvery = std::chrono::seconds(1);

// The stream's position (SPEC §14.4): every transaction whose commit record starts before
// `lsn` is delivered, plus the first `tx_index` change rows of the transaction whose commit
// record is at `tx_commit`.
struct WalPosition {
  Lsn lsn;
  std::optional<Lsn> tx_commit;
  std::int64_t tx_index = 0;

  protocol::Json ToJson() const {
    protocol::Json tx = nullptr;
    if (tx_commit) tx = {{"commit_lsn", tx_commit->ToString()}, {"index", tx_index}};
    return {{"lsn", lsn.ToString()}, {"tx", std::move(tx)}};
  }
};

Result<std::optional<WalPosition>> ParsePosition(const protocol::Json& doc) {
  if (doc.is_null()) return std::optional<WalPosition>();
  std::string text;
  auto bad = [] {
    return pgconn::Fail(ErrorCategory::kConfig, "INVALID_POSITION",
                        "cursor_info of a cdc stream must be {\"lsn\": \"X/Y\", \"tx\": null | "
                        "{\"commit_lsn\": \"X/Y\", \"index\": n}}");
  };
  if (!doc.is_object() || !protocol::GetString(doc, "lsn", &text)) return bad();
  auto lsn = Lsn::Parse(text);
  if (!lsn.ok()) return bad();
  WalPosition p{*lsn, std::nullopt, 0};
  const protocol::Json* tx = protocol::GetMember(doc, "tx");
  if (tx != nullptr && !tx->is_null()) {
    std::string commit;
    const protocol::Json* index = protocol::GetMember(*tx, "index");
    if (!tx->is_object() || !protocol::GetString(*tx, "commit_lsn", &commit) ||
        index == nullptr || !index->is_number_integer() || index->get<std::int64_t>() < 0) {
      return bad();
    }
    auto commit_lsn = Lsn::Parse(commit);
    if (!commit_lsn.ok()) return bad();
    p.tx_commit = *commit_lsn;
    p.tx_index = index->get<std::int64_t>();
  }
  return std::optional<WalPosition>(p);
}

std::int64_t NowPgMicros() {
  const auto unix_us = std::chrono::duration_cast<std::chrono::microseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
  return pgwire::PgTimeFromUnixMicros(unix_us);
}

class CdcRead {
 public:
  CdcRead(const SourceConfig& config, const sdk::Source& source, const sdk::StreamContext& context)
      : config_(config),
        context_(context),
        connector_id_(source.connector_id()),
        emitter_(source, context, config.max_batch_rows) {}

  Result<protocol::ReadSummary> Run() {
    RB_ASSIGN_OR_RETURN(settings_, ParseCdcSettings(context_.json()));
    const protocol::Json* info = protocol::GetMember(context_.json(), "cursor_info");
    RB_ASSIGN_OR_RETURN(std::optional<WalPosition> stored,
                        ParsePosition(info != nullptr ? *info : protocol::Json()));
    {
      sdk::ScopedPerf timing(&connect_);
      RB_ASSIGN_OR_RETURN(conn_, pgconn::Connect(config_.pg));
      RB_ASSIGN_OR_RETURN(repl_, ConnectReplication());
    }
    table_ = pgconn::SplitStreamName(stream(), config_.pg.schema);
    RB_RETURN_NOT_OK(CheckReplicaIdentity(conn_.get(), table_));
    RB_RETURN_NOT_OK(EnsurePublication(conn_.get(), settings_, table_));
    RB_ASSIGN_OR_RETURN(SlotState slot, LookupSlot(conn_.get(), settings_.slot));
    RB_RETURN_NOT_OK(PrepareDecoding());
    if (stored) {
      RB_RETURN_NOT_OK(CheckSlotForResume(slot, settings_.slot, stream()));
      position_ = *stored;
    } else {
      RB_RETURN_NOT_OK(TakeSnapshot(slot));
    }
    fetch_.Start();
    RB_RETURN_NOT_OK(Stream());
    fetch_.Stop();
    conn_->Terminate().IgnoreError();
    repl_->Terminate().IgnoreError();
    protocol::ReadSummary summary = emitter_.Summary();
    summary.records_skipped = skipped_;
    summary.perf = protocol::ReadPerf{connect_.seconds(), query_.seconds(), fetch_.seconds()};
    return summary;
  }

 private:
  const std::string& stream() const { return context_.stream_name(); }

  Result<std::unique_ptr<pgwire::Connection>> ConnectReplication() {
    pgconn::PgConfig repl = config_.pg;
    repl.replication = true;
    auto conn = pgconn::Connect(repl);
    if (!conn.ok()) {
      const pgwire::ServerError* e = pgwire::GetServerError(conn.status());
      if (e != nullptr && (e->sqlstate() == "42501" || e->sqlstate() == "28000")) {
        return pgconn::Fail(ErrorCategory::kPermission, "REPLICATION_NOT_ALLOWED",
                            "user '" + config_.pg.user + "' may not open a replication "
                            "connection (" + e->message() + "); grant it with `ALTER ROLE " +
                            pgwire::QuoteIdent(config_.pg.user) + " REPLICATION` and allow "
                            "it in pg_hba.conf");
      }
      return conn.status();
    }
    if (pgwire::ServerMajorVersion(**conn) < 14) {
      return pgconn::Fail(ErrorCategory::kConfig, "CDC_UNSUPPORTED_SERVER",
                          "cdc needs PostgreSQL 14 or later (binary pgoutput values); the "
                          "server is " + pgconn::ServerVersion(**conn));
    }
    return std::move(*conn);
  }

  // SPEC §14.2: a new slot with an exported snapshot, the table read in that snapshot while
  // the replication connection stays idle, then the consistent point as the position.
  Status TakeSnapshot(const SlotState& slot) {
    if (slot.exists) {
      if (slot.active) return SlotInUse(settings_.slot);
      // No position is stored, so the slot is what an interrupted snapshot left behind.
      sdk::host::Log(sdk::LogLevel::kInfo,
                     "stream " + stream() + ": dropping replication slot " + settings_.slot +
                         " left by a snapshot that did not complete; taking it again");
      RB_RETURN_NOT_OK(pgwire::DropReplicationSlot(*repl_, settings_.slot));
    }
    query_.Start();
    auto created = pgwire::CreateReplicationSlot(*repl_, settings_.slot);
    query_.Stop();
    if (!created.ok()) return ClassifyReplicationError(created.status(), settings_.slot, stream());
    sdk::host::Log(sdk::LogLevel::kInfo,
                   "stream " + stream() + ": created replication slot " + settings_.slot +
                       " at " + created->consistent_point.ToString() + "; reading the snapshot");
    // The snapshot replaces whatever an earlier one left (a state reset keeps the mirror):
    // a truncate comes first (it counts as one record read), in the same destination transaction as the snapshot, which
    // commits only once the snapshot is whole (sdk::WriteSession).
    RB_RETURN_NOT_OK(EncodeAndAppend({"truncate", created->consistent_point, NowPgMicros(), {}}));
    RB_RETURN_NOT_OK(sdk::AsStatus(emitter_.Emit(builder_.get())));
    SnapshotSpec spec{created->snapshot_name, created->consistent_point};
    RB_ASSIGN_OR_RETURN(protocol::ReadSummary snapshot,
                        ReadSnapshot(config_, context_, &emitter_, spec));
    skipped_ += snapshot.records_skipped;
    position_ = WalPosition{created->consistent_point, std::nullopt, 0};
    return sdk::AsStatus(emitter_.Checkpoint(position_.ToJson()));
  }

  Status PrepareDecoding() {
    RB_ASSIGN_OR_RETURN(pgwire::RelationCatalog catalog, LookupRelation(conn_.get(), table_));
    RB_ASSIGN_OR_RETURN(plan_, MakeReadPlan(table_, std::move(catalog),
                                            context_.selected_columns(), ""));
    Status st = AddChangeColumns(&plan_, Lsn());
    if (!st.ok()) return pgconn::Fail(ErrorCategory::kConfig, "CDC_TYPE_UNSUPPORTED", st.message());
    RB_ASSIGN_OR_RETURN(builder_, arrow::RecordBatchBuilder::Make(plan_.schema));
    RB_ASSIGN_OR_RETURN(decoder_, pgwire::CopyBinaryDecoder::Make(plan_.codecs, builder_.get()));
    encoder_ = std::make_unique<ChangeEncoder>(plan_);
    pgwire::ByteBuffer header;
    AppendCopyHeader(&header);
    RB_RETURN_NOT_OK(decoder_->Feed(header));
    RB_ASSIGN_OR_RETURN(pgwire::CopyEvent event, decoder_->Peek());
    if (event != pgwire::CopyEvent::kNeedMore) return Status::Internal("COPY header not taken");
    return Status::OK();
  }

  Status Stream() {
    RB_ASSIGN_OR_RETURN(pgwire::SystemIdentity identity, pgwire::IdentifySystem(*repl_));
    target_ = identity.xlog_pos;
    pgwire::StartReplicationOptions options;
    options.slot = settings_.slot;
    options.start = position_.lsn;
    options.publications = {settings_.publication};
    options.binary = true;
    auto started = pgwire::ReplicationStream::Start(*repl_, options);
    if (!started.ok()) return ClassifyReplicationError(started.status(), settings_.slot, stream());
    stream_.emplace(std::move(*started));
    sdk::host::Log(sdk::LogLevel::kInfo,
                   "stream " + stream() + ": streaming changes from " + position_.lsn.ToString() +
                       (settings_.follow ? " (follow)" : " up to " + target_.ToString()));
    last_emit_ = Clock::now();
    while (!done_) {
      if (sdk::host::IsCancelled()) return sdk::AsStatus(sdk::CancelledError());
      if (!in_tx_ && ShouldEnd()) break;
      auto event = stream_->Next(kPollMs);
      if (!event.ok()) return ClassifyReplicationError(event.status(), settings_.slot, stream());
      if (auto* data = std::get_if<pgwire::XLogData>(&*event)) {
        RB_RETURN_NOT_OK(OnMessage(data->payload));
      } else if (auto* keepalive = std::get_if<pgwire::PrimaryKeepalive>(&*event)) {
        if (!in_tx_ && keepalive->wal_end > idle_end_) idle_end_ = keepalive->wal_end;
        if (keepalive->reply_requested) RB_RETURN_NOT_OK(SendFeedback(false));
      } else if (std::holds_alternative<pgwire::StreamIdle>(*event)) {
        RB_RETURN_NOT_OK(OnIdle());
      } else {
        return pgconn::Fail(ErrorCategory::kTransientDb, "REPLICATION_ENDED",
                            "the server ended the replication stream of slot " + settings_.slot);
      }
      if (Clock::now() - last_feedback_ >= kFeedbackEvery) RB_RETURN_NOT_OK(SendFeedback(false));
    }
    // Everything up to here is delivered; a quiet table's position moves on to the server's
    // WAL end so the slot does not hold WAL for other tables' changes (SPEC §14.3).
    if (!in_tx_ && !position_.tx_commit && idle_end_ > position_.lsn) {
      position_ = WalPosition{idle_end_, std::nullopt, 0};
    }
    RB_RETURN_NOT_OK(EmitWithCheckpoint());
    RB_RETURN_NOT_OK(SendFeedback(false));
    return stream_->End();
  }

  bool ShouldEnd() {
    if (settings_.follow) return sdk::host::StopRequested();
    return position_.lsn >= target_ || idle_end_ >= target_;
  }

  Status OnIdle() {
    // Nothing more arrived: send what is pending so a follow run's changes do not wait for
    // a full batch, and ask the server where its WAL ends (a keepalive answers).
    if (!in_tx_ && builder_->num_rows() > 0) RB_RETURN_NOT_OK(EmitWithCheckpoint());
    // A follow run between changes: every checkpoint interval, move the position to the
    // server's WAL end and send an empty frame with it, so the destination commits what it
    // holds (it decides when a frame arrives) and the slot can be confirmed that far.
    const bool behind = idle_end_ > position_.lsn || confirmed_ < position_.lsn;
    if (settings_.follow && !in_tx_ && builder_->num_rows() == 0 && behind &&
        Clock::now() - last_emit_ >= IdleAdvanceEvery()) {
      if (idle_end_ > position_.lsn && !position_.tx_commit) {
        position_ = WalPosition{idle_end_, std::nullopt, 0};
      }
      RB_RETURN_NOT_OK(EmitWithCheckpoint());
    }
    if (Clock::now() - last_feedback_ >= std::chrono::milliseconds(kPollMs)) {
      return SendFeedback(true);
    }
    return Status::OK();
  }

  std::chrono::seconds IdleAdvanceEvery() const {
    const std::int64_t s = context_.limits().checkpoint_interval_seconds;
    return std::chrono::seconds(s > 0 ? s : 10);
  }

  Status OnMessage(pgwire::Bytes payload) {
    RB_ASSIGN_OR_RETURN(po::Message message, decoder_po_.Decode(payload));
    return std::visit([this](const auto& m) { return Take(m); }, message);
  }

  Status Take(const po::Begin& begin) {
    if (!settings_.follow && begin.final_lsn >= target_) {
      done_ = true;  // committed after the catch-up target: the next run takes it
      return Status::OK();
    }
    in_tx_ = true;
    tx_commit_ = begin.final_lsn;
    tx_time_ = begin.commit_time;
    tx_rows_ = 0;
    skip_tx_ = begin.final_lsn < position_.lsn;
    skip_rows_ = (position_.tx_commit && *position_.tx_commit == begin.final_lsn)
                     ? position_.tx_index : 0;
    return Status::OK();
  }

  Status Take(const po::Commit& commit) {
    in_tx_ = false;
    if (commit.end_lsn > position_.lsn) position_ = WalPosition{commit.end_lsn, std::nullopt, 0};
    last_commit_time_ = commit.commit_time;
    if (emitter_.Full(*builder_)) return EmitWithCheckpoint();
    return Status::OK();
  }

  Status Take(const po::Relation& relation) {
    if (relation.namespace_name != table_.schema || relation.relation_name != table_.relation) {
      return Status::OK();
    }
    relation_id_ = relation.relation_id;
    bool changed = false;
    std::string what;
    RB_RETURN_NOT_OK(encoder_->OnRelation(relation, &changed, &what));
    if (changed) {
      // The table changed after this run planned its columns: deliver everything before the
      // change and end here; the next run plans the new columns, and the destination applies
      // its schema_evolution policy (SPEC §14.3).
      sdk::host::Log(sdk::LogLevel::kWarn,
                     "stream " + stream() + ": " + what + " in the WAL at " +
                         tx_commit_.ToString() + "; this run ends before that change, the "
                         "next run continues with the new columns");
      if (in_tx_ && tx_rows_ > 0) {  // the rows of this transaction delivered so far
        position_.tx_commit = tx_commit_;
        position_.tx_index = std::max(tx_rows_, skip_rows_);
      }
      in_tx_ = false;
      done_ = true;
    }
    return Status::OK();
  }

  Status Take(const po::Insert& m) { return Change(m.relation_id, "insert", m.new_tuple); }

  Status Take(const po::Update& m) {
    if (m.relation_id != relation_id_) return Status::OK();
    if (m.old_kind == po::OldTupleKind::kKey && !m.old_tuple.empty()) {
      // The key changed: the row under the old key is gone.
      RB_RETURN_NOT_OK(Change(m.relation_id, "delete", m.old_tuple));
    }
    return Change(m.relation_id, "update", m.new_tuple);
  }

  Status Take(const po::Delete& m) { return Change(m.relation_id, "delete", m.old_tuple); }

  Status Take(const po::Truncate& m) {
    for (std::uint32_t id : m.relation_ids) {
      if (id == relation_id_) return Change(id, "truncate", {});
    }
    return Status::OK();
  }

  template <typename Other>
  Status Take(const Other&) {  // Origin, Type, logical decoding messages: nothing to deliver
    return Status::OK();
  }

  // One change row of the current transaction.
  Status Change(std::uint32_t relation_id, std::string_view op, po::Tuple values) {
    if (relation_id != relation_id_ || !in_tx_ || done_) return Status::OK();
    ++tx_rows_;
    if (skip_tx_ || tx_rows_ <= skip_rows_) return Status::OK();  // delivered before
    return EncodeAndAppend({op, tx_commit_, tx_time_, values});
  }

  // One change row through the COPY decoder into the batch, emitting the batch first when the
  // row would overflow it.
  Status EncodeAndAppend(const ChangeRow& change) {
    RB_RETURN_NOT_OK(encoder_->Encode(change, &row_));
    RB_RETURN_NOT_OK(decoder_->Feed(row_));
    RB_ASSIGN_OR_RETURN(pgwire::CopyEvent event, decoder_->Peek());
    if (event == pgwire::CopyEvent::kDataError) {
      if (context_.on_data_error() == sdk::DataErrorPolicy::kFail) {
        return pgconn::Fail(ErrorCategory::kData, "DATA_ERROR",
                            "stream " + stream() + ", change at " + tx_commit_.ToString() + ": " +
                                decoder_->row().error);
      }
      decoder_->Skip();
      ++skipped_;
    } else if (event == pgwire::CopyEvent::kRow) {
      if (builder_->num_rows() > 0 &&
          (builder_->num_rows() >= emitter_.max_batch_rows() ||
           decoder_->RowExceedsBatchBytes(emitter_.max_batch_bytes()))) {
        // The position of the rows so far: inside this transaction.
        position_.tx_commit = tx_commit_;
        position_.tx_index = tx_rows_ - 1;
        RB_RETURN_NOT_OK(EmitWithCheckpoint());
      }
      RB_RETURN_NOT_OK(decoder_->Append());
    } else {
      return Status::Internal("change tuple not decoded whole");
    }
    RB_ASSIGN_OR_RETURN(event, decoder_->Peek());
    if (event != pgwire::CopyEvent::kNeedMore) return Status::Internal("change tuple left bytes");
    return Status::OK();
  }

  Status EmitWithCheckpoint() {
    RB_RETURN_NOT_OK(sdk::AsStatus(emitter_.Emit(builder_.get())));
    last_emit_ = Clock::now();
    RB_RETURN_NOT_OK(sdk::AsStatus(emitter_.Checkpoint(position_.ToJson())));
    ReportLag();
    return Status::OK();
  }

  // cdc_lag_bytes: the server's WAL end minus the delivered position; cdc_lag_seconds: now
  // minus the commit time of the last delivered transaction (SPEC §14.6).
  void ReportLag() {
    const Lsn end = std::max(stream_ ? stream_->server_wal_end() : Lsn(), idle_end_);
    const std::uint64_t lag = end > position_.lsn ? end.value() - position_.lsn.value() : 0;
    sdk::host::Counter(connector_id_, stream(), "cdc_lag_bytes",
                       static_cast<std::int64_t>(lag));
    if (last_commit_time_ != 0) {
      const std::int64_t behind = std::max<std::int64_t>(0, NowPgMicros() - last_commit_time_);
      sdk::host::Counter(connector_id_, stream(), "cdc_lag_seconds", behind / 1'000'000);
    }
  }

  // Confirm only what a destination committed (the host's position), never more.
  Status SendFeedback(bool reply_requested) {
    last_feedback_ = Clock::now();
    Lsn confirmed;
    auto committed = sdk::host::CommittedPosition();
    if (committed.ok()) {
      auto parsed = ParsePosition(*committed);
      if (parsed.ok() && *parsed) confirmed = (*parsed)->lsn;
    }
    confirmed_ = confirmed;
    pgwire::StandbyStatus status;
    status.written = status.flushed = status.applied = confirmed;
    status.client_time = NowPgMicros();
    status.reply_requested = reply_requested;
    if (!stream_) return Status::OK();
    return stream_->SendStatus(status);
  }

  const SourceConfig& config_;
  const sdk::StreamContext& context_;
  const std::string connector_id_;
  sdk::FrameEmitter emitter_;
  CdcSettings settings_;
  pgconn::QualifiedName table_;
  std::unique_ptr<pgwire::Connection> conn_;
  std::unique_ptr<pgwire::Connection> repl_;
  std::optional<pgwire::ReplicationStream> stream_;
  ReadPlan plan_;
  std::unique_ptr<arrow::RecordBatchBuilder> builder_;
  std::unique_ptr<pgwire::CopyBinaryDecoder> decoder_;
  std::unique_ptr<ChangeEncoder> encoder_;
  po::Decoder decoder_po_;
  pgwire::ByteBuffer row_;

  WalPosition position_;
  Lsn target_;    // catch-up: deliver what committed before this WAL position
  Lsn idle_end_;  // the server's WAL end from keepalives outside transactions
  Lsn confirmed_;  // the committed position last confirmed to the server
  std::uint32_t relation_id_ = 0;
  bool in_tx_ = false;
  bool done_ = false;
  bool skip_tx_ = false;
  Lsn tx_commit_;
  std::int64_t tx_time_ = 0;
  std::int64_t tx_rows_ = 0;
  std::int64_t skip_rows_ = 0;
  std::int64_t last_commit_time_ = 0;
  std::uint64_t skipped_ = 0;
  Clock::time_point last_emit_;
  Clock::time_point last_feedback_;
  sdk::PerfTimer connect_, query_, fetch_;
};

}  // namespace

Result<protocol::ReadSummary> ReadCdcStream(const SourceConfig& config, const sdk::Source& source,
                                            const sdk::StreamContext& context) {
  CdcRead read(config, source, context);
  return read.Run();
}

}  // namespace rapidbyte::pgsource
