// WASI preview 1, deny by default (SPEC §4.8): arguments (none), the allowlisted
// environment, clocks, randomness, stdout/stderr into the engine's log, proc_exit, and
// sleeping through poll_oneoff with cancellation. Files are in wasi_files.cc.
#include <sys/random.h>
#include <time.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "base/log.h"
#include "plugin/guest_memory.h"
#include "plugin/host_context.h"
#include "plugin/runtime/guest_thread.h"
#include "plugin/wasi/errno.h"

using rapidbyte::plugin::GuestMemory;
using rapidbyte::plugin::HostContext;
using rapidbyte::plugin::runtime::HostCallScope;
using namespace rapidbyte::plugin::wasi;  // NOLINT: errno names

namespace rapidbyte::plugin {
void LogFromConnector(const HostContext& ctx, LogLevel level, std::string message);
}  // namespace rapidbyte::plugin

// fd_write to a file beneath a writable preopen (wasi_files.cc).
extern "C" std::uint32_t RbWasiWriteFile(Z_wasi_snapshot_preview1_instance_t* i, std::uint32_t fd,
                                         std::uint32_t iovs, std::uint32_t iovs_len,
                                         std::uint32_t nwritten) noexcept;

namespace {

HostContext& Ctx(Z_wasi_snapshot_preview1_instance_t* instance) { return *instance->host; }

// "NAME=value" for each allowlisted variable that is set on the host.
std::vector<std::string> VisibleEnvironment(const HostContext& ctx) {
  std::vector<std::string> out;
  for (const auto& name : ctx.wasi.allowed_env) {
    if (const char* value = std::getenv(name.c_str())) out.push_back(name + "=" + value);
  }
  return out;
}

bool WriteU64(const GuestMemory& memory, std::uint32_t ptr, std::uint64_t v) {
  std::uint8_t le[8];
  for (int i = 0; i < 8; ++i) le[i] = static_cast<std::uint8_t>(v >> (8 * i));
  return memory.Write(ptr, le);
}

}  // namespace

