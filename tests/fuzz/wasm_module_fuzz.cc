// Fuzz target: the WebAssembly module parser and the connector contract check must reject
// any input with an error, never crash, leak, hang or allocate without bound.
#include <cstddef>
#include <cstdint>
#include <span>

#include "plugin/translate/module_check.h"
#include "plugin/translate/wasm_module_info.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace translate = rapidbyte::plugin::translate;
  const std::span<const std::uint8_t> bytes(data, size);
  auto info = translate::ParseWasmModule(bytes);
  if (!info.ok()) return 0;
  for (const translate::FuncType& type : info->types) (void)translate::FormatFuncType(type);
  for (std::uint32_t i = 0; i < info->function_types.size(); ++i) (void)info->FunctionType(i);
  const translate::ConnectorRef who{"fuzz/connector", "0.0.0"};
  for (translate::ConnectorRoles roles :
       {translate::ConnectorRoles{}, translate::ConnectorRoles{true, true, true}}) {
    (void)translate::CheckModule(*info, who, roles).message();
  }
  return 0;
}
