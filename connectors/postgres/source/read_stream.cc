// The read of one stream: transaction, plan, COPY, batching, frames and checkpoints.
#include "connectors/postgres/source/read_stream.h"

#include <memory>
#include <optional>

#include "connectors/postgres/common/pg_connect.h"
#include "connectors/postgres/common/pg_errors.h"
#include "sdk/perf_timer.h"
#include "connectors/postgres/source/boundary.h"
#include "connectors/postgres/source/change_columns.h"
#include "connectors/postgres/source/read_plan.h"
#include "connectors/postgres/source/read_query.h"
#include "pgwire/copy_decoder.h"
#include "sdk/error_status.h"
#include "sdk/frame_emitter.h"
#include "sdk/host.h"

namespace rapidbyte::pgsource {
namespace {

using pgconn::ErrorCategory;

// Holds the state of one read; each method is one step of SPEC §7.3.
class StreamRead {
 public:
  StreamRead(const SourceConfig& config, const sdk::StreamContext& context,
             sdk::FrameEmitter* emitter, const SnapshotSpec* snapshot)
      : config_(config), context_(context), emitter_(*emitter), snapshot_(snapshot) {}

  Result<protocol::ReadSummary> Run() {
    {
      sdk::ScopedPerf timing(&connect_);
      RB_ASSIGN_OR_RETURN(conn_, pgconn::Connect(config_.pg));
    }
    sdk::host::Log(sdk::LogLevel::kInfo, "source-postgres: reading " + stream() + " from " +
                              config_.pg.Describe() +
                              (snapshot_ != nullptr ? " (cdc snapshot)"
                               : incremental()      ? " (incremental)"
                                                    : " (full_refresh)"));
    query_.Start();
    RB_RETURN_NOT_OK(Prepare());
    query_.Stop();
    fetch_.Start();
    RB_RETURN_NOT_OK(Fetch());
    fetch_.Stop();
    RB_RETURN_NOT_OK(conn_->Execute("COMMIT"));
    conn_->Terminate().IgnoreError();
    return Summary();
  }

 private:
  bool incremental() const { return context_.incremental(); }
  const std::string& stream() const { return context_.stream_name(); }
  const sdk::StoredCursor& cursor() const { return *context_.cursor(); }

