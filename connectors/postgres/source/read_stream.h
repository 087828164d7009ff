// ReadStream: one rb_run_read (SPEC §7.3): connect, open a REPEATABLE READ READ ONLY
// transaction, plan the read, stream the binary COPY into Arrow batches bounded by
// max_batch_bytes (measured) and max_batch_rows, emit each as a frame with counters and, in
// incremental mode, a source checkpoint; then COMMIT and return the summary with ReadPerf.
// Guest only.
#pragma once

#include <string>

#include "base/result.h"
#include "connectors/postgres/source/source_config.h"
#include "pgwire/lsn.h"
#include "sdk/frame_emitter.h"
#include "sdk/source.h"
#include "protocol/messages.h"

namespace rapidbyte::pgsource {

/// Read the stream of `context` for `source`. Errors keep their typed detail (see pgconn::ToConnectorError); a
/// cancelled run is a `cancelled` error, returned as soon as the host reports it.
Result<protocol::ReadSummary> ReadStream(const SourceConfig& config, const sdk::Source& source,
                                         const sdk::StreamContext& context);

/// A cdc stream's first read (SPEC §14.2): the whole table as of the replication slot's
/// exported snapshot, with the change columns (`insert`, the consistent point).
struct SnapshotSpec {
  std::string snapshot_name;
  pgwire::Lsn consistent_point;
};
/// Read the snapshot through `emitter` (which keeps counting after it). No checkpoint: a
/// snapshot cut short is taken again. The summary's perf is the snapshot's.
Result<protocol::ReadSummary> ReadSnapshot(const SourceConfig& config,
                                           const sdk::StreamContext& context,
                                           sdk::FrameEmitter* emitter, const SnapshotSpec& spec);

}  // namespace rapidbyte::pgsource
