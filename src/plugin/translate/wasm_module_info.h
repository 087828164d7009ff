// The parts of a WebAssembly binary module the host checks before it translates one: the
// types, imports, function signatures, memories and exports (core spec, binary format §5).
// Parsing is a pure function of the bytes (no I/O); hostile input yields an error Status,
// never a crash, and every length is checked against the bytes that remain.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace rapidbyte::plugin::translate {

/// Value types, encoded as in the binary format.
enum class ValType : std::uint8_t {
  kI32 = 0x7f,
  kI64 = 0x7e,
  kF32 = 0x7d,
  kF64 = 0x7c,
  kV128 = 0x7b,
  kFuncRef = 0x70,
  kExternRef = 0x6f,
};

/// "i32", "i64", ... as in the text format.
std::string_view ValTypeName(ValType type);

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  friend bool operator==(const FuncType&, const FuncType&) = default;
};

/// Render `type` as "(i32,i64)->i32"; no results print as "()", several as "(i32,i32)".
std::string FormatFuncType(const FuncType& type);

/// The kind of an import or export, encoded as in the binary format.
enum class ExternKind : std::uint8_t {
  kFunction = 0,
  kTable = 1,
  kMemory = 2,
  kGlobal = 3,
  kTag = 4,
};

/// "function", "table", "memory", "global" or "tag".
std::string_view ExternKindName(ExternKind kind);

/// A memory's limits in 64 KiB pages, and its flags.
struct MemoryType {
  std::uint64_t min_pages = 0;
  bool has_max = false;
  std::uint64_t max_pages = 0;
  bool shared = false;
  bool memory64 = false;
};

struct ImportEntry {
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::kFunction;
  std::uint32_t type_index = 0;  // functions and tags: index into WasmModuleInfo::types
  MemoryType memory;             // memories only
};

struct ExportEntry {
  std::string name;
  ExternKind kind = ExternKind::kFunction;
  std::uint32_t index = 0;  // into the index space of `kind`
};

/// What ParseWasmModule extracts. Index spaces list imported entities first, as in wasm.
struct WasmModuleInfo {
  std::vector<FuncType> types;
  std::vector<ImportEntry> imports;
  /// Type index of every function: imported functions first, then defined ones.
  std::vector<std::uint32_t> function_types;
  /// Every memory: imported first, then defined ones.
  std::vector<MemoryType> memories;
  std::vector<ExportEntry> exports;

  /// The signature of function `index`, or nullptr when there is no such function.
  const FuncType* FunctionType(std::uint32_t index) const;
  /// The export called `name`, or nullptr.
  const ExportEntry* FindExport(std::string_view name) const;
};

/// Modules larger than this are refused without being parsed.
inline constexpr std::uint64_t kMaxWasmModuleBytes = std::uint64_t{256} << 20;

/// Parse the header and the sections of a WebAssembly 1.0 binary. Known sections must come
/// in the standard order and at most once; the sections the host does not inspect (tables,
/// globals, code, data, custom) are only checked to fit. Errors read
/// "<problem> (at byte N)" and carry kInvalidArgument.
Result<WasmModuleInfo> ParseWasmModule(std::span<const std::uint8_t> bytes);

}  // namespace rapidbyte::plugin::translate