extern "C" {

std::uint32_t Z_wasi_snapshot_preview1Z_args_sizes_get(Z_wasi_snapshot_preview1_instance_t* i,
                                                       std::uint32_t argc_ptr,
                                                       std::uint32_t size_ptr) noexcept {
  HostCallScope scope;
  GuestMemory memory(Ctx(i).memory);
  return memory.WriteU32(argc_ptr, 0) && memory.WriteU32(size_ptr, 0) ? kErrnoSuccess : kErrnoFault;
}

std::uint32_t Z_wasi_snapshot_preview1Z_args_get(Z_wasi_snapshot_preview1_instance_t*,
                                                 std::uint32_t, std::uint32_t) noexcept {
  return kErrnoSuccess;
}

std::uint32_t Z_wasi_snapshot_preview1Z_environ_sizes_get(Z_wasi_snapshot_preview1_instance_t* i,
                                                          std::uint32_t count_ptr,
                                                          std::uint32_t size_ptr) noexcept {
  HostCallScope scope;
  const auto env = VisibleEnvironment(Ctx(i));
  std::uint64_t bytes = 0;
  for (const auto& e : env) bytes += e.size() + 1;
  GuestMemory memory(Ctx(i).memory);
  return memory.WriteU32(count_ptr, static_cast<std::uint32_t>(env.size())) &&
                 memory.WriteU32(size_ptr, static_cast<std::uint32_t>(bytes))
             ? kErrnoSuccess
             : kErrnoFault;
}

std::uint32_t Z_wasi_snapshot_preview1Z_environ_get(Z_wasi_snapshot_preview1_instance_t* i,
                                                    std::uint32_t environ_ptr,
                                                    std::uint32_t buf_ptr) noexcept {
  HostCallScope scope;
  GuestMemory memory(Ctx(i).memory);
  std::uint64_t offset = buf_ptr;
  std::uint32_t slot = environ_ptr;
  for (const auto& e : VisibleEnvironment(Ctx(i))) {
    if (offset > UINT32_MAX) return kErrnoFault;
    if (!memory.WriteU32(slot, static_cast<std::uint32_t>(offset))) return kErrnoFault;
    std::vector<std::uint8_t> bytes(e.begin(), e.end());
    bytes.push_back(0);
    if (!memory.Write(static_cast<std::uint32_t>(offset), bytes)) return kErrnoFault;
    offset += bytes.size();
    slot += 4;
  }
  return kErrnoSuccess;
}

std::uint32_t Z_wasi_snapshot_preview1Z_clock_res_get(Z_wasi_snapshot_preview1_instance_t* i,
                                                      std::uint32_t clock_id,
                                                      std::uint32_t res_ptr) noexcept {
  HostCallScope scope;
  if (clock_id > 3) return kErrnoInval;
  return WriteU64(GuestMemory(Ctx(i).memory), res_ptr, 1000) ? kErrnoSuccess : kErrnoFault;
}

std::uint32_t Z_wasi_snapshot_preview1Z_clock_time_get(Z_wasi_snapshot_preview1_instance_t* i,
                                                       std::uint32_t clock_id, std::uint64_t,
                                                       std::uint32_t time_ptr) noexcept {
  HostCallScope scope;
  clockid_t id = CLOCK_REALTIME;
  switch (clock_id) {
    case 0: id = CLOCK_REALTIME; break;
    case 1: id = CLOCK_MONOTONIC; break;
    case 2: id = CLOCK_PROCESS_CPUTIME_ID; break;
    case 3: id = CLOCK_THREAD_CPUTIME_ID; break;
    default: return kErrnoInval;
  }
  timespec ts{};
  clock_gettime(id, &ts);
  const std::uint64_t ns = static_cast<std::uint64_t>(ts.tv_sec) * 1000000000ull +
                           static_cast<std::uint64_t>(ts.tv_nsec);
  return WriteU64(GuestMemory(Ctx(i).memory), time_ptr, ns) ? kErrnoSuccess : kErrnoFault;
}

std::uint32_t Z_wasi_snapshot_preview1Z_random_get(Z_wasi_snapshot_preview1_instance_t* i,
                                                   std::uint32_t buf, std::uint32_t len) noexcept {
  HostCallScope scope;
  if (len > kMaxRandomBytes) return kErrnoInval;
  GuestMemory memory(Ctx(i).memory);
  if (!memory.InBounds(buf, len)) return kErrnoFault;
  std::vector<std::uint8_t> bytes(len);
  std::size_t filled = 0;
  while (filled < len) {
    const ssize_t n = getrandom(bytes.data() + filled, len - filled, 0);
    if (n <= 0) return kErrnoNosys;
    filled += static_cast<std::size_t>(n);
  }
  memory.Write(buf, bytes);
  return kErrnoSuccess;
}

std::uint32_t Z_wasi_snapshot_preview1Z_sched_yield(Z_wasi_snapshot_preview1_instance_t*) noexcept {
  return kErrnoSuccess;
}

void Z_wasi_snapshot_preview1Z_proc_exit(Z_wasi_snapshot_preview1_instance_t* i,
                                         std::uint32_t code) noexcept {
  // No C++ object with a destructor may live in this frame: RaiseTrap unwinds it.
  Ctx(i).exit_code = static_cast<int>(code);
  rapidbyte::plugin::runtime::RaiseTrap(rapidbyte::plugin::runtime::TrapKind::kProcExit);
}

std::uint32_t Z_wasi_snapshot_preview1Z_proc_raise(Z_wasi_snapshot_preview1_instance_t*,
                                                   std::uint32_t) noexcept {
  return kErrnoNosys;
}

// fd_write on 1 (stdout, logged at info) and 2 (stderr, logged at warn); other fds are files.
std::uint32_t Z_wasi_snapshot_preview1Z_fd_write(Z_wasi_snapshot_preview1_instance_t* i,
                                                 std::uint32_t fd, std::uint32_t iovs,
                                                 std::uint32_t iovs_len,
                                                 std::uint32_t nwritten_ptr) noexcept {
  HostCallScope scope;
  HostContext& ctx = Ctx(i);
  if (fd != 1 && fd != 2) return RbWasiWriteFile(i, fd, iovs, iovs_len, nwritten_ptr);
  GuestMemory memory(ctx.memory);
  std::string text;
  std::uint64_t total = 0;
  for (std::uint32_t k = 0; k < iovs_len; ++k) {
    std::uint8_t iov[8];
    if (!memory.Read(iovs + 8 * k, 8, iov)) return kErrnoFault;
    const std::uint32_t ptr = iov[0] | iov[1] << 8 | iov[2] << 16 | static_cast<std::uint32_t>(iov[3]) << 24;
    const std::uint32_t len = iov[4] | iov[5] << 8 | iov[6] << 16 | static_cast<std::uint32_t>(iov[7]) << 24;
    if (total + len > (1u << 20)) return kErrnoInval;  // one write of at most 1 MiB
    std::string part;
    if (!memory.Read(ptr, len, &part)) return kErrnoFault;
    text += part;
    total += len;
  }
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) {
      rapidbyte::plugin::LogFromConnector(
          ctx, fd == 1 ? rapidbyte::LogLevel::kInfo : rapidbyte::LogLevel::kWarn,
          text.substr(start, end - start));
    }
    start = end + 1;
  }
  return memory.WriteU32(nwritten_ptr, static_cast<std::uint32_t>(total)) ? kErrnoSuccess : kErrnoFault;
}

