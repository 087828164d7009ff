// Trap targets, guard-page and stop signals, and alternate signal stacks for guest threads.
#include "plugin/runtime/guest_thread.h"

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace rapidbyte::plugin::runtime {
namespace {

// The signal used to interrupt a guest that ignores cancellation.
const int kStopSignal = SIGRTMIN + 3;

struct ThreadState {
  sigjmp_buf* target = nullptr;
  volatile sig_atomic_t in_guest = 0;
  const void* memory_base = nullptr;
  std::uint64_t memory_reserved = 0;
};

thread_local ThreadState t_state;

// An alternate signal stack per guest thread, so the handler can run after the guest has
// exhausted the thread's own stack. Freed when the thread ends.
struct AltStack {
  void* memory = nullptr;
  ~AltStack() {
    if (memory == nullptr) return;
    stack_t disable{};
    disable.ss_flags = SS_DISABLE;
    sigaltstack(&disable, nullptr);
    std::free(memory);
  }
  void Ensure() {
    if (memory != nullptr) return;
    stack_t current{};
    if (sigaltstack(nullptr, &current) == 0 && (current.ss_flags & SS_DISABLE) == 0) {
      return;  // someone (e.g. a sanitizer runtime) already installed one
    }
    const std::size_t size = 256 * 1024;
    memory = std::malloc(size);
    if (memory == nullptr) return;
    stack_t ss{};
    ss.ss_sp = memory;
    ss.ss_size = size;
    ss.ss_flags = 0;
    sigaltstack(&ss, nullptr);
  }
};

thread_local AltStack t_alt_stack;

struct sigaction g_previous_segv;
struct sigaction g_previous_bus;
std::once_flag g_install_once;

void ChainToPrevious(int sig, siginfo_t* info, void* context) {
  const struct sigaction& prev = sig == SIGBUS ? g_previous_bus : g_previous_segv;
  if ((prev.sa_flags & SA_SIGINFO) != 0 && prev.sa_sigaction != nullptr) {
    prev.sa_sigaction(sig, info, context);
    return;
  }
  if (prev.sa_handler != SIG_DFL && prev.sa_handler != SIG_IGN && prev.sa_handler != nullptr) {
    prev.sa_handler(sig);
    return;
  }
  // Default action: restore it and return, so the faulting instruction re-runs and crashes.
  signal(sig, SIG_DFL);
}

void OnFault(int sig, siginfo_t* info, void* context) {
  ThreadState& st = t_state;
  if (st.in_guest == 0 || st.target == nullptr) {
    ChainToPrevious(sig, info, context);
    return;
  }
  const auto addr = reinterpret_cast<std::uintptr_t>(info->si_addr);
  const auto base = reinterpret_cast<std::uintptr_t>(st.memory_base);
  const bool in_memory = st.memory_base != nullptr && addr >= base && addr - base < st.memory_reserved;
  st.in_guest = 0;
  siglongjmp(*st.target, static_cast<int>(in_memory ? TrapKind::kOutOfBounds
                                                    : TrapKind::kStackExhausted));
}

void OnStopRequest(int /*sig*/, siginfo_t* /*info*/, void* /*context*/) {
  ThreadState& st = t_state;
  if (st.in_guest == 0 || st.target == nullptr) return;  // host code: it checks cancellation
  st.in_guest = 0;
  siglongjmp(*st.target, static_cast<int>(TrapKind::kForcedStop));
}

void Install() {
  struct sigaction sa{};
  sa.sa_sigaction = OnFault;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  sigaction(SIGSEGV, &sa, &g_previous_segv);
  sigaction(SIGBUS, &sa, &g_previous_bus);
  struct sigaction stop{};
  stop.sa_sigaction = OnStopRequest;
  sigemptyset(&stop.sa_mask);
  stop.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
  sigaction(kStopSignal, &stop, nullptr);
}

}  // namespace

const char* TrapKindName(TrapKind kind) {
  switch (kind) {
    case TrapKind::kNone: return "no trap";
    case TrapKind::kOutOfBounds: return "out of bounds memory access";
    case TrapKind::kIntOverflow: return "integer overflow";
    case TrapKind::kDivByZero: return "integer divide by zero";
    case TrapKind::kInvalidConversion: return "invalid conversion to integer";
    case TrapKind::kUnreachable: return "unreachable executed";
    case TrapKind::kCallIndirect: return "indirect call type mismatch";
    case TrapKind::kUncaughtException: return "uncaught exception";
    case TrapKind::kStackExhausted: return "stack exhausted";
    case TrapKind::kForcedStop: return "stopped by the host";
    case TrapKind::kProcExit: return "proc_exit called";
  }
  return "unknown trap";
}

void InstallSignalHandlers() { std::call_once(g_install_once, Install); }

bool InGuest() { return t_state.in_guest != 0; }

HostCallScope::HostCallScope() : was_in_guest_(t_state.in_guest != 0) { t_state.in_guest = 0; }
HostCallScope::~HostCallScope() { t_state.in_guest = was_in_guest_ ? 1 : 0; }

// The frame that owns the jump buffer. Kept free of C++ objects with destructors between
// sigsetjmp and the guest call, and not inlined, so siglongjmp never skips cleanup.
__attribute__((noinline)) static int ArmAndCall(const std::function<void()>* fn,
                                                sigjmp_buf* buf) {
  const int code = sigsetjmp(*buf, 1);
  if (code != 0) return code;
  t_state.target = buf;
  t_state.in_guest = 1;
  (*fn)();
  t_state.in_guest = 0;
  return 0;
}

TrapKind CallGuest(const std::function<void()>& fn, const void* memory_base,
                   std::uint64_t memory_reserved) {
  InstallSignalHandlers();
  t_alt_stack.Ensure();
  ThreadState saved = {t_state.target, t_state.in_guest, t_state.memory_base,
                       t_state.memory_reserved};
  t_state.memory_base = memory_base;
  t_state.memory_reserved = memory_reserved;
  sigjmp_buf buf;
  const int code = ArmAndCall(&fn, &buf);
  t_state.target = saved.target;
  t_state.in_guest = saved.in_guest;
  t_state.memory_base = saved.memory_base;
  t_state.memory_reserved = saved.memory_reserved;
  return static_cast<TrapKind>(code);
}

GuestThreadHandle CurrentGuestThread() {
  return GuestThreadHandle{static_cast<std::uintptr_t>(pthread_self())};
}

void RequestForcedStop(GuestThreadHandle thread) {
  InstallSignalHandlers();
  pthread_kill(static_cast<pthread_t>(thread.native), kStopSignal);
}

void RaiseTrap(TrapKind kind) {
  ThreadState& st = t_state;
  if (st.target == nullptr) {
    // A trap outside any CallGuest is a host bug: guest code was entered without the
    // trampoline.
    std::abort();
  }
  st.in_guest = 0;
  siglongjmp(*st.target, static_cast<int>(kind));
}

}  // namespace rapidbyte::plugin::runtime
