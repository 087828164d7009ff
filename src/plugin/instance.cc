// Instance lifecycle and the JSON call convention.
#include "plugin/instance.h"

#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>

#include "plugin/guest_memory.h"
#include "plugin/host_error.h"
#include "plugin/runtime/memory_limits.h"
#include "protocol/json.h"

namespace rapidbyte::plugin {
namespace {

constexpr std::uint32_t kMaxJsonBytes = 16u << 20;

std::string Snippet(const std::string& bytes) {
  std::string out = bytes.substr(0, 200);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = '?';
  }
  return out;
}

// Calls `on_expiry` if still alive `deadline` after construction, then again every 50 ms
// until destroyed: a stop request that lands while the guest is inside a host function is
// not remembered, so it is repeated until the guest is back in its own code and traps.
class Watchdog {
 public:
  Watchdog(std::chrono::milliseconds deadline, std::function<void()> on_expiry)
      : thread_([this, deadline, on_expiry = std::move(on_expiry)] {
          std::unique_lock<std::mutex> lock(mu_);
          if (done_cv_.wait_for(lock, deadline, [this] { return done_; })) return;
          while (!done_) {
            lock.unlock();
            on_expiry();
            lock.lock();
            done_cv_.wait_for(lock, std::chrono::milliseconds(50), [this] { return done_; });
          }
        }) {}
  ~Watchdog() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    done_cv_.notify_all();
    thread_.join();
  }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

 private:
  std::mutex mu_;
  std::condition_variable done_cv_;
  bool done_ = false;
  std::thread thread_;  // last: started once the members it uses exist
};

std::string SecondsText(std::chrono::milliseconds d) {
  if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + " s";
  return std::to_string(d.count()) + " ms";
}

}  // namespace

std::string_view ExportName(Export e) {
  switch (e) {
    case Export::kOpen: return "rb_open";
    case Export::kValidate: return "rb_validate";
    case Export::kDiscover: return "rb_discover";
    case Export::kRunRead: return "rb_run_read";
    case Export::kRunWrite: return "rb_run_write";
    case Export::kRunTransform: return "rb_run_transform";
  }
  return "?";
}

Instance::Instance(std::shared_ptr<const Module> module, std::unique_ptr<HostContext> host)
    : module_(std::move(module)), host_(std::move(host)) {
  rapidbyte_ctx_.host = host_.get();
  wasi_ctx_.host = host_.get();
}

Instance::~Instance() {
  if (instantiated_) module_->table().free_instance(storage_);
  std::free(storage_);
}

Result<std::unique_ptr<Instance>> Instance::Create(std::shared_ptr<const Module> module,
                                                   HostContext host,
                                                   const InstanceOptions& options) {
  if (!host.cancel) host.cancel = std::make_shared<CancellationToken>();
  auto instance = std::unique_ptr<Instance>(
      new Instance(std::move(module), std::make_unique<HostContext>(std::move(host))));
  const RbModuleTable& table = instance->module_->table();
  instance->module_->EnsureInitialized();
  instance->storage_ = std::calloc(1, table.instance_size == 0 ? 1 : table.instance_size);
  if (instance->storage_ == nullptr) {
    return HostError(StatusCode::kResourceExhausted, protocol::ErrorCategory::kInternal,
                     "ALLOCATION_FAILED",
                     "cannot allocate an instance of connector " + instance->host_->Describe());
  }
  instance->SetCallDeadline(options.setup_deadline, "the limit for starting a connector");
  instance->budget_.cap_bytes = options.max_memory;
  // One watchdog covers the whole start (instantiate, _initialize, rb_abi_version): a thread
  // per entry would make starting an instance several times dearer. Declared after
  // `instance`, so it is gone before the instance is, on every return path.
  std::optional<Watchdog> start_watchdog;
  if (options.setup_deadline.count() > 0) {
    Instance* self = instance.get();
    start_watchdog.emplace(options.setup_deadline, [self] { self->StopForDeadline(); });
    instance->outer_watchdog_ = true;
  }
  {
    runtime::ScopedMemoryCap cap(options.max_memory);
    Instance* self = instance.get();
    // Marked before the call: a trap half way (a table or memory over the cap) leaves what
    // was allocated so far to free_instance, which skips the rest (their fields are still
    // zero in the calloc'd storage).
    self->instantiated_ = true;
    RB_RETURN_NOT_OK(self->Enter("instantiate", [self, &table] {
      table.instantiate(self->storage_, &self->rapidbyte_ctx_, &self->wasi_ctx_);
    }));
  }
  instance->host_->memory = table.memory(instance->storage_);
  if (table.initialize != nullptr) {
    Instance* self = instance.get();
    RB_RETURN_NOT_OK(self->Enter("_initialize", [self, &table] { table.initialize(self->storage_); }));
  }
  if (table.abi_version == nullptr || table.allocate == nullptr || table.deallocate == nullptr ||
      table.open == nullptr || table.validate == nullptr || table.close == nullptr) {
    return HostError(StatusCode::kFailedPrecondition, protocol::ErrorCategory::kInternal,
                     "MISSING_EXPORT",
                     "connector " + instance->host_->Describe() +
                         " lacks a required export (rb_abi_version, rb_allocate, rb_deallocate, "
                         "rb_open, rb_validate, rb_close)");
  }
  std::uint32_t version = 0;
  Instance* self = instance.get();
  RB_RETURN_NOT_OK(self->Enter("rb_abi_version",
                               [self, &table, &version] { version = table.abi_version(self->storage_); }));
  if (version != 1) {
    return HostError(StatusCode::kFailedPrecondition, protocol::ErrorCategory::kInternal,
                     "ABI_MISMATCH",
                     "connector " + instance->host_->Describe() + " speaks ABI version " +
                         std::to_string(version) + "; this rapidbyte supports 1");
  }
  instance->outer_watchdog_ = false;
  return instance;
}

