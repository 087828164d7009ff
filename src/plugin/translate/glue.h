// Generation of the per-module C glue that adapts wasm2c's output to RbModuleTable.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace rapidbyte::plugin::translate {

/// The name wasm2c is run with (-n); every symbol of a translated module starts with it.
inline constexpr std::string_view kModulePrefix = "connector";

/// Generate the glue C source for the wasm2c header `header_text` (produced with
/// `wasm2c -n connector`) that includes it as `header_include`. Fails when the header does
/// not have the expected shape (no memory export, unexpected import modules).
Result<std::string> GenerateGlue(std::string_view header_text, std::string_view header_include);

/// Bumped whenever TuneGeneratedCode changes what it writes; part of the host ABI key, so
/// native code tuned differently is never taken from the cache.
inline constexpr int kCodeTuningVersion = 1;

/// Rewrite the C source that `wasm2c -n connector` (1.0.32) generated, `module_c`, with its
/// header `header_text`, so the C compiler can optimise memory accesses as it does native
/// code (docs/performance.md, "Plugin host"):
///  - Every function that loads or stores reads the base of linear memory once, into a
///    local, instead of through the instance at every access: a store through the `u8*`
///    memory may alias the instance, so the compiler had to reload the base after each one.
///    This relies on the runtime never moving a memory: it is reserved once, with guard
///    regions, and grown in place (src/plugin/runtime/wasm_rt_impl.cc).
///  - A load no longer forces its value into a register (an empty asm with the value as
///    input), which kept loads from folding into the instruction using them (`add $1, mem`).
///    A load whose value is never used may now be optimised away instead of trapping when
///    out of bounds; every access that is performed is still checked by the guard regions,
///    so nothing outside the memory is ever touched.
/// Loads and stores it does not know (SIMD, atomics) keep wasm2c's helpers. Fails when the
/// code does not have the shape wasm2c 1.0.32 writes.
Result<std::string> TuneGeneratedCode(std::string_view module_c, std::string_view header_text);

}  // namespace rapidbyte::plugin::translate
