// Fuzz target: the host-call boundary. Every rapidbyte and WASI import is called with
// fuzzer-chosen pointers, lengths, scopes and kinds against a small fake linear memory. The
// host must answer with a status code; ASan reports any access outside that memory.
#include <wasm-rt.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "plugin/host_context.h"

extern "C" {
using u32 = std::uint32_t;
using u64 = std::uint64_t;
using R = Z_rapidbyte_instance_t;
using W = Z_wasi_snapshot_preview1_instance_t;
u32 Z_rapidbyteZ_rb_host_log(R*, u32, u32, u32);
u32 Z_rapidbyteZ_rb_host_emit_batch(R*, u32, u32);
u32 Z_rapidbyteZ_rb_host_next_batch(R*, u32, u32, u32);
u32 Z_rapidbyteZ_rb_host_last_error(R*, u32, u32, u32);
u32 Z_rapidbyteZ_rb_host_state_get(R*, u32, u32, u32, u32, u32, u32);
u32 Z_rapidbyteZ_rb_host_state_put(R*, u32, u32, u32, u32, u32);
u32 Z_rapidbyteZ_rb_host_state_cas(R*, u32, u32, u32, u32, u32, u32, u32);
u32 Z_rapidbyteZ_rb_host_checkpoint(R*, u32, u32, u32);
u32 Z_rapidbyteZ_rb_host_metric(R*, u32, u32);
u32 Z_rapidbyteZ_rb_host_net_connect(R*, u32, u32, u32, u32, u32);
u32 Z_wasi_snapshot_preview1Z_fd_write(W*, u32, u32, u32, u32);
u32 Z_wasi_snapshot_preview1Z_environ_get(W*, u32, u32);
u32 Z_wasi_snapshot_preview1Z_environ_sizes_get(W*, u32, u32);
u32 Z_wasi_snapshot_preview1Z_clock_time_get(W*, u32, u64, u32);
u32 Z_wasi_snapshot_preview1Z_random_get(W*, u32, u32);
u32 Z_wasi_snapshot_preview1Z_poll_oneoff(W*, u32, u32, u32, u32);
u32 Z_wasi_snapshot_preview1Z_fd_fdstat_get(W*, u32, u32);
}

namespace {

using rapidbyte::plugin::FrameChannel;
using rapidbyte::plugin::HostContext;

class MemoryState : public rapidbyte::plugin::StateStore {
 public:
  rapidbyte::Result<std::optional<std::string>> Get(int, const std::string& key) override {
    if (key.empty()) return std::optional<std::string>();
    return std::optional<std::string>(key);
  }
  rapidbyte::Status Put(int, const std::string&, const std::string&) override {
    return rapidbyte::Status::OK();
  }
  rapidbyte::Result<bool> CompareAndSet(int, const std::string&, const std::optional<std::string>& e,
                                        const std::string&) override {
    return !e.has_value();
  }
};

struct Reader {
  const std::uint8_t* data;
  std::size_t size;
  std::size_t at = 0;
  u32 Next() {
    u32 v = 0;
    for (int i = 0; i < 4 && at < size; ++i) v |= u32{data[at++]} << (8 * i);
    // Bias towards interesting values: near the end of memory, zero and huge.
    switch (v % 7) {
      case 0: return v % 70000;
      case 1: return 65536 - (v >> 20) % 64;
      default: return v;
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr u32 kMemory = 65536;
  std::vector<std::uint8_t> bytes(kMemory, 0);
  if (size > 0) std::memcpy(bytes.data(), data, size < kMemory ? size : kMemory);
  wasm_rt_memory_t memory{};
  memory.data = bytes.data();
  memory.pages = 1;
  memory.max_pages = 1;
  memory.size = kMemory;
  auto cancel = std::make_shared<rapidbyte::plugin::CancellationToken>();
  FrameChannel out(1024, cancel);
  FrameChannel in(4, cancel);
  in.Send(rapidbyte::plugin::Frame(100, 7));
  in.Finish();
  MemoryState state;
  HostContext host;
  host.connector_id = "fuzz";
  host.memory = &memory;
  host.cancel = cancel;
  host.output = &out;
  host.input = &in;
  host.state = &state;
  host.max_frame_bytes = 4096;
  // An engine that accepts every checkpoint and metric, so the fuzzer reaches past them.
  struct AcceptAll : rapidbyte::plugin::EngineLink {
    rapidbyte::Status Checkpoint(int, const rapidbyte::protocol::Json&) override {
      return rapidbyte::Status::OK();
    }
  };
  static AcceptAll accept_all;
  host.engine = &accept_all;
  R r{&host};
  W w{&host};
  Reader in_bytes{data, size};
  for (int call = 0; call < 32 && in_bytes.at < size; ++call) {
    const u32 op = in_bytes.Next() % 17;
    const u32 a = in_bytes.Next(), b = in_bytes.Next(), c = in_bytes.Next();
    const u32 d = in_bytes.Next(), e = in_bytes.Next(), f = in_bytes.Next();
    host.role = static_cast<HostContext::Role>(a % 3);
    switch (op) {
      case 0: Z_rapidbyteZ_rb_host_log(&r, a, b, c); break;
      case 1: Z_rapidbyteZ_rb_host_emit_batch(&r, a, b); break;
      case 2: Z_rapidbyteZ_rb_host_next_batch(&r, a, b, c); break;
      case 3: Z_rapidbyteZ_rb_host_last_error(&r, a, b, c); break;
      case 4: Z_rapidbyteZ_rb_host_state_get(&r, a % 4, b, c % 2048, d, e, f); break;
      case 5: Z_rapidbyteZ_rb_host_state_put(&r, a % 4, b, c % 2048, d, e); break;
      case 6: Z_rapidbyteZ_rb_host_state_cas(&r, a % 4, b, c % 2048, d, e, f, a); break;
      case 7: Z_rapidbyteZ_rb_host_checkpoint(&r, a % 4, b, c); break;
      case 8: Z_rapidbyteZ_rb_host_metric(&r, a, b); break;
      case 9: Z_rapidbyteZ_rb_host_net_connect(&r, a, b % 300, c, 0, d); break;
      case 10: Z_wasi_snapshot_preview1Z_fd_write(&w, 1 + a % 2, b, c % 8, d); break;
      case 11: Z_wasi_snapshot_preview1Z_environ_get(&w, a, b); break;
      case 12: Z_wasi_snapshot_preview1Z_environ_sizes_get(&w, a, b); break;
      case 13: Z_wasi_snapshot_preview1Z_clock_time_get(&w, a % 5, 0, b); break;
      case 14: Z_wasi_snapshot_preview1Z_random_get(&w, a, b % 100000); break;
      case 15:
        cancel->Cancel();  // sleeping is cancellable; never wait out a fuzzed timeout
        Z_wasi_snapshot_preview1Z_poll_oneoff(&w, a, b, 1 + c % 2, d);
        break;
      default: Z_wasi_snapshot_preview1Z_fd_fdstat_get(&w, a % 4, b); break;
    }
  }
  return 0;
}
