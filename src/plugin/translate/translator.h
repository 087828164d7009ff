// Translation of a checked WebAssembly module into native code: wasm2c, the per-module
// glue (glue.h), then the system C compiler, producing a shared object that carries the
// native-code footer (native_footer.h). Host only. Stateless; safe to call from several
// threads and processes as long as each call has its own work directory.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"

namespace rapidbyte::plugin::translate {

struct TranslateRequest {
  std::string wasm_path;    // the module; its bytes must hash to wasm_sha256
  std::string wasm_sha256;  // recorded in the footer
  std::string connector;    // names the connector in messages and the footer
  std::string version;
  std::string work_dir;     // an existing, empty, private directory for intermediate files
  std::string output_path;  // the shared object to write (usually inside work_dir)
};

/// The compiler command from $CC (split on blanks; its first word resolved on PATH), else
/// `cc`. Fails with "cannot translate connector <connector>: no C compiler found (set CC)".
Result<std::vector<std::string>> FindCCompiler(const std::string& connector);

/// Check the module's connector contract (the role-independent part), translate it with
/// wasm2c (found on PATH, and of the version this host was built for), compile it and stamp
/// the footer. Logs "Translating <name> <version> to native code (first use)...".
Status Translate(const TranslateRequest& request);

}  // namespace rapidbyte::plugin::translate
