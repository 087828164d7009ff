// The native-code cache (SPEC §4.1): translated connectors stored under
// $RAPIDBYTE_CACHE_DIR (default ~/.rapidbyte/cache), keyed by the SHA-256 of the .wasm bytes
// and the host ABI key, and verified (footer, key, module hash, content hash) before every
// use. Entries are built in a private temporary directory and renamed into place under a
// per-entry file lock, so concurrent threads and processes never see a partial entry and
// translate a module once. Host only; every function is thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "plugin/translate/native_footer.h"

namespace rapidbyte::plugin::translate {

/// Where verified native code came from.
enum class NativeCodeOrigin {
  kBundled,     // the shared object shipped beside the .wasm (accept_bundled)
  kCached,      // an existing cache entry
  kTranslated,  // translated by this call
};

/// "bundled", "cached" or "translated".
std::string_view NativeCodeOriginName(NativeCodeOrigin origin);

struct EnsureOptions {
  /// Accept `<stem>.so` beside the .wasm when its footer verifies. Set this only for the
  /// installation's own bundled-connector folder: a shared object is unsandboxed code, so one
  /// that arrived with a third-party .wasm is never trusted (it is translated instead).
  bool accept_bundled = false;
  /// When set, receives the origin of the returned code.
  NativeCodeOrigin* origin = nullptr;
  /// The module's SHA-256 when the caller has just hashed it: the .wasm is then read only
  /// if it has to be translated (and must still have this hash).
  std::string wasm_sha256;
};

/// $RAPIDBYTE_CACHE_DIR, else $HOME/.rapidbyte/cache.
Result<std::string> DefaultCacheDir();

/// The cache entry for a module with hash `wasm_sha256`:
/// <cache_dir>/native/<wasm_sha256>-<first 16 hex digits of SHA-256(HostAbiKey())>.so
std::string NativeCacheEntryPath(const std::string& cache_dir, std::string_view wasm_sha256);

/// Return the path of verified native code for the module `wasm_path`: the bundled object
/// (see EnsureOptions), else the cache entry, else a new translation stored in the cache.
/// A cache entry that fails verification is logged, never loaded, and replaced. The module
/// must already have passed CheckModule for its roles; translation re-checks the
/// role-independent contract.
Result<std::string> EnsureNativeCode(const std::string& wasm_path, const std::string& connector,
                                     const std::string& version, const std::string& cache_dir,
                                     const EnsureOptions& options = {});

/// What `rapidbyte connectors list` reports: "ready", "cached", "will translate on first use".
enum class NativeCodeState { kBundled, kCached, kNeedsTranslation };

/// Without translating: where verified native code for `wasm_path` is available.
Result<NativeCodeState> ProbeNativeCode(const std::string& wasm_path, const std::string& cache_dir,
                                        bool accept_bundled);

}  // namespace rapidbyte::plugin::translate
