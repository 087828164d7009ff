// Headers the generated glue and module code need at translation time, compiled into the
// binary so that an installed rapidbyte translates connectors against exactly the
// interfaces its own runtime implements.
#pragma once

#include <string_view>

namespace rapidbyte::plugin::translate {

/// The text of src/plugin/runtime/module_table.h.
std::string_view EmbeddedModuleTableHeader();
/// The text of the wasm-rt.h the host runtime (runtime/wasm_rt_impl.cc) was built against.
std::string_view EmbeddedWasmRtHeader();

}  // namespace rapidbyte::plugin::translate
