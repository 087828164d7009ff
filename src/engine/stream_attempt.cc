// The stream attempt (SPEC §5.2-5.6): AttemptState puts it together and runs it.
#include "engine/stream_attempt.h"

#include "engine/attempt_state.h"

namespace rapidbyte::engine {

void Accumulate(AttemptResult& total, const AttemptResult& a) {
  total.records_read += a.records_read;
  total.bytes_read += a.bytes_read;
  total.batches_emitted += a.batches_emitted;
  total.records_delivered += a.records_delivered;
  total.bytes_delivered += a.bytes_delivered;
  total.records_written += a.records_written;
  total.bytes_written += a.bytes_written;
  total.batches_written += a.batches_written;
  total.records_skipped += a.records_skipped;
  total.records_failed += a.records_failed;
  total.checkpoints += a.checkpoints;
  total.source_secs += a.source_secs;
  total.dest_secs += a.dest_secs;
  total.transform_secs += a.transform_secs;
  total.source_connect += a.source_connect;
  total.source_query += a.source_query;
  total.source_fetch += a.source_fetch;
  total.dest_connect += a.dest_connect;
  total.dest_flush += a.dest_flush;
  total.dest_commit += a.dest_commit;
  total.dest_vm_setup += a.dest_vm_setup;
  total.dest_recv += a.dest_recv;
  total.dest_wait += a.dest_wait;
  total.compressed_bytes += a.compressed_bytes;
  total.uncompressed_bytes += a.uncompressed_bytes;
  total.compress_secs += a.compress_secs;
  total.decompress_secs += a.decompress_secs;
}

std::string StageError::Describe() const { return stage + " error: " + error.Display(); }

AttemptResult RunStreamAttempt(const RunEnv& env, const config::StreamSpec& stream, int attempt,
                               StreamPosition* position, StreamLive* live) {
  auto shared = std::make_shared<AttemptState>(env, stream, attempt, position, live);
  return shared->Run(shared);
}

}  // namespace rapidbyte::engine
