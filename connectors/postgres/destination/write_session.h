// WriteSession: one rb_run_write of dest-postgres (SPEC §8.2): connect, report the commit
// record to the host (exactly-once, §5.5), receive frames, prepare the target from the first
// frame's schema, write, checkpoint by bytes/rows/seconds (§8.5) and finish with the final
// commit (the atomic swap for replace). Every commit writes the host's commit token into the
// commit record in the same transaction and is followed by a destination checkpoint.
// On an upstream failure, a cancellation or any error the transaction is rolled back and no
// commit, swap or checkpoint happens afterwards. Guest only; single-threaded.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "arrow/ipc/reader.h"
#include "base/result.h"
#include "connectors/postgres/common/identifiers.h"
#include "connectors/postgres/common/perf_timer.h"
#include "connectors/postgres/destination/batch_writer.h"
#include "connectors/postgres/destination/data_errors.h"
#include "connectors/postgres/destination/dest_config.h"
#include "connectors/postgres/destination/target_setup.h"
#include "connectors/postgres/destination/write_request.h"
#include "pgwire/connection.h"

#include "protocol/connector_error.h"
#include "protocol/messages.h"

namespace rapidbyte::pgdest {

class WriteSession {
 public:
  WriteSession(DestConfig config, WriteRequest request, std::string connector_id);

  /// Run the session. On failure the error is already classified (commit state included).
  Result<protocol::WriteSummary> Run(protocol::ConnectorError* error);

 private:
  Status RunInner();
  Status ReportCommitRecord(bool* already_complete);
  Status Begin();
  Status Prepare(const arrow::Schema& schema);
  Status WriteFrame(std::span<const std::uint8_t> frame);
  Status MaybeCheckpoint();
  /// End writes, mint a token, write the commit record, COMMIT, checkpoint; BEGIN again
  /// unless `final`.
  Status Commit(bool final);
  Status FinishWithoutFrames();
  void Rollback();

  DestConfig config_;
  WriteRequest request_;
  std::string connector_id_;
  pgconn::QualifiedName target_;
  std::unique_ptr<pgwire::Connection> conn_;
  std::unique_ptr<BatchWriter> writer_;
  std::unique_ptr<FrameWriter> frame_writer_;
  PreparedTarget prepared_;
  std::shared_ptr<const arrow::Schema> schema_;
  bool in_transaction_ = false;
  bool commit_unknown_ = false;
  /// The last COMMIT succeeded and nothing was written since: a later failure (checkpoint,
  /// BEGIN) leaves the data committed.
  bool just_committed_ = false;
  bool already_complete_ = false;

  protocol::WriteSummary summary_;
  protocol::WritePerf perf_;
  pgconn::PerfTimer connect_timer_, flush_timer_, commit_timer_;
  std::uint64_t committed_records_ = 0, committed_bytes_ = 0;
  std::uint64_t checkpoint_id_ = 0;
  double last_commit_secs_ = 0;  // on the session clock
  pgconn::PerfTimer clock_;
};

}  // namespace rapidbyte::pgdest
