// Module: a translated connector's native code, loaded with dlopen. Immutable once loaded
// and shared by all instances of the connector (thread-safe).
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "base/result.h"
#include "plugin/runtime/module_table.h"

namespace rapidbyte::plugin {

class Module {
 public:
  /// dlopen `so_path` (RTLD_NOW | RTLD_LOCAL) and look up rb_module_table. `name` names the
  /// module in messages.
  static Result<std::shared_ptr<Module>> Load(const std::string& so_path, std::string name);
  ~Module();
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  const RbModuleTable& table() const { return *table_; }
  const std::string& name() const { return name_; }
  /// Run the module's one-time initialisation (function types, data) once.
  void EnsureInitialized() const;

 private:
  Module(void* handle, const RbModuleTable* table, std::string name)
      : handle_(handle), table_(table), name_(std::move(name)) {}
  void* handle_;
  const RbModuleTable* table_;
  std::string name_;
  mutable std::once_flag init_once_;
};

}  // namespace rapidbyte::plugin
