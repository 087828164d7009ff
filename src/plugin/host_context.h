// HostContext: everything the host functions of one instance can reach — its memory, its
// identity for logs and errors, its cancellation token, its input and output channels, the
// engine (EngineLink: frames, checkpoints, metrics, commit tokens) and connector state.
//
// Owned by Instance; used only on the thread that runs the instance (host functions run
// while the guest is paused), except `cancel`, which is shared.
#pragma once

#include <wasm-rt.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "net/tcp_connection.h"
#include "plugin/cancellation.h"
#include "plugin/engine_link.h"
#include "plugin/frame_channel.h"
#include "plugin/wasi/file_table.h"

namespace rapidbyte::plugin {

/// Connector key/value state, by scope (SPEC §6.4). Implementations are thread-safe.
class StateStore {
 public:
  virtual ~StateStore() = default;
  /// nullopt when absent.
  virtual Result<std::optional<std::string>> Get(int scope, const std::string& key) = 0;
  virtual Status Put(int scope, const std::string& key, const std::string& value) = 0;
  /// Swap when the current value equals `expected` (nullopt: absent). Returns whether swapped.
  virtual Result<bool> CompareAndSet(int scope, const std::string& key,
                                     const std::optional<std::string>& expected,
                                     const std::string& value) = 0;
};

/// What WASI may expose (SPEC §4.8).
struct WasiPolicy {
  std::vector<std::string> allowed_env;  // names; only those set on the host are visible
  std::vector<wasi::Preopen> preopens;   // directories visible to the guest
};

struct HostContext {
  // Identity, for logs and messages.
  std::string connector_id;       // "rapidbyte/source-postgres"
  std::string connector_version;  // "0.1.0"
  std::string stage;              // "source", "destination", "transform[0]"
  std::string stream;             // "public.users"
  enum class Role { kSource, kDestination, kTransform, kNone } role = Role::kNone;

  wasm_rt_memory_t* memory = nullptr;
  std::shared_ptr<CancellationToken> cancel;
  /// Set when the run asks long-running streams to finish gracefully (`run --follow`);
  /// rb_host_is_cancelled then answers 2. Null: never.
  const std::atomic<bool>* stop_requested = nullptr;

  // Batch exchange: sources and transforms emit to `output`; destinations and transforms
  // read from `input`. A frame that did not fit the guest's buffer stays in `pending`.
  FrameChannel* output = nullptr;
  FrameChannel* input = nullptr;
  std::optional<Frame> pending;
  bool saw_end_of_stream = false;
  bool saw_upstream_failure = false;
  /// Time spent blocked waiting for input (the destination's `dest_wait_secs`).
  std::uint64_t input_wait_ns = 0;
  /// Largest frame accepted from emit (SPEC §5.3 frame cap).
  std::uint64_t max_frame_bytes = 64u << 20;
  /// The engine behind this instance's host functions (frames, checkpoints, metrics, commit
  /// tokens). Not owned; outlives the instance. Never null.
  EngineLink* engine = EngineLink::None();
  bool first_input_signalled = false;

  bool commit_reported = false;
  bool received_input = false;

  // Connector state; absent: the state host functions fail with STATE_BACKEND.
  StateStore* state = nullptr;
  WasiPolicy wasi;
  /// Host names this instance may connect to (manifest plus pipeline config, SPEC §4.7).
  std::vector<std::string> allowed_hosts;
  /// The manifest's permissions.network.tls rule.
  enum class TlsPolicy { kOptional, kRequired, kForbidden } tls_policy = TlsPolicy::kOptional;
  /// CA files the connector may name in rb_host_net_start_tls (paths from its config).
  std::vector<std::string> allowed_ca_files;

  /// Open connections; a handle is the index + 1. Closed slots are null.
  struct Socket {
    std::unique_ptr<net::TcpConnection> connection;
    std::string host;  // as the guest named it, for SNI and messages
    std::uint64_t plain_bytes_in = 0;
    std::uint64_t plain_bytes_out = 0;
  };
  std::vector<Socket> sockets;

  /// The last error the guest can fetch with rb_host_last_error (ConnectorError JSON).
  std::optional<std::string> last_error;
  /// The first ABI violation, kept so the run's error names it even if the guest hides it.
  std::optional<Status> first_violation;
  /// Set by proc_exit.
  std::optional<int> exit_code;
  /// Preopened directories and the files opened beneath them.
  wasi::FileTable files;

  std::string Describe() const { return connector_id + " " + connector_version; }
};

}  // namespace rapidbyte::plugin

// The import contexts wasm2c passes to host functions. Their layout is ours: the generated
// code only stores and passes the pointers.
struct Z_rapidbyte_instance_t {
  rapidbyte::plugin::HostContext* host;
};
struct Z_wasi_snapshot_preview1_instance_t {
  rapidbyte::plugin::HostContext* host;
};
