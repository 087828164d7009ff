// The connector contract a module must meet before it is translated or loaded (SPEC §4.1):
// one 32-bit, non-shared linear memory exported as `memory`; function imports only from
// `rapidbyte` (the host functions of §4.6) and `wasi_snapshot_preview1`, with their exact
// signatures; and the exports of §4.5 that the connector's roles require.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "base/status.h"
#include "plugin/translate/wasm_module_info.h"

namespace rapidbyte::plugin::translate {

/// Names a connector in messages: "connector <id> <version>: ...".
struct ConnectorRef {
  std::string_view id;       // manifest id, e.g. "acme/source-x"
  std::string_view version;  // e.g. "0.2.0"
};

/// The roles a manifest declares. None set checks what every connector needs.
struct ConnectorRoles {
  bool source = false;
  bool destination = false;
  bool transform = false;
};

/// Check `info` against the contract. Returns the first violation as kInvalidArgument,
/// e.g. "connector acme/source-x 0.2.0: missing export rb_run_read (required for role
/// source)". Exports the roles do not need are still checked when present, so that the
/// host never calls a function through a mismatched signature.
Status CheckModule(const WasmModuleInfo& info, const ConnectorRef& who, ConnectorRoles roles);

/// Parse `wasm` and check it; a parse error reads
/// "connector <id> <version>: not a valid WebAssembly module: <problem>".
Status CheckModuleBytes(std::span<const std::uint8_t> wasm, const ConnectorRef& who,
                        ConnectorRoles roles);

/// The expected signature of the preview-1 function `name`, e.g. "(i32,i64,i32)->i32", or
/// "" when preview 1 has no such function.
std::string_view WasiPreview1Signature(std::string_view name);

/// The expected signature of the host function `name` (all i32), or "" when unknown.
std::string_view RapidbyteImportSignature(std::string_view name);

}  // namespace rapidbyte::plugin::translate
