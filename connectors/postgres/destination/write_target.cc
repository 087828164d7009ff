// dest-postgres's side of the write session: connection, target preparation, writes and the
// transaction with its commit record.
#include "connectors/postgres/destination/write_target.h"

#include "connectors/postgres/common/pg_errors.h"
#include "connectors/postgres/destination/column_type.h"
#include "connectors/postgres/destination/commit_record.h"
#include "connectors/postgres/destination/ddl.h"
#include "connectors/postgres/destination/names.h"
#include "connectors/postgres/destination/table_catalog.h"
#include "sdk/host.h"
#include "sdk/host_stream.h"

namespace rapidbyte::pgdest {
namespace {

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

// A destination that ended without frames has nothing to write.
class NoWriter final : public BatchWriter {
 public:
  Status Write(const arrow::RecordBatch&) override { return Status::OK(); }
  Status EndFrame() override { return Status::OK(); }
  Status Finish() override { return Status::OK(); }
  void Abort() override {}
};

template <typename T>
sdk::Outcome<T> Classified(Result<T> result) {
  if (result.ok()) return std::move(*result);
  return pgconn::ToConnectorError(result.status());
}

sdk::Outcome<void> Classified(const Status& status) {
  if (status.ok()) return {};
  return pgconn::ToConnectorError(status);
}

}  // namespace

PgWriteTarget::PgWriteTarget(const DestConfig& config, WriteRequest request)
    : config_(config),
      request_(std::move(request)),
      target_(pgconn::SplitStreamName(request_.stream_name, "")) {
  // The destination schema is the config's; the table is the stream name's last part.
  target_.schema = config_.pg.schema;
}

sdk::Outcome<void> PgWriteTarget::Start() {
  auto conn = ConnectForWrites(config_);
  if (!conn.ok()) return pgconn::ToConnectorError(conn.status());
  conn_ = std::move(*conn);
  return {};
}

sdk::Outcome<void> PgWriteTarget::Prefetch() {
  // Done while the source connects and reads its first frame (tens of milliseconds): the
  // schema and the watermarks table, and the catalog lookups Prepare makes, once, so that a
  // new backend's cold catalog caches (about 10 ms of planning for the first query of each
  // kind) are not paid between the first frame and the first COPY data (issue #21).
  RB_TRY(Classified(EnsureSchemaAndWatermarks(conn_.get(), target_.schema)));
  RB_TRY(Classified(FindTable(conn_.get(), target_).status()));
  return Classified(WarmTypeLookup(conn_.get()));
}

sdk::Outcome<std::optional<std::string>> PgWriteTarget::ReadCommitToken() {
  return Classified(
      pgdest::ReadCommitToken(conn_.get(), target_.schema, request_.pipeline,
                              request_.stream_name));
}

sdk::Outcome<void> PgWriteTarget::Begin(const arrow::Schema* schema) {
  if (schema != nullptr) return Classified(Prepare(*schema));
  writer_ = std::make_unique<NoWriter>();
  return Classified(BeginTransaction());
}

Status PgWriteTarget::Prepare(const arrow::Schema& schema) {
  // A cdc stream's table is planned from the table's columns (CdcTableSchema); the layout
  // then points into the frames.
  std::optional<arrow::Schema> cdc_table;
  if (request_.cdc) {
    RB_ASSIGN_OR_RETURN(cdc_columns_, FindCdcColumns(schema, request_.stream_name));
    cdc_table = CdcTableSchema(schema, request_.write_mode);
  }
  const arrow::Schema& table = cdc_table ? *cdc_table : schema;
  RB_ASSIGN_OR_RETURN(std::vector<ColumnType> types,
                      PlanColumnTypes(conn_.get(), table, request_.stream_name));
  if (request_.on_data_error == DataErrorPolicy::kDlq) {
    RB_RETURN_NOT_OK(EnsureDlqTable(conn_.get(), target_.schema));
  }
  RB_RETURN_NOT_OK(BeginTransaction());
  RB_ASSIGN_OR_RETURN(prepared_, PrepareTarget(conn_.get(), target_, request_, table, types));
  if (cdc_table) RB_RETURN_NOT_OK(ReindexLayout(schema, &prepared_.layout));
  WriterOptions options;
  options.method = config_.load_method;
  options.insert_batch_rows = config_.insert_batch_rows;
  if (request_.write_mode == WriteMode::kUpsert) options.upsert_key = request_.primary_key;
  if (cdc_columns_ && request_.write_mode == WriteMode::kUpsert) {
    options.cdc_mirror = true;
    options.cdc_columns = *cdc_columns_;
    options.soft_delete = request_.soft_delete;
  }
  RB_ASSIGN_OR_RETURN(writer_, MakeWriter(conn_.get(), schema, prepared_.layout, options));
  frame_writer_ =
      std::make_unique<FrameWriter>(conn_.get(), writer_.get(), request_, target_.schema);
  return Status::OK();
}

Status PgWriteTarget::BeginTransaction() {
  RB_RETURN_NOT_OK(conn_->Execute("BEGIN"));
  in_transaction_ = true;
  return Status::OK();
}

sdk::Outcome<std::uint64_t> PgWriteTarget::Append(std::span<const arrow::RecordBatch> batches) {
  // After a commit the next transaction starts with the next frame.
  if (!in_transaction_) RB_TRY(Classified(BeginTransaction()));
  if (cdc_columns_) {
    // Counted as received; they become committed counts with the next commit.
    for (const arrow::RecordBatch& batch : batches) {
      RB_TRY(Classified(CountChanges(batch, cdc_columns_->op, &pending_changes_)));
    }
  }
  std::uint64_t failed = 0;
  RB_TRY(Classified(frame_writer_->Write(batches, &failed)));
  return failed;
}

sdk::Outcome<void> PgWriteTarget::Commit(const sdk::CommitRecord& record) {
  Status st = CommitTransaction(record);
  if (st.ok()) {
    ReportChanges();
    return {};
  }
  if (in_transaction_) return Classified(st);
  // COMMIT itself failed: whether the server committed is unknown.
  sdk::ConnectorError error = sdk::TransientDbError(
      "COMMIT_FAILED", "COMMIT failed, outcome unknown: " + st.message());
  error.retryable = true;
  error.WithCommitState(protocol::CommitState::kAfterCommitUnknown);
  return error;
}

Status PgWriteTarget::CommitTransaction(const sdk::CommitRecord& record) {
  if (!in_transaction_) RB_RETURN_NOT_OK(BeginTransaction());  // no frame since the last one
  RB_RETURN_NOT_OK(writer_->Finish());
  if (record.final && prepared_.replace) {
    RB_ASSIGN_OR_RETURN(std::optional<pgwire::RelationCatalog> existing,
                        FindTable(conn_.get(), prepared_.target));
    RB_RETURN_NOT_OK(SwapIn(conn_.get(), prepared_.target, prepared_.staging, existing.has_value(),
                            prepared_.staging_has_pk, PrimaryKeyName(prepared_.staging.relation),
                            PrimaryKeyName(prepared_.target.relation)));
  }
  pgdest::CommitRecord stored{request_.pipeline,
                              request_.stream_name,
                              request_.run_id,
                              record.token,
                              static_cast<std::int64_t>(record.records),
                              static_cast<std::int64_t>(record.bytes),
                              record.final};
  RB_RETURN_NOT_OK(WriteCommitRecord(conn_.get(), target_.schema, stored));
  in_transaction_ = false;  // from here on, a failure leaves the outcome unknown
  Status st = conn_->Execute("COMMIT");
  if (st.ok() && conn_->last_command_tag() != "COMMIT") {
    st = Status::Aborted("the server rolled the transaction back (" + conn_->last_command_tag() +
                         ")");
  }
  RB_RETURN_NOT_OK(st);
  if (record.final && prepared_.replace) {
    sdk::host::Log(sdk::LogLevel::kInfo,
                   "atomic swap of " + prepared_.target.Display() + " completed");
  }
  return Status::OK();
}

void PgWriteTarget::ReportChanges() {
  if (!request_.cdc) return;
  committed_changes_.Add(pending_changes_);
  pending_changes_ = ChangeCounts{};
  const ChangeCounts& c = committed_changes_;
  const std::pair<const char*, std::uint64_t> counters[] = {{"changes_inserted", c.inserts},
                                                            {"changes_updated", c.updates},
                                                            {"changes_deleted", c.deletes},
                                                            {"changes_truncated", c.truncates}};
  for (const auto& [name, value] : counters) {
    sdk::host::Counter(kConnectorId, request_.stream_name, name, static_cast<std::int64_t>(value));
  }
}

void PgWriteTarget::Abort() {
  pending_changes_ = ChangeCounts{};
  if (writer_) writer_->Abort();
  if (conn_ && conn_->usable() && in_transaction_) conn_->Execute("ROLLBACK").IgnoreError();
  in_transaction_ = false;
}

}  // namespace rapidbyte::pgdest