std::uint64_t Instance::memory_bytes() const {
  return host_->memory != nullptr ? host_->memory->size : 0;
}

Status Instance::Enter(std::string_view export_name, const std::function<void()>& fn) {
  if (trapped_) {
    return HostError(StatusCode::kFailedPrecondition, protocol::ErrorCategory::kInternal,
                     "CONNECTOR_TRAPPED",
                     "connector " + host_->Describe() + " trapped earlier; instance discarded");
  }
  runtime::TakeMemoryLimitHit();  // clear a stale flag from an earlier call on this thread
  running_thread_.store(runtime::CurrentGuestThread().native);
  running_.store(true);
  const wasm_rt_memory_t* mem = host_->memory;
  runtime::TrapKind trap = runtime::TrapKind::kNone;
  {
    std::optional<Watchdog> watchdog;
    if (deadline_.count() > 0 && !outer_watchdog_) {
      watchdog.emplace(deadline_, [this] { StopForDeadline(); });
    }
    runtime::ScopedInstanceBudget budget(&budget_);
    trap = runtime::CallGuest(fn, mem != nullptr ? mem->data : nullptr,
                              runtime::kMemoryReservationBytes);
    running_.store(false);
  }
  const bool limit_hit = runtime::TakeMemoryLimitHit();
  if (trap == runtime::TrapKind::kNone) return Status::OK();
  trapped_ = true;
  if (trap == runtime::TrapKind::kProcExit) {
    return HostError(StatusCode::kInternal, protocol::ErrorCategory::kInternal, "PROC_EXIT",
                     "connector " + host_->Describe() + " called proc_exit(" +
                         std::to_string(host_->exit_code.value_or(0)) + ") in " +
                         std::string(export_name));
  }
  if (limit_hit) {
    // The instance's own cap: the thread's ScopedMemoryCap is only alive while instantiating.
    const std::uint32_t cap_pages = mem != nullptr ? mem->max_pages : runtime::CurrentMemoryCapPages();
    return HostError(
        StatusCode::kResourceExhausted, protocol::ErrorCategory::kInternal, "MEMORY_LIMIT_EXCEEDED",
        "connector " + host_->connector_id + " needed more than " + std::to_string(cap_pages / 16) +
            " MiB (resources.max_memory); raise the limit or lower "
            "max_batch_bytes");
  }
  const bool stopped = trap == runtime::TrapKind::kForcedStop;
  if (stopped && deadline_hit_.load() && !host_->cancel->cancelled()) {
    return HostError(StatusCode::kDeadlineExceeded, protocol::ErrorCategory::kInternal, "TIMEOUT",
                     "connector " + host_->Describe() + " did not return from " +
                         std::string(export_name) + " within " + SecondsText(deadline_) + " (" +
                         deadline_limit_ + "); it was stopped");
  }
  return HostError(
      stopped ? StatusCode::kCancelled : StatusCode::kInternal,
      stopped ? protocol::ErrorCategory::kCancelled : protocol::ErrorCategory::kInternal,
      stopped ? "CANCELLED" : "CONNECTOR_TRAPPED",
      "connector " + host_->Describe() + " trapped in " + std::string(export_name) + ": " +
          runtime::TrapKindName(trap));
}

