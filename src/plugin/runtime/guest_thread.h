// Per-thread state of guest execution and the one trampoline that enters guest code.
//
// Guest code (wasm2c output compiled to native code) runs on the calling thread. A trap
// (unreachable, division by zero, out-of-bounds access caught by the guard-page signal
// handler, stack exhaustion, a forced stop) unwinds with siglongjmp to the innermost
// CallGuest on this thread. No C++ frame lies between that CallGuest and the trap point:
// host functions mark themselves with HostCallScope, and a fault or a stop request that
// arrives while a host function runs never unwinds (a fault there is a host bug and crashes
// as usual; a stop request is honoured by the host function returning RB_CANCELLED).
//
// Thread-safety: all state here is thread-local; the signal handlers only read it.
#pragma once

#include <cstdint>
#include <functional>

namespace rapidbyte::plugin::runtime {

/// Why guest execution ended abnormally. Values match wasm_rt_trap_t where they overlap.
enum class TrapKind : int {
  kNone = 0,
  kOutOfBounds = 1,
  kIntOverflow = 2,
  kDivByZero = 3,
  kInvalidConversion = 4,
  kUnreachable = 5,
  kCallIndirect = 6,
  kUncaughtException = 7,
  kStackExhausted = 8,
  kForcedStop = 100,  // the host stopped a guest that ignored cancellation
  kProcExit = 101,    // the guest called WASI proc_exit
};

/// A human-readable name: "out of bounds memory access", "stack exhausted", ...
const char* TrapKindName(TrapKind kind);

/// Install the SIGSEGV/SIGBUS and stop-request handlers once per process (idempotent).
void InstallSignalHandlers();

/// Run `fn` (which calls into guest code) with a trap target armed on this thread.
/// Returns kNone when fn returned normally. Re-entrant: nested calls restore the outer
/// target. `memory_base`/`memory_reserved` describe the instance's linear-memory reservation
/// so a fault inside it is reported as out-of-bounds rather than as stack exhaustion.
TrapKind CallGuest(const std::function<void()>& fn, const void* memory_base,
                   std::uint64_t memory_reserved);

/// True while the current thread executes guest code (not inside a host function).
bool InGuest();

/// Marks a host function's extent: guest code is not running while it exists.
class HostCallScope {
 public:
  HostCallScope();
  ~HostCallScope();
  HostCallScope(const HostCallScope&) = delete;
  HostCallScope& operator=(const HostCallScope&) = delete;

 private:
  bool was_in_guest_;
};

/// Identifies a thread that may run guest code, for forced stops.
struct GuestThreadHandle {
  std::uintptr_t native = 0;  // pthread_t
};

/// Return the handle of the calling thread.
GuestThreadHandle CurrentGuestThread();

/// Ask `thread` to stop its guest code now: if it is executing guest code it traps with
/// kForcedStop; if it is inside a host function, nothing happens (the host function sees
/// the cancellation itself). Safe to call from any thread, repeatedly.
void RequestForcedStop(GuestThreadHandle thread);

/// Raise a trap from guest-called runtime code (used by wasm_rt_trap). Never returns.
[[noreturn]] void RaiseTrap(TrapKind kind);

}  // namespace rapidbyte::plugin::runtime
