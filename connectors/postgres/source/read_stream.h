// ReadStream: one rb_run_read (SPEC §7.3): connect, open a REPEATABLE READ READ ONLY
// transaction, plan the read, stream the binary COPY into Arrow batches bounded by
// max_batch_bytes (measured) and max_batch_rows, emit each as a frame with counters and, in
// incremental mode, a source checkpoint; then COMMIT and return the summary with ReadPerf.
// Guest only.
#pragma once

#include <string>

#include "base/result.h"
#include "connectors/postgres/source/source_config.h"
#include "sdk/source.h"
#include "protocol/messages.h"

namespace rapidbyte::pgsource {

/// Read the stream of `context` for `source`. Errors keep their typed detail (see pgconn::ToConnectorError); a
/// cancelled run is a `cancelled` error, returned as soon as the host reports it.
Result<protocol::ReadSummary> ReadStream(const SourceConfig& config, const sdk::Source& source,
                                         const sdk::StreamContext& context);

}  // namespace rapidbyte::pgsource
