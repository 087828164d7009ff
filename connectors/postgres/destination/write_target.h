// PgWriteTarget: dest-postgres as an sdk::WriteTarget (SPEC §8.2). The SDK's WriteSession
// runs the frame loop, checkpoint timing and commit tokens; this class does what is about
// PostgreSQL: connect, read the commit record, prepare the target table from the first
// frame's schema (create, evolve, staging for replace), write through the configured load
// method, and commit — the commit record in the same transaction, and for replace the atomic
// swap in the final one. A cdc stream's frames are changes (SPEC §14.5): its table has the
// source table's columns (the mirror, upsert) or every change with its metadata (the change
// log, append), and the changes committed are counted by kind. Guest only; single-threaded.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "connectors/postgres/common/identifiers.h"
#include "connectors/postgres/destination/batch_writer.h"
#include "connectors/postgres/destination/cdc_frame.h"
#include "connectors/postgres/destination/data_errors.h"
#include "connectors/postgres/destination/dest_config.h"
#include "connectors/postgres/destination/target_setup.h"
#include "connectors/postgres/destination/write_request.h"
#include "pgwire/connection.h"
#include "sdk/write_session.h"

namespace rapidbyte::pgdest {

class PgWriteTarget final : public sdk::WriteTarget {
 public:
  PgWriteTarget(const DestConfig& config, WriteRequest request);

  sdk::Outcome<void> Start() override;
  sdk::Outcome<void> Prefetch() override;
  sdk::Outcome<std::optional<std::string>> ReadCommitToken() override;
  sdk::Outcome<void> Begin(const arrow::Schema* schema) override;
  sdk::Outcome<std::uint64_t> Append(std::span<const arrow::RecordBatch> batches) override;
  sdk::Outcome<void> Commit(const sdk::CommitRecord& record) override;
  void Abort() override;
  std::string Describe() const override {
    return std::string("via ") + LoadMethodName(config_.load_method);
  }

 private:
  Status Prepare(const arrow::Schema& schema);
  Status BeginTransaction();
  Status CommitTransaction(const sdk::CommitRecord& record);
  /// cdc: the changes committed so far as the counters changes_inserted, _updated,
  /// _deleted and _truncated.
  void ReportChanges();

  const DestConfig& config_;
  WriteRequest request_;
  pgconn::QualifiedName target_;
  std::unique_ptr<pgwire::Connection> conn_;
  std::unique_ptr<BatchWriter> writer_;
  std::unique_ptr<FrameWriter> frame_writer_;
  PreparedTarget prepared_;
  bool in_transaction_ = false;
  std::optional<CdcColumns> cdc_columns_;  ///< the first frame's metadata (cdc streams)
  ChangeCounts pending_changes_;           ///< since the last commit
  ChangeCounts committed_changes_;         ///< by this attempt's commits
};

}  // namespace rapidbyte::pgdest
