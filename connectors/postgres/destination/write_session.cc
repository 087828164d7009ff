// The write session: frame loop, checkpoints, commits and error handling.
#include "connectors/postgres/destination/write_session.h"

#include <cstdio>

#include "connectors/postgres/common/pg_errors.h"
#include "connectors/postgres/destination/column_type.h"
#include "connectors/postgres/destination/commit_record.h"
#include "connectors/postgres/destination/ddl.h"
#include "connectors/postgres/destination/names.h"
#include "connectors/postgres/destination/table_catalog.h"
#include "sdk/host_stream.h"
#include "sdk/sdk.h"

namespace rapidbyte::pgdest {
namespace {

using pgconn::ErrorCategory;

std::string Secs(double s) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3f", s);
  return buf;
}

// The host's last error (ConnectorError JSON) as a Status keeping its category and code.
Status HostFailure(std::string_view what) {
  const std::string text = sdk::LastError();
  std::optional<protocol::Json> doc = protocol::ParseJson(text);
  if (doc) {
    auto error = protocol::ConnectorError::FromJson(*doc);
    if (error.ok()) {
      return pgconn::Fail(error->category, error->code,
                          std::string(what) + ": " + error->message);
    }
  }
  return pgconn::Fail(ErrorCategory::kInternal, "HOST_CALL_FAILED",
                      std::string(what) + " failed: " + text);
}

// pgconn::Connect with the destination's COPY message size (its options are the shared ones).
Result<std::unique_ptr<pgwire::Connection>> ConnectForWrites(const DestConfig& config) {
  const std::string where = "connect to " + config.pg.Describe();
  auto stream = sdk::HostStream::Connect(config.pg.host, config.pg.port,
                                         config.pg.connect_timeout_secs * 1000);
  if (!stream.ok()) return stream.status().WithContext(where);
  pgwire::ConnectOptions options = config.pg.ToConnectOptions();
  options.copy_flush_bytes = static_cast<std::size_t>(config.copy_flush_bytes);
  auto conn = pgwire::Connection::Connect(std::move(*stream), std::move(options));
  if (!conn.ok()) return conn.status().WithContext(where);
  return std::move(*conn);
}

// Decode a frame from upstream with full validation; bad content is INVALID_IPC.
Result<arrow::ipc::StreamReader> OpenFrame(std::span<const std::uint8_t> frame) {
  auto reader = arrow::ipc::StreamReader::Open(frame, {arrow::ipc::Validation::kFull});
  if (!reader.ok()) {
    return pgconn::Fail(ErrorCategory::kInternal, "INVALID_IPC",
                        "invalid frame from upstream: " + reader.status().message());
  }
  return reader;
}

}  // namespace

WriteSession::WriteSession(DestConfig config, WriteRequest request, std::string connector_id)
    : config_(std::move(config)),
      request_(std::move(request)),
      connector_id_(std::move(connector_id)),
      target_(pgconn::SplitStreamName(request_.stream_name, "")) {
  // The destination schema is the config's; the table is the stream name's last part.
  target_.schema = config_.pg.schema;
}

Result<protocol::WriteSummary> WriteSession::Run(protocol::ConnectorError* error) {
  clock_.Start();
  Status st = RunInner();
  if (st.ok()) {
    if (!already_complete_) {
      perf_.connect_secs = connect_timer_.seconds();
      perf_.flush_secs = flush_timer_.seconds();
      perf_.commit_secs = commit_timer_.seconds();
      summary_.perf = perf_;
      sdk::Log(2, "flushed " + std::to_string(summary_.records_written) + " rows in " +
                      std::to_string(summary_.batches_written) + " batches via " +
                      LoadMethodName(config_.load_method) + " (flush=" + Secs(perf_.flush_secs) +
                      "s commit=" + Secs(perf_.commit_secs) + "s)");
    }
    return summary_;
  }
  Rollback();
  if (commit_unknown_) {
    *error = protocol::ConnectorError::Make(
        protocol::ErrorCategory::kTransientDb, "COMMIT_FAILED",
        "stream " + request_.stream_name + ": COMMIT failed, outcome unknown: " + st.message());
    error->retryable = true;
    error->WithCommitState(protocol::CommitState::kAfterCommitUnknown);
  } else {
    pgconn::ErrorOptions options;
    options.context = "stream " + request_.stream_name;
    *error = pgconn::ToConnectorError(st, options);
    error->WithCommitState(just_committed_ ? protocol::CommitState::kAfterCommitConfirmed
                                           : protocol::CommitState::kBeforeCommit);
  }
  return Status::Internal(error->message);
}

