// Instance: one instantiation of a connector module — its own linear memory (capped), its
// own host context — and the calls into it. Every call enters the guest through the
// trampoline (runtime/guest_thread.h); a trap becomes a typed error naming the connector
// and the export, and the instance is then unusable.
//
// Single-threaded: create and call it from one thread at a time. ForceStop() and
// cancellation may come from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"
#include "plugin/host_context.h"
#include "plugin/limits.h"
#include "plugin/module.h"
#include "plugin/runtime/guest_thread.h"
#include "plugin/runtime/memory_limits.h"

namespace rapidbyte::plugin {

enum class Export { kOpen, kValidate, kDiscover, kRunRead, kRunWrite, kRunTransform };

/// "rb_open", "rb_run_read", ...
std::string_view ExportName(Export e);

struct InstanceOptions {
  std::uint64_t max_memory = 256u << 20;  // resources.max_memory
  /// Deadline of instantiation, _initialize and rb_abi_version; it stays in force for later
  /// calls until SetCallDeadline changes it.
  std::chrono::milliseconds setup_deadline = limits::kSetupCallDeadline;
};

class Instance {
 public:
  /// Instantiate `module` with `host` (identity, channels, callbacks; its memory and cancel
  /// fields are filled in here when unset). Calls _initialize and checks rb_abi_version.
  static Result<std::unique_ptr<Instance>> Create(std::shared_ptr<const Module> module,
                                                  HostContext host,
                                                  const InstanceOptions& options = {});
  ~Instance();
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  /// The JSON call convention of SPEC §4.5: returns the response document's text.
  Result<std::string> CallJson(Export which, std::string_view request);
  /// rb_close(); returns its code.
  Result<std::int32_t> Close();
  /// Current size of the linear memory in bytes (its high-water mark: it never shrinks).
  std::uint64_t memory_bytes() const;

  /// Every later entry into the guest (an export call, its rb_allocate and rb_deallocate)
  /// that runs longer than `deadline` is stopped and fails with code TIMEOUT; the message
  /// says the call took longer than `deadline` and names `limit_name` (what set it, e.g.
  /// "resources.timeout_seconds"). Zero: no deadline.
  void SetCallDeadline(std::chrono::milliseconds deadline, std::string limit_name);
  /// True once a call was stopped by its deadline.
  bool timed_out() const { return deadline_hit_.load(); }

  /// Stop guest code running on another thread now (it traps with "stopped by the host").
  void ForceStop();
  /// True after a trap: no further calls are made.
  bool trapped() const { return trapped_; }
  HostContext& host() { return *host_; }

 private:
  Instance(std::shared_ptr<const Module> module, std::unique_ptr<HostContext> host);
  /// A watchdog's action when a deadline passes: stop the guest if it is running.
  void StopForDeadline();
  /// Run `fn` in the guest; map a trap to CONNECTOR_TRAPPED / MEMORY_LIMIT_EXCEEDED.
  Status Enter(std::string_view export_name, const std::function<void()>& fn);

  std::shared_ptr<const Module> module_;
  std::unique_ptr<HostContext> host_;
  Z_rapidbyte_instance_t rapidbyte_ctx_{};
  Z_wasi_snapshot_preview1_instance_t wasi_ctx_{};
  void* storage_ = nullptr;  // the wasm2c instance struct
  bool instantiated_ = false;
  bool trapped_ = false;
  std::atomic<bool> running_{false};
  std::atomic<std::uintptr_t> running_thread_{0};
  runtime::InstanceBudget budget_;  // linear memory + tables against max_memory
  std::chrono::milliseconds deadline_{0};
  std::string deadline_limit_;
  std::atomic<bool> deadline_hit_{false};
  bool outer_watchdog_ = false;  // Create's one watchdog covers the entries of the start
};

}  // namespace rapidbyte::plugin