Result<std::string> Instance::CallJson(Export which, std::string_view request) {
  const RbModuleTable& table = module_->table();
  using Fn = std::uint64_t (*)(void*, std::uint32_t, std::uint32_t);
  Fn fn = nullptr;
  switch (which) {
    case Export::kOpen: fn = table.open; break;
    case Export::kValidate: fn = table.validate; break;
    case Export::kDiscover: fn = table.discover; break;
    case Export::kRunRead: fn = table.run_read; break;
    case Export::kRunWrite: fn = table.run_write; break;
    case Export::kRunTransform: fn = table.run_transform; break;
  }
  const std::string name(ExportName(which));
  if (fn == nullptr) {
    return HostError(StatusCode::kFailedPrecondition, protocol::ErrorCategory::kInternal,
                     "MISSING_EXPORT",
                     "connector " + host_->Describe() + " does not export " + name);
  }
  if (request.size() > kMaxJsonBytes) {
    return HostError(StatusCode::kInvalidArgument, protocol::ErrorCategory::kInternal,
                     "REQUEST_TOO_LARGE", "request for " + name + " exceeds 16 MiB");
  }
  const auto len = static_cast<std::uint32_t>(request.size());
  std::uint32_t req_ptr = 0;
  RB_RETURN_NOT_OK(Enter("rb_allocate", [&] { req_ptr = table.allocate(storage_, len); }));
  GuestMemory memory(host_->memory);
  if (req_ptr == 0 || !memory.InBounds(req_ptr, len)) {
    return HostError(StatusCode::kResourceExhausted, protocol::ErrorCategory::kInternal,
                     "ALLOCATION_FAILED",
                     "connector " + host_->Describe() + " could not allocate " +
                         std::to_string(len) + " bytes for the " + name + " request");
  }
  memory.Write(req_ptr, {reinterpret_cast<const std::uint8_t*>(request.data()), request.size()});
  std::uint64_t packed = 0;
  RB_RETURN_NOT_OK(Enter(name, [&] { packed = fn(storage_, req_ptr, len); }));
  const auto resp_ptr = static_cast<std::uint32_t>(packed >> 32);
  const auto resp_len = static_cast<std::uint32_t>(packed & 0xffffffffu);
  std::string response;
  GuestMemory after(host_->memory);  // memory may have grown during the call
  const bool readable = resp_len <= kMaxJsonBytes && after.Read(resp_ptr, resp_len, &response);
  RB_RETURN_NOT_OK(Enter("rb_deallocate", [&] {
    if (readable) table.deallocate(storage_, resp_ptr, resp_len);
    table.deallocate(storage_, req_ptr, len);
  }));
  if (!readable) {
    return HostError(StatusCode::kInternal, protocol::ErrorCategory::kInternal, "INVALID_RESPONSE",
                     "Failed to deserialize response from '" + name + "': response of " +
                         std::to_string(resp_len) + " bytes at " + std::to_string(resp_ptr) +
                         " is outside the connector's memory or above 16 MiB");
  }
  std::string why;
  const std::optional<protocol::Json> parsed = protocol::ParseJson(response, &why);
  if (!parsed) {
    return HostError(StatusCode::kInternal, protocol::ErrorCategory::kInternal, "INVALID_RESPONSE",
                     "Failed to deserialize response from '" + name + "' of connector " +
                         host_->Describe() + ": " + why + ": " + Snippet(response));
  }
  const protocol::Json& doc = *parsed;
  const bool envelope = doc.is_object() && doc.contains("status") && doc["status"].is_string() &&
                        ((doc["status"] == "ok" && doc.contains("data")) ||
                         (doc["status"] == "err" && doc.contains("error") && doc["error"].is_object()));
  if (!envelope) {
    return HostError(StatusCode::kInternal, protocol::ErrorCategory::kInternal, "INVALID_RESPONSE",
                     "Failed to deserialize response from '" + name + "': " + Snippet(response));
  }
  return response;
}

Result<std::int32_t> Instance::Close() {
  const RbModuleTable& table = module_->table();
  std::uint32_t code = 0;
  RB_RETURN_NOT_OK(Enter("rb_close", [&] { code = table.close(storage_); }));
  return static_cast<std::int32_t>(code);
}

void Instance::StopForDeadline() {
  deadline_hit_.store(true);
  if (running_.load()) runtime::RequestForcedStop({running_thread_.load()});
}

void Instance::SetCallDeadline(std::chrono::milliseconds deadline, std::string limit_name) {
  deadline_ = deadline;
  deadline_limit_ = std::move(limit_name);
}

void Instance::ForceStop() {
  host_->cancel->Cancel();
  if (running_.load()) runtime::RequestForcedStop({running_thread_.load()});
}

}  // namespace rapidbyte::plugin