void WriteSession::Rollback() {
  if (writer_) writer_->Abort();
  if (conn_ && conn_->usable() && in_transaction_) conn_->Execute("ROLLBACK").IgnoreError();
  in_transaction_ = false;
}

Status WriteSession::RunInner() {
  {
    pgconn::ScopedPerf timed(&connect_timer_);
    RB_ASSIGN_OR_RETURN(conn_, ConnectForWrites(config_));
  }
  RB_RETURN_NOT_OK(ReportCommitRecord(&already_complete_));
  if (already_complete_) {
    sdk::Log(2, "stream " + request_.stream_name +
                    " was already completed by an earlier commit of this run; nothing to write");
    return Status::OK();
  }
  std::vector<std::uint8_t> frame;
  bool first = true;
  while (true) {
    switch (sdk::NextBatch(&frame)) {
      case sdk::NextStatus::kFrame:
        break;
      case sdk::NextStatus::kEnd:
        if (first) return FinishWithoutFrames();
        {
          pgconn::ScopedPerf timed(&commit_timer_);
          return Commit(/*final=*/true);
        }
      case sdk::NextStatus::kUpstreamFailed:
        Rollback();
        return pgconn::Fail(ErrorCategory::kInternal, "UPSTREAM_FAILED",
                            "upstream stage failed; rolled back without committing");
      case sdk::NextStatus::kCancelled:
        Rollback();
        return pgconn::Fail(ErrorCategory::kCancelled, "CANCELLED",
                            "run cancelled; rolled back without committing");
      case sdk::NextStatus::kError:
        return HostFailure("rb_host_next_batch");
    }
    if (first) {
      RB_ASSIGN_OR_RETURN(arrow::ipc::StreamReader reader, OpenFrame(frame));
      RB_RETURN_NOT_OK(Prepare(*reader.schema()));
      first = false;
    }
    RB_RETURN_NOT_OK(WriteFrame(frame));
    RB_RETURN_NOT_OK(MaybeCheckpoint());
  }
}

Status WriteSession::ReportCommitRecord(bool* already_complete) {
  RB_ASSIGN_OR_RETURN(
      std::optional<std::string> token,
      ReadCommitToken(conn_.get(), target_.schema, request_.pipeline, request_.stream_name));
  const std::int32_t rc = sdk::ReportCommit(token.value_or(""));
  if (rc < 0) return HostFailure("rb_host_report_commit");
  *already_complete = rc == 1;
  return Status::OK();
}

Status WriteSession::Begin() {
  RB_RETURN_NOT_OK(conn_->Execute("BEGIN"));
  in_transaction_ = true;
  return Status::OK();
}

