// Test-only: assembles small WebAssembly binaries byte by byte (types, imports, functions
// with `unreachable` bodies, memories, exports), so checker tests state exactly which
// module they feed in. Header-only; not part of any library.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "plugin/translate/module_check.h"
#include "plugin/translate/wasm_module_info.h"

namespace rapidbyte::plugin::translate {

class WasmBuilder {
 public:
  using Bytes = std::vector<std::uint8_t>;

  static void Leb(Bytes& out, std::uint64_t value) {
    do {
      std::uint8_t byte = value & 0x7f;
      value >>= 7;
      if (value != 0) byte |= 0x80;
      out.push_back(byte);
    } while (value != 0);
  }
  static void Name(Bytes& out, std::string_view name) {
    Leb(out, name.size());
    out.insert(out.end(), name.begin(), name.end());
  }

  /// Add a function type; returns its index.
  std::uint32_t Type(const std::vector<ValType>& params, const std::vector<ValType>& results) {
    types_.push_back(0x60);
    Leb(types_, params.size());
    for (ValType t : params) types_.push_back(static_cast<std::uint8_t>(t));
    Leb(types_, results.size());
    for (ValType t : results) types_.push_back(static_cast<std::uint8_t>(t));
    return type_count_++;
  }

  /// Imports must all be added before the first Function().
  void ImportFunction(std::string_view module, std::string_view name, std::uint32_t type) {
    ImportHeader(module, name, 0x00);
    Leb(imports_, type);
    ++imported_functions_;
  }
  void ImportMemory(std::string_view module, std::string_view name, std::uint8_t flags,
                    std::uint64_t min) {
    ImportHeader(module, name, 0x02);
    imports_.push_back(flags);
    Leb(imports_, min);
    if (flags & 1) Leb(imports_, min);
  }
  void ImportGlobal(std::string_view module, std::string_view name) {
    ImportHeader(module, name, 0x03);
    imports_.push_back(static_cast<std::uint8_t>(ValType::kI32));
    imports_.push_back(0x00);
  }

  /// Define a function of `type` (body: unreachable); returns its function index.
  std::uint32_t Function(std::uint32_t type) {
    Leb(functions_, type);
    return imported_functions_ + defined_functions_++;
  }
  /// Define a memory with `flags` (1 max, 2 shared, 4 memory64) and min = max = `pages`.
  void Memory(std::uint8_t flags, std::uint64_t pages) {
    memories_.push_back(flags);
    Leb(memories_, pages);
    if (flags & 1) Leb(memories_, pages);
    ++memory_count_;
  }
  void Export(std::string_view name, ExternKind kind, std::uint32_t index) {
    Name(exports_, name);
    exports_.push_back(static_cast<std::uint8_t>(kind));
    Leb(exports_, index);
    ++export_count_;
  }
  /// Define a function of `type` and export it as `name`.
  void ExportFunction(std::string_view name, std::uint32_t type) {
    Export(name, ExternKind::kFunction, Function(type));
  }

  Bytes Build() const {
    Bytes out = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    Section(out, 1, type_count_, types_);
    Section(out, 2, import_count_, imports_);
    Section(out, 3, defined_functions_, functions_);
    Section(out, 5, memory_count_, memories_);
    Section(out, 7, export_count_, exports_);
    Bytes bodies;
    for (std::uint32_t i = 0; i < defined_functions_; ++i) {
      bodies.insert(bodies.end(), {0x03, 0x00, 0x00, 0x0b});  // size, no locals, unreachable
    }
    Section(out, 10, defined_functions_, bodies);
    return out;
  }

 private:
  void ImportHeader(std::string_view module, std::string_view name, std::uint8_t kind) {
    Name(imports_, module);
    Name(imports_, name);
    imports_.push_back(kind);
    ++import_count_;
  }
  static void Section(Bytes& out, std::uint8_t id, std::uint32_t count, const Bytes& body) {
    if (count == 0) return;
    Bytes content;
    Leb(content, count);
    content.insert(content.end(), body.begin(), body.end());
    out.push_back(id);
    Leb(out, content.size());
    out.insert(out.end(), content.begin(), content.end());
  }

  Bytes types_, imports_, functions_, memories_, exports_;
  std::uint32_t type_count_ = 0, import_count_ = 0, imported_functions_ = 0;
  std::uint32_t defined_functions_ = 0, memory_count_ = 0, export_count_ = 0;
};

/// A module that meets the contract for `roles`: one memory exported as `memory`, the
/// exports the roles need, and a few correct rapidbyte and WASI imports.
inline WasmBuilder ValidConnectorBuilderForTest(ConnectorRoles roles) {
  using V = ValType;
  WasmBuilder b;
  const std::uint32_t log = b.Type({V::kI32, V::kI32, V::kI32}, {V::kI32});
  const std::uint32_t clock = b.Type({V::kI32, V::kI64, V::kI32}, {V::kI32});
  const std::uint32_t exit = b.Type({V::kI32}, {});
  const std::uint32_t void_void = b.Type({}, {});
  const std::uint32_t void_i32 = b.Type({}, {V::kI32});
  const std::uint32_t i32_i32 = b.Type({V::kI32}, {V::kI32});
  const std::uint32_t dealloc = b.Type({V::kI32, V::kI32}, {});
  const std::uint32_t call = b.Type({V::kI32, V::kI32}, {V::kI64});
  b.ImportFunction("rapidbyte", "rb_host_log", log);
  b.ImportFunction("wasi_snapshot_preview1", "clock_time_get", clock);
  b.ImportFunction("wasi_snapshot_preview1", "proc_exit", exit);
  b.Memory(0, 2);
  b.Export("memory", ExternKind::kMemory, 0);
  b.ExportFunction("_initialize", void_void);
  b.ExportFunction("rb_abi_version", void_i32);
  b.ExportFunction("rb_allocate", i32_i32);
  b.ExportFunction("rb_deallocate", dealloc);
  b.ExportFunction("rb_open", call);
  b.ExportFunction("rb_validate", call);
  b.ExportFunction("rb_close", void_i32);
  if (roles.source) {
    b.ExportFunction("rb_discover", call);
    b.ExportFunction("rb_run_read", call);
  }
  if (roles.destination) b.ExportFunction("rb_run_write", call);
  if (roles.transform) b.ExportFunction("rb_run_transform", call);
  return b;
}

}  // namespace rapidbyte::plugin::translate
