// Counters and phase times of a finished attempt (SPEC §5.10).
#include "engine/attempt_tally.h"

namespace rapidbyte::engine {
namespace {

using plugin::HostContext;
using protocol::Json;

// An unsigned counter of a summary (0 when absent), and a `perf` time (0 when absent).
std::uint64_t Num(const Json& sum, const char* key) {
  return sum.is_object() && sum.contains(key) && sum[key].is_number_unsigned()
             ? sum[key].get<std::uint64_t>()
             : 0;
}
double Perf(const Json& sum, const char* key) {
  return sum.is_object() && sum.contains("perf") && sum["perf"].is_object() &&
                 sum["perf"].contains(key) && sum["perf"][key].is_number()
             ? sum["perf"][key].get<double>()
             : 0.0;
}

void TallyPaths(const std::vector<std::unique_ptr<FramePath>>& paths, Codec codec,
                AttemptResult* r) {
  const ChannelStats& first = paths.front()->stats();
  const ChannelStats& last = paths.back()->stats();
  r->records_read = first.rows;
  r->bytes_read = first.bytes;
  r->batches_emitted = first.frames;
  r->records_delivered = last.rows;
  r->bytes_delivered = last.bytes;
  for (const auto& p : paths) {
    const ChannelStats& s = p->stats();
    if (codec != Codec::kNone) {
      r->compressed_bytes += s.compressed_bytes;
      r->uncompressed_bytes += s.bytes;
    }
    r->compress_secs += static_cast<double>(s.compress_ns) / 1e9;
    r->decompress_secs += static_cast<double>(s.decompress_ns) / 1e9;
  }
}

void TallySource(const Stage& s, AttemptResult* r) {
  r->source_secs += s.total_secs;
  r->records_skipped += Num(s.summary, "records_skipped");
  r->source_connect += Perf(s.summary, "connect_secs");
  r->source_query += Perf(s.summary, "query_secs");
  r->source_fetch += Perf(s.summary, "fetch_secs");
  r->checkpoints += s.checkpoints;
}

void TallyDestination(const Stage& s, AttemptResult* r) {
  r->dest_secs += s.total_secs;
  r->dest_vm_setup += s.vm_setup_secs;
  r->dest_recv += s.run_secs;
  r->dest_wait += s.wait_secs;
  r->dest_connect += Perf(s.summary, "connect_secs");
  r->dest_flush += Perf(s.summary, "flush_secs");
  r->dest_commit += Perf(s.summary, "commit_secs");
  r->checkpoints += s.checkpoints;
  if (s.ok) {
    r->records_written = Num(s.summary, "records_written");
    r->records_failed = Num(s.summary, "records_failed");
    r->batches_written = Num(s.summary, "batches_written");
    r->bytes_written = s.report_complete ? 0 : r->bytes_delivered;
  } else {
    r->records_written = s.committed_records;
  }
}

}  // namespace

void TallyAttempt(const std::vector<std::unique_ptr<Stage>>& stages,
                  const std::vector<std::unique_ptr<FramePath>>& paths, Codec codec,
                  AttemptResult* r) {
  TallyPaths(paths, codec, r);
  for (const auto& s : stages) {
    switch (s->role) {
      case HostContext::Role::kSource:
        TallySource(*s, r);
        break;
      case HostContext::Role::kDestination:
        TallyDestination(*s, r);
        break;
      default:
        r->transform_secs += s->total_secs;
        break;
    }
  }
}

}  // namespace rapidbyte::engine