Status WriteSession::Prepare(const arrow::Schema& schema) {
  pgconn::ScopedPerf timed(&flush_timer_);
  RB_RETURN_NOT_OK(schema.Validate());
  schema_ = std::make_shared<const arrow::Schema>(schema);
  RB_ASSIGN_OR_RETURN(std::vector<ColumnType> types,
                      PlanColumnTypes(conn_.get(), schema, request_.stream_name));
  RB_RETURN_NOT_OK(EnsureSchemaAndWatermarks(conn_.get(), target_.schema));
  if (request_.on_data_error == DataErrorPolicy::kDlq) {
    RB_RETURN_NOT_OK(EnsureDlqTable(conn_.get(), target_.schema));
  }
  RB_RETURN_NOT_OK(Begin());
  RB_ASSIGN_OR_RETURN(prepared_, PrepareTarget(conn_.get(), target_, request_, schema, types));
  WriterOptions options;
  options.method = config_.load_method;
  options.insert_batch_rows = config_.insert_batch_rows;
  if (request_.write_mode == WriteMode::kUpsert) options.upsert_key = request_.primary_key;
  RB_ASSIGN_OR_RETURN(writer_, MakeWriter(conn_.get(), schema, prepared_.layout, options));
  frame_writer_ =
      std::make_unique<FrameWriter>(conn_.get(), writer_.get(), request_, target_.schema);
  last_commit_secs_ = clock_.seconds();
  return Status::OK();
}

Status WriteSession::WriteFrame(std::span<const std::uint8_t> frame) {
  pgconn::ScopedPerf timed(&flush_timer_);
  just_committed_ = false;
  RB_ASSIGN_OR_RETURN(arrow::ipc::StreamReader reader, OpenFrame(frame));
  if (!(*reader.schema() == *schema_)) {
    return pgconn::Fail(ErrorCategory::kInternal, "SCHEMA_MISMATCH",
                        "a frame's schema differs from the stream's first frame");
  }
  // The batches are views into `frame`, which outlives this call.
  std::vector<arrow::RecordBatch> batches;
  std::uint64_t rows = 0;
  while (true) {
    arrow::RecordBatch batch;
    Result<bool> more = reader.Next(&batch);
    if (!more.ok()) {
      return pgconn::Fail(ErrorCategory::kInternal, "INVALID_IPC",
                          "invalid frame from upstream: " + more.status().message());
    }
    if (!*more) break;
    rows += static_cast<std::uint64_t>(batch.num_rows());
    batches.push_back(std::move(batch));
  }
  std::uint64_t failed = 0;
  RB_RETURN_NOT_OK(frame_writer_->Write(batches, &failed));
  summary_.records_written += rows - failed;
  summary_.records_failed += failed;
  summary_.bytes_written += frame.size();
  summary_.batches_written += 1;
  sdk::EmitCounter(connector_id_, request_.stream_name, "records_written",
                   static_cast<std::int64_t>(summary_.records_written));
  sdk::EmitCounter(connector_id_, request_.stream_name, "bytes_written",
                   static_cast<std::int64_t>(summary_.bytes_written));
  sdk::EmitCounter(connector_id_, request_.stream_name, "batches_written",
                   static_cast<std::int64_t>(summary_.batches_written));
  if (summary_.records_failed > 0) {
    sdk::EmitCounter(connector_id_, request_.stream_name, "records_failed",
                     static_cast<std::int64_t>(summary_.records_failed));
  }
  return Status::OK();
}

Status WriteSession::MaybeCheckpoint() {
  const CheckpointLimits& limits = request_.checkpoint;
  const std::uint64_t rows = summary_.records_written - committed_records_;
  const std::uint64_t bytes = summary_.bytes_written - committed_bytes_;
  const bool due = (limits.bytes > 0 && bytes >= static_cast<std::uint64_t>(limits.bytes)) ||
                   (limits.rows > 0 && rows >= static_cast<std::uint64_t>(limits.rows)) ||
                   (limits.seconds > 0 &&
                    clock_.seconds() - last_commit_secs_ >= static_cast<double>(limits.seconds));
  if (!due) return Status::OK();
  pgconn::ScopedPerf timed(&flush_timer_);
  return Commit(/*final=*/false);
}

