// The metadata footer every translated connector (.so) carries, and the host ABI key it
// records (format: docs/formats/native-code.md). The footer is appended after the ELF image
// (the loader ignores trailing bytes) and is read and checked before dlopen (STYLE #10).
//
// Layout: <shared object> <JSON, n bytes> <n as u32 little-endian> <"RBNATIV1">.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace rapidbyte::plugin::translate {

/// The flags generated C is compiled with (besides -I and -o); part of the ABI key.
/// -funroll-loops: a wasm loop carries more instructions than its native twin (32-bit address
/// arithmetic, a separate index), so loop overhead weighs more; unrolling took the compute
/// kernel from 1.33x to 1.25x native for 11% more compile time (docs/performance.md).
/// cmake/RbWasm.cmake compiles bundled connectors with the same flags.
inline constexpr const char* kNativeCFlags[] = {"-shared", "-fPIC", "-O2", "-funroll-loops",
                                                "-fvisibility=hidden", "-w"};

/// The 8 bytes that end every footer.
inline constexpr std::string_view kNativeFooterMagic = "RBNATIV1";
/// Footers with a longer JSON document are rejected.
inline constexpr std::uint32_t kMaxNativeFooterJson = 64 * 1024;

/// This host's ABI key: rapidbyte, protocol, module-table and wasm2c versions, the C
/// compiler and target the host was configured with, kNativeCFlags and the version of the
/// tuning applied to wasm2c's output (kCodeTuningVersion in glue.h). Computed from
/// compile-time constants only, so build-time tools and the host agree on it.
const std::string& HostAbiKey();
/// The wasm2c version this host's runtime implements ("1.0.32").
std::string_view HostWasm2cVersion();
/// The first line of `--version` of the C compiler the host was configured with.
std::string_view HostCompilerIdentity();

struct NativeFooter {
  std::string abi_key;      // HostAbiKey() of the host that translated the module
  std::string wasm_sha256;  // hex SHA-256 of the .wasm bytes translated
  std::string so_sha256;    // hex SHA-256 of the shared object (the bytes before the footer)
  std::string connector;    // informational: the connector's name
  std::string rapidbyte;    // informational: the rapidbyte version
  std::string compiler;     // informational: `--version` line of the compiler actually used
};

/// The footer bytes (JSON, length, magic) for `footer`.
std::string EncodeNativeFooter(const NativeFooter& footer);

/// Read the footer of the open file `fd` of `file_size` bytes; `payload_size` receives the
/// size of the shared object in front of it. Errors are kFailedPrecondition.
Status ReadNativeFooter(int fd, std::uint64_t file_size, NativeFooter* footer,
                        std::uint64_t* payload_size);

/// Append a footer to the shared object `so_path` (replacing one already there), recording
/// its content hash, HostAbiKey(), `wasm_sha256`, `connector` and `compiler`.
Status StampNativeCode(const std::string& so_path, std::string_view wasm_sha256,
                       std::string_view connector, std::string_view compiler);

/// Check `so_path` before it is loaded: its footer must carry this host's ABI key and
/// `wasm_sha256`, and the shared object must hash to the footer's so_sha256.
/// kFailedPrecondition when the object is missing, has no valid footer, or is stale (other
/// key or module); kDataLoss when it was modified after it was stamped.
Status VerifyNativeCode(const std::string& so_path, std::string_view wasm_sha256);

}  // namespace rapidbyte::plugin::translate
