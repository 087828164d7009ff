// ReadCdcStream: one rb_run_read of a `sync_mode: cdc` stream (SPEC §14.2-14.4).
// Without a stored position: create the replication slot with an exported snapshot, read the
// table in that snapshot (ReadSnapshot), checkpoint the slot's consistent point, then stream.
// With one: check the slot and stream from the position. Streaming decodes pgoutput into
// frames with the change columns (change_columns.h), cut by the batch limits inside a
// transaction as anywhere else, and checkpoints {"lsn", "tx"} after each frame. Standby status
// updates confirm only the position the host says a destination committed. A catch-up run
// ends once it has delivered everything committed before the WAL position the server reported
// when the stream started; a follow run streams until the host asks it to stop. Guest only.
#pragma once

#include "base/result.h"
#include "connectors/postgres/source/source_config.h"
#include "protocol/messages.h"
#include "sdk/source.h"

namespace rapidbyte::pgsource {

Result<protocol::ReadSummary> ReadCdcStream(const SourceConfig& config, const sdk::Source& source,
                                            const sdk::StreamContext& context);

}  // namespace rapidbyte::pgsource
