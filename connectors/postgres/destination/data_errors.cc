// Row-by-row retry of frames that fail with data errors.
#include "connectors/postgres/destination/data_errors.h"

#include "connectors/postgres/common/pg_errors.h"
#include "connectors/postgres/destination/names.h"
#include "connectors/postgres/destination/row_json.h"
#include "pgwire/catalog.h"
#include "pgwire/server_error.h"
#include "pgwire/type_map.h"
#include "sdk/host.h"

namespace rapidbyte::pgdest {
namespace {

constexpr std::uint64_t kLoggedFailures = 100;

std::string DlqTable(const std::string& schema) {
  return pgwire::QuoteIdent(schema) + "." + pgwire::QuoteIdent(kDlqTable);
}

}  // namespace

bool IsDataError(const Status& status) {
  if (const pgwire::ClientError* client = pgwire::GetClientError(status)) {
    return client->category() == pgwire::ErrorCategory::kData;
  }
  if (const pgwire::ServerError* server = pgwire::GetServerError(status)) {
    const std::string& s = server->sqlstate();
    return s.rfind("22", 0) == 0 || s.rfind("23", 0) == 0;
  }
  return false;
}

Status EnsureDlqTable(pgwire::Connection* conn, const std::string& schema) {
  return conn
      ->Execute("CREATE TABLE IF NOT EXISTS " + DlqTable(schema) +
                " (id bigserial PRIMARY KEY, pipeline text, stream text, run_id bigint, "
                "error_code text, error_message text, record jsonb, "
                "failed_at timestamptz DEFAULT now())")
      .WithContext("create " + schema + "." + std::string(kDlqTable));
}

Status FrameWriter::Write(std::span<const arrow::RecordBatch> batches,
                          std::uint64_t* failed_rows) {
  *failed_rows = 0;
  if (request_.on_data_error == DataErrorPolicy::kFail) return WriteAll(batches);
  RB_RETURN_NOT_OK(conn_->Execute("SAVEPOINT rb_frame"));
  // End the COPY inside the frame so the server reports its errors here, not at commit.
  Status st = WriteAll(batches);
  if (st.ok()) st = writer_->Finish();
  if (st.ok()) return conn_->Execute("RELEASE SAVEPOINT rb_frame");
  if (!IsDataError(st)) return st;
  writer_->Abort();
  RB_RETURN_NOT_OK(conn_->Execute("ROLLBACK TO SAVEPOINT rb_frame"));
  RB_RETURN_NOT_OK(RowByRow(batches, failed_rows));
  return conn_->Execute("RELEASE SAVEPOINT rb_frame");
}

Status FrameWriter::WriteAll(std::span<const arrow::RecordBatch> batches) {
  for (const arrow::RecordBatch& batch : batches) RB_RETURN_NOT_OK(writer_->Write(batch));
  return writer_->EndFrame();
}

Status FrameWriter::RowByRow(std::span<const arrow::RecordBatch> batches,
                             std::uint64_t* failed_rows) {
  for (const arrow::RecordBatch& batch : batches) {
    for (std::int64_t row = 0; row < batch.num_rows(); ++row) {
      RB_RETURN_NOT_OK(conn_->Execute("SAVEPOINT rb_row"));
      const arrow::RecordBatch one = batch.Slice(row, 1);
      Status st = WriteAll({&one, 1});
      if (st.ok()) st = writer_->Finish();
      if (st.ok()) {
        RB_RETURN_NOT_OK(conn_->Execute("RELEASE SAVEPOINT rb_row"));
        continue;
      }
      if (!IsDataError(st)) return st;
      writer_->Abort();
      RB_RETURN_NOT_OK(conn_->Execute("ROLLBACK TO SAVEPOINT rb_row"));
      RB_RETURN_NOT_OK(RecordFailure(batch, row, st));
      ++*failed_rows;
    }
  }
  return Status::OK();
}

Status FrameWriter::RecordFailure(const arrow::RecordBatch& batch, std::int64_t row,
                                  const Status& error) {
  const protocol::ConnectorError classified = pgconn::ToConnectorError(error);
  ++failures_logged_;
  if (failures_logged_ <= kLoggedFailures) {
    sdk::host::Log(sdk::LogLevel::kWarn, "stream " + request_.stream_name + ": row skipped (" + classified.code +
                    "): " + error.message());
  } else if (failures_logged_ == kLoggedFailures + 1) {
    sdk::host::Log(sdk::LogLevel::kWarn, "stream " + request_.stream_name + ": more than " +
                    std::to_string(kLoggedFailures) +
                    " rows failed; further failures are only counted (records_failed)");
  }
  if (request_.on_data_error != DataErrorPolicy::kDlq) return Status::OK();
  const std::string run_id = std::to_string(request_.run_id);
  const std::string record = protocol::Dump(RowToJson(batch, row));
  const pgwire::Param params[] = {pgwire::Param::Text(request_.pipeline, pgwire::oid::kText),
                                  pgwire::Param::Text(request_.stream_name, pgwire::oid::kText),
                                  pgwire::Param::Text(run_id, pgwire::oid::kInt8),
                                  pgwire::Param::Text(classified.code, pgwire::oid::kText),
                                  pgwire::Param::Text(error.message(), pgwire::oid::kText),
                                  pgwire::Param::Text(record, pgwire::oid::kJsonb)};
  return conn_
      ->Query("INSERT INTO " + DlqTable(schema_) +
                  " (pipeline, stream, run_id, error_code, error_message, record) "
                  "VALUES ($1, $2, $3, $4, $5, $6)",
              params)
      .status()
      .WithContext("write a dead-letter row");
}

}  // namespace rapidbyte::pgdest
