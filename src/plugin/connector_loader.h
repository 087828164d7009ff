// Loading a resolved connector for use (SPEC §4.1): read its .wasm, verify the manifest's
// checksum, check the module against the roles it is used in, obtain verified native code
// (bundled object, cache entry, or a translation into the cache) and dlopen it. Also where
// the installation's bundled connectors live. Host only.
//
// The shared object that is loaded is bound to the exact bytes that were checked: its
// footer must name their SHA-256, so a module replaced between the check and the
// translation is never loaded.
#pragma once

#include <memory>
#include <string>

#include "base/result.h"
#include "plugin/manifest/manifest.h"
#include "plugin/manifest/resolve.h"
#include "plugin/module.h"
#include "plugin/translate/cache.h"
#include "plugin/translate/module_check.h"

namespace rapidbyte::plugin {

struct LoadedConnector {
  std::shared_ptr<Module> module;
  std::string wasm_path;
  std::string wasm_sha256;  // of the bytes that were checked and translated
  std::string native_path;  // the shared object that was loaded
  translate::NativeCodeOrigin origin = translate::NativeCodeOrigin::kCached;
  /// Native-code load time (SPEC §5.10): cache lookup and dlopen, first-use translation
  /// excluded. When the code was translated by this call it covers checking the result
  /// and dlopen only.
  double module_load_ms = 0;
  /// Time spent translating on first use; 0 unless origin is kTranslated.
  double translate_ms = 0;
};

/// Every role `manifest` declares (what `connectors install` checks the module for).
translate::ConnectorRoles DeclaredRoles(const manifest::Manifest& manifest);

/// The checks done before a module is translated or loaded, on the bytes of `wasm_path`
/// (at most kMaxWasmModuleBytes): `roles` must be declared by `manifest` (else
/// InvalidArgument); when the manifest has artifact.checksum the SHA-256 must match
/// ("WASM checksum mismatch for <path>. Expected: <value>, file may be corrupted or
/// tampered.", InvalidArgument); CheckModuleBytes for `roles` (InvalidArgument naming the
/// connector). An unreadable file keeps its code (NotFound when missing). Returns the
/// SHA-256 (hex) of the checked bytes.
Result<std::string> CheckConnectorModule(const manifest::Manifest& manifest,
                                         const std::string& wasm_path,
                                         translate::ConnectorRoles roles);

/// Load `connector` for use in `roles` (a subset of the manifest's roles): the checks of
/// CheckConnectorModule; EnsureNativeCode with `cache_dir`, accepting the object shipped
/// beside the .wasm only when `bundled_location` (the installation's own folder); the
/// object must be the translation of the checked bytes; dlopen. Translation failures keep
/// their code (e.g. FailedPrecondition without a C compiler).
Result<LoadedConnector> LoadConnector(const manifest::ResolvedConnector& connector,
                                      translate::ConnectorRoles roles, const std::string& cache_dir,
                                      bool bundled_location);

/// The bundled-connector folder for an executable at `exe_path`, with <dir> its folder and
/// <prefix> the parent of <dir>: in a development build (<prefix>/CMakeCache.txt exists,
/// the binary being build/<preset>/bin/rapidbyte) the build tree's `<prefix>/connectors`;
/// otherwise the installed layout `<prefix>/lib/rapidbyte/connectors`. The folder need
/// not exist.
std::string BundledConnectorDirFor(const std::string& exe_path);

/// BundledConnectorDirFor the running executable (/proc/self/exe); NotFound when the
/// executable's path cannot be read.
Result<std::string> BundledConnectorDir();

}  // namespace rapidbyte::plugin
