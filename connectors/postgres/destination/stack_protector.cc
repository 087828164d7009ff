// The stack-protector symbols Debian's wasm32 compiler-rt builtins reference (its 128-bit
// division helpers, pulled in by pgwire's decimal128 <-> numeric code, are built with
// -fstack-protector), which wasi-libc does not define. A smashed canary traps the instance.
#include <cstdint>

extern "C" {

std::uintptr_t __stack_chk_guard = 0x5f3759df;

[[noreturn]] void __stack_chk_fail(void) { __builtin_trap(); }

}  // extern "C"
