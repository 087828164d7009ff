// Loading translated connectors. Symbols the generated code imports (the wasm-rt runtime,
// the rapidbyte and WASI host functions) resolve against the host executable, which is
// linked with -rdynamic.
#include "plugin/module.h"

#include <dlfcn.h>

#include "plugin/host_error.h"

namespace rapidbyte::plugin {

Result<std::shared_ptr<Module>> Module::Load(const std::string& so_path, std::string name) {
  void* handle = dlopen(so_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    return HostError(StatusCode::kFailedPrecondition, protocol::ErrorCategory::kInternal,
                     "LOAD_FAILED",
                     "cannot load native code of connector " + name + " from " + so_path + ": " +
                         (why ? why : "unknown error"));
  }
  auto table_fn = reinterpret_cast<RbModuleTableFn>(dlsym(handle, "rb_module_table"));
  const RbModuleTable* table = table_fn ? table_fn() : nullptr;
  if (table == nullptr || table->table_version != RB_MODULE_TABLE_VERSION) {
    dlclose(handle);
    return HostError(
        StatusCode::kFailedPrecondition, protocol::ErrorCategory::kInternal, "LOAD_FAILED",
        "native code of connector " + name + " (" + so_path + ") has no compatible module table");
  }
  return std::shared_ptr<Module>(new Module(handle, table, std::move(name)));
}

Module::~Module() {
  if (handle_ != nullptr) dlclose(handle_);
}

void Module::EnsureInitialized() const {
  std::call_once(init_once_, [this] {
    wasm_rt_init();  // idempotent; the generated init asserts the runtime is ready
    table_->init_module();
  });
}

}  // namespace rapidbyte::plugin