Status WriteSession::Commit(bool final) {
  RB_RETURN_NOT_OK(writer_->Finish());
  if (final && prepared_.replace) {
    RB_ASSIGN_OR_RETURN(std::optional<pgwire::RelationCatalog> existing,
                        FindTable(conn_.get(), prepared_.target));
    RB_RETURN_NOT_OK(SwapIn(conn_.get(), prepared_.target, prepared_.staging, existing.has_value(),
                            prepared_.staging_has_pk, PrimaryKeyName(prepared_.staging.relation),
                            PrimaryKeyName(prepared_.target.relation)));
  }
  std::string token;
  const std::int32_t rc = sdk::CommitToken(&token);
  if (rc == RB_CANCELLED) {
    return pgconn::Fail(ErrorCategory::kCancelled, "CANCELLED",
                        "run cancelled while waiting for a commit token; rolled back");
  }
  if (rc != RB_OK) return HostFailure("rb_host_commit_token");
  std::optional<protocol::Json> token_json = protocol::ParseJson(token);
  if (!token_json || !token_json->is_object()) {
    return pgconn::Fail(ErrorCategory::kInternal, "INVALID_COMMIT_TOKEN",
                        "the host's commit token is not a JSON object");
  }
  CommitRecord record{request_.pipeline,
                      request_.stream_name,
                      request_.run_id,
                      token,
                      static_cast<std::int64_t>(summary_.records_written),
                      static_cast<std::int64_t>(summary_.bytes_written),
                      final};
  RB_RETURN_NOT_OK(WriteCommitRecord(conn_.get(), target_.schema, record));
  Status st = conn_->Execute("COMMIT");
  if (st.ok() && conn_->last_command_tag() != "COMMIT") {
    st = Status::Aborted("the server rolled the transaction back (" + conn_->last_command_tag() +
                         ")");
  }
  if (!st.ok()) {
    commit_unknown_ = true;
    in_transaction_ = false;
    return st;
  }
  in_transaction_ = false;
  just_committed_ = true;
  if (final && prepared_.replace) {
    sdk::Log(2, "atomic swap of " + prepared_.target.Display() + " completed");
  }
  committed_records_ = summary_.records_written;
  committed_bytes_ = summary_.bytes_written;
  last_commit_secs_ = clock_.seconds();
  protocol::Json checkpoint = {{"id", ++checkpoint_id_},
                               {"kind", "dest"},
                               {"stream", request_.stream_name},
                               {"cursor_field", nullptr},
                               {"cursor_value", nullptr},
                               {"cursor_boundary", nullptr},
                               {"commit_token", *token_json},
                               {"records_processed", committed_records_},
                               {"bytes_processed", committed_bytes_}};
  if (sdk::Checkpoint(RB_CHECKPOINT_DEST, connector_id_, request_.stream_name,
                      protocol::Dump(checkpoint)) != RB_OK) {
    return HostFailure("rb_host_checkpoint");
  }
  summary_.checkpoint_count += 1;
  sdk::EmitCounter(connector_id_, request_.stream_name, "checkpoint_count",
                   static_cast<std::int64_t>(summary_.checkpoint_count));
  if (final) return Status::OK();
  return Begin();
}

// End of stream before any frame: there is no schema to create a table from, but the stream
// is still complete, so the commit record is finished and checkpointed.
Status WriteSession::FinishWithoutFrames() {
  pgconn::ScopedPerf timed(&commit_timer_);
  sdk::Log(1, "stream " + request_.stream_name + " ended without any frame; no table changes");
  RB_RETURN_NOT_OK(EnsureSchemaAndWatermarks(conn_.get(), target_.schema));
  RB_RETURN_NOT_OK(Begin());
  class NoWriter final : public BatchWriter {
   public:
    Status Write(const arrow::RecordBatch&) override { return Status::OK(); }
    Status EndFrame() override { return Status::OK(); }
    Status Finish() override { return Status::OK(); }
    void Abort() override {}
  };
  writer_ = std::make_unique<NoWriter>();
  return Commit(/*final=*/true);
}

}  // namespace rapidbyte::pgdest