  Status Prepare() {
    RB_RETURN_NOT_OK(conn_->Execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
    if (snapshot_ != nullptr) {
      // The slot's exported snapshot: exactly the rows committed before its consistent point.
      // The server makes snapshot names of hex digits and dashes; nothing else is sent.
      const std::string& name = snapshot_->snapshot_name;
      if (name.empty() || name.find_first_not_of("0123456789ABCDEFabcdef-") != std::string::npos) {
        return Status::DataLoss("unexpected exported snapshot name from the server");
      }
      RB_RETURN_NOT_OK(conn_->Execute("SET TRANSACTION SNAPSHOT '" + name + "'"));
    }
    const pgconn::QualifiedName name =
        pgconn::SplitStreamName(stream(), config_.pg.schema);
    RB_ASSIGN_OR_RETURN(pgwire::RelationCatalog catalog, LookupRelation(conn_.get(), name));
    const std::string cursor_field = incremental() ? cursor().field : std::string();
    RB_ASSIGN_OR_RETURN(plan_, MakeReadPlan(name, std::move(catalog), context_.selected_columns(),
                                            cursor_field));
    if (snapshot_ != nullptr) {
      Status st = AddChangeColumns(&plan_, snapshot_->consistent_point);
      if (!st.ok()) return pgconn::Fail(ErrorCategory::kConfig, "CDC_TYPE_UNSUPPORTED", st.message());
    }
    CursorFilter filter = CursorFilter::kNone;
    std::optional<std::string> stored_wire;
    if (incremental()) {
      filter = CursorFilter::kNotNull;
      if (cursor().has_value()) {
        RB_ASSIGN_OR_RETURN(stored_wire, BindStoredCursor());
        filter = CursorFilter::kFromStored;
      }
      boundary_.emplace(std::move(stored_wire), cursor().boundary_hashes,
                        cursor().boundary_overflow);
    }
    RB_ASSIGN_OR_RETURN(builder_, arrow::RecordBatchBuilder::Make(plan_.schema));
    RB_ASSIGN_OR_RETURN(decoder_, pgwire::CopyBinaryDecoder::Make(plan_.codecs, builder_.get()));
    RB_RETURN_NOT_OK(ReportEstimate(filter));
    return conn_->StartCopyOut(CopyQuery(plan_, filter)).status();
  }

  // The records_estimate metric (SPEC §10.2), for progress with a total and an ETA: the
  // planner's rows for the SELECT the COPY is about to run, in the same snapshot and with
  // the stored cursor bound. EXPLAIN only plans (never a COUNT(*) scan); a plan that cannot
  // be read gives no estimate.
  Status ReportEstimate(CursorFilter filter) {
    RB_ASSIGN_OR_RETURN(pgwire::QueryResult explain, conn_->SimpleQuery(ExplainQuery(plan_, filter)));
    if (const std::optional<std::uint64_t> rows = PlanRows(explain)) emitter_.Estimate(*rows);
    return Status::OK();
  }

  // Checks the stored cursor against the column, binds it, and returns it as the server
  // sends the column in binary.
  Result<std::string> BindStoredCursor() {
    const sdk::StoredCursor& stored = cursor();
    const std::string_view type = CursorTypeName(plan_.cursor->type);
    const std::string advice = "; run `rapidbyte state reset <pipeline> --stream " +
                               stream() + "` to read the stream from the start";
    if (stored.type && *stored.type != type &&
        !(*stored.type == "timestamp_millis" && type == "timestamp_micros")) {
      return pgconn::Fail(ErrorCategory::kConfig, "CURSOR_TYPE_CHANGED",
                          "stored cursor type " + *stored.type + " no longer matches column '" +
                              stored.field + "' (" + std::string(type) + ")" + advice);
    }
    auto text = CursorServerText(*plan_.cursor, stored.last_value);
    if (!text.ok()) {
      return pgconn::Fail(ErrorCategory::kConfig, "CURSOR_TYPE_CHANGED",
                          text.status().message() + " (column '" + stored.field + "')" + advice);
    }
    const pgwire::Param params[] = {pgwire::Param::Text(*text)};
    RB_RETURN_NOT_OK(conn_->Query(kSetCursorSql, params, pgwire::Format::kText).status());
    RB_ASSIGN_OR_RETURN(pgwire::QueryResult wire, conn_->Query(StoredCursorQuery(plan_)));
    if (wire.rows.size() != 1 || wire.rows[0].size() != 1 || !wire.rows[0][0]) {
      return Status::DataLoss("unexpected result reading back the stored cursor");
    }
    return std::move(*wire.rows[0][0]);
  }

  Status Fetch() {
    pgwire::Bytes chunk;
    while (true) {
      RB_ASSIGN_OR_RETURN(bool more, conn_->NextCopyData(&chunk));
      if (!more) break;
      RB_RETURN_NOT_OK(decoder_->Feed(chunk));
      RB_RETURN_NOT_OK(DrainDecoder());
    }
    if (!decoder_->finished()) {
      return pgconn::Fail(ErrorCategory::kInternal, "PROTOCOL_ERROR",
                          "COPY of " + plan_.name.Display() + " ended before its trailer");
    }
    // The last partial batch; an empty result still sends one schema-only frame.
    if (builder_->num_rows() > 0 || emitter_.totals().batches == 0) {
      const bool empty = builder_->num_rows() == 0;
      RB_RETURN_NOT_OK(sdk::AsStatus(emitter_.Emit(builder_.get())));
      if (!empty && incremental()) RB_RETURN_NOT_OK(CheckpointLatest());
    }
    return Status::OK();
  }

  // Appends every complete tuple of the current chunk, emitting full batches on the way.
  Status DrainDecoder() {
    while (true) {
      RB_ASSIGN_OR_RETURN(pgwire::CopyEvent event, decoder_->Peek());
      switch (event) {
        case pgwire::CopyEvent::kNeedMore:
        case pgwire::CopyEvent::kEnd:
          return Status::OK();
        case pgwire::CopyEvent::kDataError:
          RB_RETURN_NOT_OK(RejectRow("DATA_ERROR", decoder_->row().error));
          break;
        case pgwire::CopyEvent::kRow:
        default:
          RB_RETURN_NOT_OK(TakeRow());
          break;
      }
    }
  }

  Status TakeRow() {
    const pgwire::RowInfo& row = decoder_->row();
    std::string hash;
    pgwire::Bytes cursor;
    if (incremental()) {
      const std::optional<pgwire::Bytes> field = decoder_->field(plan_.cursor_index);
      if (!field) return Status::DataLoss("NULL cursor value despite IS NOT NULL");
      cursor = *field;
      hash = KeyHash(*decoder_, plan_.key_fields);
      if (boundary_->AlreadyDelivered(cursor, hash)) {
        decoder_->Skip();  // delivered by an earlier run; not counted as skipped
        return Status::OK();
      }
    }
    const std::int64_t max_record_bytes = context_.limits().max_record_bytes;
    if (max_record_bytes > 0 && row.wire_bytes > max_record_bytes) {
      return RejectRow("RECORD_TOO_LARGE", "row of " + std::to_string(row.wire_bytes) +
                       " bytes exceeds max_record_bytes (" +
                       std::to_string(max_record_bytes) + ")");
    }
    if (builder_->num_rows() > 0 &&
        (builder_->num_rows() >= config_.max_batch_rows ||
         decoder_->RowExceedsBatchBytes(emitter_.max_batch_bytes()))) {
      RB_RETURN_NOT_OK(sdk::AsStatus(emitter_.Emit(builder_.get())));
      if (incremental()) RB_RETURN_NOT_OK(CheckpointLatest());
    }
    RB_RETURN_NOT_OK(decoder_->Append());
    if (incremental() && boundary_->Delivered(cursor, std::move(hash))) {
      sdk::host::Log(sdk::LogLevel::kWarn, "stream " + stream() + ": more than " +
                                std::to_string(kMaxBoundaryHashes) +
                                " rows share one cursor value; the boundary overflows and the "
                                "next run may re-deliver rows with that value");
    }
    return Status::OK();
  }

  // A row that cannot be delivered (data error or too large): fail, or skip per
  // on_data_error (dlq acts as skip: the dead-letter table is the destination's).
  Status RejectRow(std::string_view code, const std::string& reason) {
    const std::string key = KeyHash(*decoder_, plan_.key_fields);
    if (context_.on_data_error() == sdk::DataErrorPolicy::kFail) {
      return pgconn::Fail(ErrorCategory::kData, code,
                          "stream " + stream() + ", relation " +
                              plan_.name.Display() + ", row with key hash " + key + ": " + reason);
    }
    sdk::host::Log(sdk::LogLevel::kWarn, "stream " + stream() + ": skipped row with key hash " +
                              key + ": " + reason);
    decoder_->Skip();
    ++skipped_;
    return Status::OK();
  }

  Status CheckpointLatest() {
    RB_ASSIGN_OR_RETURN(protocol::Json value,
                        CursorValueFromWire(*plan_.cursor, boundary_->current_wire()));
    return sdk::AsStatus(emitter_.Checkpoint({{"cursor_field", cursor().field},
                                              {"cursor_value", std::move(value)},
                                              {"cursor_boundary", boundary_->ToJson()}}));
  }

  protocol::ReadSummary Summary() const {
    protocol::ReadSummary summary = emitter_.Summary();
    summary.records_skipped = skipped_;
    summary.perf = protocol::ReadPerf{connect_.seconds(), query_.seconds(), fetch_.seconds()};
    return summary;
  }

  const SourceConfig& config_;
  const sdk::StreamContext& context_;
  sdk::FrameEmitter& emitter_;
  const SnapshotSpec* const snapshot_;
  std::unique_ptr<pgwire::Connection> conn_;
  ReadPlan plan_;
  std::optional<BoundaryTracker> boundary_;
  std::unique_ptr<arrow::RecordBatchBuilder> builder_;
  std::unique_ptr<pgwire::CopyBinaryDecoder> decoder_;
  std::uint64_t skipped_ = 0;
  sdk::PerfTimer connect_, query_, fetch_;
};

}  // namespace

Result<protocol::ReadSummary> ReadStream(const SourceConfig& config, const sdk::Source& source,
                                         const sdk::StreamContext& context) {
  sdk::FrameEmitter emitter(source, context, config.max_batch_rows);
  StreamRead read(config, context, &emitter, nullptr);
  return read.Run();
}

Result<protocol::ReadSummary> ReadSnapshot(const SourceConfig& config,
                                           const sdk::StreamContext& context,
                                           sdk::FrameEmitter* emitter, const SnapshotSpec& spec) {
  StreamRead read(config, context, emitter, &spec);
  return read.Run();
}

}  // namespace rapidbyte::pgsource