// Subscriptions are 48 bytes: userdata u64, tag u8 at 8 (0 clock), then for clocks: id u32 at 16,
// timeout u64 at 24, precision u64 at 32, flags u16 at 40 (1 = absolute). Events are 32
// bytes: userdata u64, error u16, type u8.
std::uint32_t Z_wasi_snapshot_preview1Z_poll_oneoff(Z_wasi_snapshot_preview1_instance_t* i,
                                                    std::uint32_t in, std::uint32_t out,
                                                    std::uint32_t n,
                                                    std::uint32_t nevents_ptr) noexcept {
  HostCallScope scope;
  HostContext& ctx = Ctx(i);
  GuestMemory memory(ctx.memory);
  if (n == 0 || n > 64) return kErrnoInval;
  std::uint64_t wait_ns = UINT64_MAX;
  std::vector<std::uint8_t> subs(48 * std::size_t{n});
  if (!memory.Read(in, static_cast<std::uint32_t>(subs.size()), subs.data())) return kErrnoFault;
  for (std::uint32_t k = 0; k < n; ++k) {
    const std::uint8_t* s = subs.data() + 48 * k;
    if (s[8] != 0) return kErrnoNotsup;  // only clock subscriptions
    std::uint64_t timeout = 0;
    for (int b = 7; b >= 0; --b) timeout = timeout << 8 | s[24 + b];
    const bool absolute = (s[40] & 1) != 0;
    if (absolute) return kErrnoNotsup;
    if (timeout < wait_ns) wait_ns = timeout;
  }
  // A day is as long as any connector may sleep in one call; it also keeps the duration
  // arithmetic far from overflow.
  constexpr std::uint64_t kMaxSleepMs = 24ull * 3600 * 1000;
  const std::uint64_t wait_ms = wait_ns / 1000000 < kMaxSleepMs ? wait_ns / 1000000 : kMaxSleepMs;
  const auto wait = std::chrono::milliseconds(static_cast<std::int64_t>(wait_ms));
  if (ctx.cancel) {
    ctx.cancel->WaitFor(wait);
  }
  std::vector<std::uint8_t> events(32 * std::size_t{n}, 0);
  for (std::uint32_t k = 0; k < n; ++k) {
    for (int b = 0; b < 8; ++b) events[32 * k + b] = subs[48 * k + b];  // userdata
  }
  if (!memory.Write(out, events)) return kErrnoFault;
  return memory.WriteU32(nevents_ptr, n) ? kErrnoSuccess : kErrnoFault;
}

}  // extern "C"
