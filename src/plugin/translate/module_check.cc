// Signature tables for the two import modules and the guest exports, and the checks that
// apply them. The WASI table is the whole of wasi_snapshot_preview1 (witx), with i64 where
// WASI passes u64/s64 values (timestamps, file sizes and offsets, rights, dir cookies).
#include "plugin/translate/module_check.h"

#include <cstdio>
#include <string>

namespace rapidbyte::plugin::translate {
namespace {

struct Signature {
  std::string_view name;
  std::string_view type;
};

constexpr Signature kWasiPreview1[] = {
    {"args_get", "(i32,i32)->i32"},
    {"args_sizes_get", "(i32,i32)->i32"},
    {"environ_get", "(i32,i32)->i32"},
    {"environ_sizes_get", "(i32,i32)->i32"},
    {"clock_res_get", "(i32,i32)->i32"},
    {"clock_time_get", "(i32,i64,i32)->i32"},
    {"fd_advise", "(i32,i64,i64,i32)->i32"},
    {"fd_allocate", "(i32,i64,i64)->i32"},
    {"fd_close", "(i32)->i32"},
    {"fd_datasync", "(i32)->i32"},
    {"fd_fdstat_get", "(i32,i32)->i32"},
    {"fd_fdstat_set_flags", "(i32,i32)->i32"},
    {"fd_fdstat_set_rights", "(i32,i64,i64)->i32"},
    {"fd_filestat_get", "(i32,i32)->i32"},
    {"fd_filestat_set_size", "(i32,i64)->i32"},
    {"fd_filestat_set_times", "(i32,i64,i64,i32)->i32"},
    {"fd_pread", "(i32,i32,i32,i64,i32)->i32"},
    {"fd_prestat_get", "(i32,i32)->i32"},
    {"fd_prestat_dir_name", "(i32,i32,i32)->i32"},
    {"fd_pwrite", "(i32,i32,i32,i64,i32)->i32"},
    {"fd_read", "(i32,i32,i32,i32)->i32"},
    {"fd_readdir", "(i32,i32,i32,i64,i32)->i32"},
    {"fd_renumber", "(i32,i32)->i32"},
    {"fd_seek", "(i32,i64,i32,i32)->i32"},
    {"fd_sync", "(i32)->i32"},
    {"fd_tell", "(i32,i32)->i32"},
    {"fd_write", "(i32,i32,i32,i32)->i32"},
    {"path_create_directory", "(i32,i32,i32)->i32"},
    {"path_filestat_get", "(i32,i32,i32,i32,i32)->i32"},
    {"path_filestat_set_times", "(i32,i32,i32,i32,i64,i64,i32)->i32"},
    {"path_link", "(i32,i32,i32,i32,i32,i32,i32)->i32"},
    {"path_open", "(i32,i32,i32,i32,i32,i64,i64,i32,i32)->i32"},
    {"path_readlink", "(i32,i32,i32,i32,i32,i32)->i32"},
    {"path_remove_directory", "(i32,i32,i32)->i32"},
    {"path_rename", "(i32,i32,i32,i32,i32,i32)->i32"},
    {"path_symlink", "(i32,i32,i32,i32,i32)->i32"},
    {"path_unlink_file", "(i32,i32,i32)->i32"},
    {"poll_oneoff", "(i32,i32,i32,i32)->i32"},
    {"proc_exit", "(i32)->()"},
    {"proc_raise", "(i32)->i32"},
    {"sched_yield", "()->i32"},
    {"random_get", "(i32,i32)->i32"},
    {"sock_accept", "(i32,i32,i32)->i32"},
    {"sock_recv", "(i32,i32,i32,i32,i32,i32)->i32"},
    {"sock_send", "(i32,i32,i32,i32,i32)->i32"},
    {"sock_shutdown", "(i32,i32)->i32"},
};

// SPEC §4.6: every parameter and result is i32.
constexpr Signature kRapidbyte[] = {
    {"rb_host_log", "(i32,i32,i32)->i32"},
    {"rb_host_emit_batch", "(i32,i32)->i32"},
    {"rb_host_next_batch", "(i32,i32,i32)->i32"},
    {"rb_host_last_error", "(i32,i32,i32)->i32"},
    {"rb_host_state_get", "(i32,i32,i32,i32,i32,i32)->i32"},
    {"rb_host_state_put", "(i32,i32,i32,i32,i32)->i32"},
    {"rb_host_state_cas", "(i32,i32,i32,i32,i32,i32,i32)->i32"},
    {"rb_host_checkpoint", "(i32,i32,i32)->i32"},
    {"rb_host_metric", "(i32,i32)->i32"},
    {"rb_host_commit_token", "(i32,i32,i32)->i32"},
    {"rb_host_report_commit", "(i32,i32)->i32"},
    {"rb_host_committed_position", "(i32,i32,i32)->i32"},
    {"rb_host_net_connect", "(i32,i32,i32,i32,i32)->i32"},
    {"rb_host_net_start_tls", "(i32,i32,i32,i32,i32)->i32"},
    {"rb_host_net_read", "(i32,i32,i32,i32,i32)->i32"},
    {"rb_host_net_write", "(i32,i32,i32,i32)->i32"},
    {"rb_host_net_close", "(i32)->i32"},
    {"rb_host_is_cancelled", "()->i32"},
    {"rb_host_compress", "(i32,i32,i32,i32,i32,i32,i32)->i32"},
    {"rb_host_decompress", "(i32,i32,i32,i32,i32,i32)->i32"},
};

enum class Need { kOptional, kAll, kSource, kDestination, kTransform };

struct ExportRule {
  std::string_view name;
  std::string_view type;
  Need need;
};

// SPEC §4.5.
constexpr ExportRule kExports[] = {
    {"_initialize", "()->()", Need::kOptional},
    {"rb_abi_version", "()->i32", Need::kAll},
    {"rb_allocate", "(i32)->i32", Need::kAll},
    {"rb_deallocate", "(i32,i32)->()", Need::kAll},
    {"rb_open", "(i32,i32)->i64", Need::kAll},
    {"rb_validate", "(i32,i32)->i64", Need::kAll},
    {"rb_discover", "(i32,i32)->i64", Need::kSource},
    {"rb_run_read", "(i32,i32)->i64", Need::kSource},
    {"rb_run_write", "(i32,i32)->i64", Need::kDestination},
    {"rb_run_transform", "(i32,i32)->i64", Need::kTransform},
    {"rb_close", "()->i32", Need::kAll},
};

template <std::size_t N>
std::string_view Lookup(const Signature (&table)[N], std::string_view name) {
  for (const Signature& entry : table) {
    if (entry.name == name) return entry.type;
  }
  return {};
}

// A module-supplied name, safe to print: control bytes escaped, long names shortened.
std::string Printable(std::string_view name) {
  constexpr std::size_t kMaxShown = 80;
  std::string out;
  for (std::size_t i = 0; i < name.size() && i < kMaxShown; ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c < 0x20 || c == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\x%02x", static_cast<unsigned>(c));
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (name.size() > kMaxShown) out += "...";
  return out;
}

class Checker {
 public:
  Checker(const WasmModuleInfo& info, const ConnectorRef& who) : info_(info), who_(who) {}

  Status Fail(const std::string& problem) const {
    return Status::InvalidArgument("connector " + std::string(who_.id) + " " +
                                   std::string(who_.version) + ": " + problem);
  }

  Status CheckImports() const {
    for (const ImportEntry& import : info_.imports) {
      const std::string qualified = Printable(import.module) + "." + Printable(import.name);
      std::string_view expected;
      if (import.module == "rapidbyte") {
        expected = RapidbyteImportSignature(import.name);
        if (expected.empty()) {
          return Fail("imports " + qualified + ", which the host does not provide");
        }
      } else if (import.module == "wasi_snapshot_preview1") {
        expected = WasiPreview1Signature(import.name);
        if (expected.empty()) {
          return Fail("imports " + qualified + ", which is not a WASI preview 1 function");
        }
      } else {
        return Fail("imports " + qualified +
                    ", only rapidbyte and wasi_snapshot_preview1 are allowed");
      }
      if (import.kind != ExternKind::kFunction) {
        return Fail("imports " + qualified + " as a " + std::string(ExternKindName(import.kind)) +
                    ", only functions may be imported");
      }
      const std::string actual = import.type_index < info_.types.size()
                                     ? FormatFuncType(info_.types[import.type_index])
                                     : "?";
      if (actual != expected) {
        return Fail("import " + qualified + " has signature " + actual + ", expected " +
                    std::string(expected));
      }
    }
    return Status::OK();
  }

  Status CheckMemory() const {
    if (info_.memories.empty()) {
      return Fail("defines no linear memory (one 32-bit memory exported as 'memory' is needed)");
    }
    if (info_.memories.size() > 1) {
      return Fail("has " + std::to_string(info_.memories.size()) +
                  " linear memories, exactly one is allowed");
    }
    const MemoryType& memory = info_.memories.front();
    if (memory.memory64) return Fail("uses a 64-bit memory (memory64), which is not supported");
    if (memory.shared) return Fail("uses a shared memory, which is not supported");
    const ExportEntry* exp = info_.FindExport("memory");
    if (exp == nullptr) return Fail("does not export its memory as 'memory'");
    if (exp->kind != ExternKind::kMemory) {
      return Fail("export memory is a " + std::string(ExternKindName(exp->kind)) +
                  ", expected a memory");
    }
    return Status::OK();
  }

  Status CheckExports(ConnectorRoles roles) const {
    for (const ExportRule& rule : kExports) {
      const ExportEntry* exp = info_.FindExport(rule.name);
      if (exp == nullptr) {
        const char* why = RequiredBecause(rule.need, roles);
        if (why == nullptr) continue;
        return Fail("missing export " + std::string(rule.name) + " (" + why + ")");
      }
      if (exp->kind != ExternKind::kFunction) {
        return Fail("export " + std::string(rule.name) + " is a " +
                    std::string(ExternKindName(exp->kind)) + ", expected a function");
      }
      const FuncType* type = info_.FunctionType(exp->index);
      const std::string actual = type ? FormatFuncType(*type) : "?";
      if (actual != rule.type) {
        return Fail("export " + std::string(rule.name) + " has signature " + actual +
                    ", expected " + std::string(rule.type));
      }
    }
    return Status::OK();
  }

 private:
  // Why a missing export is an error, or nullptr when it may be absent.
  static const char* RequiredBecause(Need need, ConnectorRoles roles) {
    switch (need) {
      case Need::kAll:
        return "required for every connector";
      case Need::kSource:
        return roles.source ? "required for role source" : nullptr;
      case Need::kDestination:
        return roles.destination ? "required for role destination" : nullptr;
      case Need::kTransform:
        return roles.transform ? "required for role transform" : nullptr;
      case Need::kOptional:
        return nullptr;
    }
    return nullptr;
  }

  const WasmModuleInfo& info_;
  const ConnectorRef& who_;
};

}  // namespace

std::string_view WasiPreview1Signature(std::string_view name) {
  return Lookup(kWasiPreview1, name);
}

std::string_view RapidbyteImportSignature(std::string_view name) {
  return Lookup(kRapidbyte, name);
}

Status CheckModule(const WasmModuleInfo& info, const ConnectorRef& who, ConnectorRoles roles) {
  const Checker checker(info, who);
  RB_RETURN_NOT_OK(checker.CheckImports());
  RB_RETURN_NOT_OK(checker.CheckMemory());
  return checker.CheckExports(roles);
}

Status CheckModuleBytes(std::span<const std::uint8_t> wasm, const ConnectorRef& who,
                        ConnectorRoles roles) {
  auto info = ParseWasmModule(wasm);
  if (!info.ok()) {
    return Status::InvalidArgument("connector " + std::string(who.id) + " " +
                                   std::string(who.version) +
                                   ": not a valid WebAssembly module: " + info.status().message());
  }
  return CheckModule(*info, who, roles);
}

}  // namespace rapidbyte::plugin::translate
