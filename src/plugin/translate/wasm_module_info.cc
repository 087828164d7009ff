// A bounded reader for the WebAssembly binary format and the section parsers built on it.
// Every count and length is compared with the bytes that remain (in 64-bit arithmetic)
// before anything is allocated, and capped, so the work done is linear in the input.
#include "plugin/translate/wasm_module_info.h"

#include <cstdio>
#include <unordered_set>

#include "base/utf8.h"

namespace rapidbyte::plugin::translate {
namespace {

// Caps, from the implementation limits JavaScript engines apply (wasm JS API, "Limits").
constexpr std::uint64_t kMaxTypes = 1000000;
constexpr std::uint64_t kMaxFunctions = 1000000;
constexpr std::uint64_t kMaxImports = 100000;
constexpr std::uint64_t kMaxExports = 100000;
constexpr std::uint64_t kMaxParams = 1000;
constexpr std::uint64_t kMaxResults = 1000;
constexpr std::uint64_t kMaxMemories = 100;
constexpr std::uint64_t kMaxNameBytes = 100000;
constexpr std::uint64_t kMax32BitPages = 65536;  // 4 GiB

class Reader {
 public:
  Reader() = default;
  Reader(std::span<const std::uint8_t> data, std::uint64_t base) : data_(data), base_(base) {}

  bool empty() const { return pos_ == data_.size(); }
  std::uint64_t remaining() const { return data_.size() - pos_; }

  Status Fail(std::string_view problem) const {
    return Status::InvalidArgument(std::string(problem) + " (at byte " +
                                   std::to_string(base_ + pos_) + ")");
  }

  Status Byte(std::uint8_t* out) {
    if (empty()) return Fail("unexpected end of data");
    *out = data_[pos_++];
    return Status::OK();
  }

  // Unsigned LEB128 of at most `bits` bits: at most ceil(bits / 7) bytes, and the unused
  // bits of the last byte must be zero.
  Status Leb(unsigned bits, std::uint64_t* out) {
    const unsigned max_bytes = (bits + 6) / 7;
    std::uint64_t value = 0;
    for (unsigned i = 0; i < max_bytes; ++i) {
      std::uint8_t byte = 0;
      RB_RETURN_NOT_OK(Byte(&byte));
      const unsigned shift = 7 * i;
      if (i + 1 == max_bytes) {
        const unsigned used = bits - shift;  // 1..7 significant bits in the last byte
        if ((byte & 0x80) != 0) return Fail("integer representation too long");
        if ((byte >> used) != 0) return Fail("integer too large");
      }
      value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) break;
    }
    *out = value;
    return Status::OK();
  }

  Status U32(std::uint32_t* out) {
    std::uint64_t value = 0;
    RB_RETURN_NOT_OK(Leb(32, &value));
    *out = static_cast<std::uint32_t>(value);
    return Status::OK();
  }
  Status U64(std::uint64_t* out) { return Leb(64, out); }

  // A vector length: each element takes at least one byte, so a count above the bytes left
  // is malformed whatever the elements are; `cap` bounds the work on well-formed input.
  Status Count(std::uint64_t cap, std::string_view what, std::uint32_t* out) {
    RB_RETURN_NOT_OK(U32(out));
    if (*out > remaining()) {
      return Fail(std::string(what) + " count " + std::to_string(*out) + " exceeds the " +
                  std::to_string(remaining()) + " bytes left");
    }
    if (*out > cap) {
      return Fail("too many " + std::string(what) + " (" + std::to_string(*out) + ", at most " +
                  std::to_string(cap) + ")");
    }
    return Status::OK();
  }

  // The next `size` bytes as a reader of their own (a section or a name).
  Status Sub(std::uint64_t size, Reader* out) {
    if (size > remaining()) {
      return Fail("length " + std::to_string(size) + " exceeds the " + std::to_string(remaining()) +
                  " bytes left");
    }
    *out = Reader(data_.subspan(pos_, size), base_ + pos_);
    pos_ += size;
    return Status::OK();
  }

  Status Name(std::string* out) {
    std::uint32_t size = 0;
    RB_RETURN_NOT_OK(U32(&size));
    if (size > kMaxNameBytes) return Fail("name longer than 100000 bytes");
    Reader bytes;
    RB_RETURN_NOT_OK(Sub(size, &bytes));
    out->assign(reinterpret_cast<const char*>(bytes.data_.data()), bytes.data_.size());
    if (!IsValidUtf8(*out)) return bytes.Fail("name is not valid UTF-8");
    return Status::OK();
  }

  void SkipRest() { pos_ = data_.size(); }

 private:
  std::span<const std::uint8_t> data_;
  std::size_t pos_ = 0;
  std::uint64_t base_ = 0;
};

std::string Hex(std::uint8_t byte) {
  char text[8];
  std::snprintf(text, sizeof(text), "0x%02x", static_cast<unsigned>(byte));
  return text;
}

Status ReadValType(Reader& r, ValType* out) {
  std::uint8_t byte = 0;
  RB_RETURN_NOT_OK(r.Byte(&byte));
  switch (byte) {
    case 0x7f:
    case 0x7e:
    case 0x7d:
    case 0x7c:
    case 0x7b:
    case 0x70:
    case 0x6f:
      *out = static_cast<ValType>(byte);
      return Status::OK();
    default:
      return r.Fail("unknown value type " + Hex(byte));
  }
}

Status ReadValTypes(Reader& r, std::uint64_t cap, std::string_view what,
                    std::vector<ValType>* out) {
  std::uint32_t count = 0;
  RB_RETURN_NOT_OK(r.Count(cap, what, &count));
  out->resize(count);
  for (ValType& type : *out) RB_RETURN_NOT_OK(ReadValType(r, &type));
  return Status::OK();
}

Status ReadMemoryType(Reader& r, MemoryType* out) {
  std::uint8_t flags = 0;
  RB_RETURN_NOT_OK(r.Byte(&flags));
  if ((flags & ~0x07u) != 0) return r.Fail("unsupported memory flags " + Hex(flags));
  out->has_max = (flags & 0x01) != 0;
  out->shared = (flags & 0x02) != 0;
  out->memory64 = (flags & 0x04) != 0;
  const unsigned bits = out->memory64 ? 64 : 32;
  RB_RETURN_NOT_OK(r.Leb(bits, &out->min_pages));
  if (out->has_max) RB_RETURN_NOT_OK(r.Leb(bits, &out->max_pages));
  if (out->has_max && out->max_pages < out->min_pages) {
    return r.Fail("memory maximum is below its minimum");
  }
  if (!out->memory64 && (out->min_pages > kMax32BitPages || out->max_pages > kMax32BitPages)) {
    return r.Fail("memory larger than 4 GiB");
  }
  return Status::OK();
}

Status ReadTableType(Reader& r) {
  std::uint8_t ref = 0;
  RB_RETURN_NOT_OK(r.Byte(&ref));
  if (ref != 0x70 && ref != 0x6f) return r.Fail("unknown table element type " + Hex(ref));
  std::uint8_t flags = 0;
  RB_RETURN_NOT_OK(r.Byte(&flags));
  if (flags > 1) return r.Fail("unsupported table flags " + Hex(flags));
  std::uint32_t limit = 0;
  RB_RETURN_NOT_OK(r.U32(&limit));
  if (flags == 1) RB_RETURN_NOT_OK(r.U32(&limit));
  return Status::OK();
}

Status ReadTypeIndex(Reader& r, const WasmModuleInfo& info, std::uint32_t* out) {
  RB_RETURN_NOT_OK(r.U32(out));
  if (*out >= info.types.size())
    return r.Fail("type index " + std::to_string(*out) + " out of range");
  return Status::OK();
}

Status ParseTypes(Reader& r, WasmModuleInfo* info) {
  std::uint32_t count = 0;
  RB_RETURN_NOT_OK(r.Count(kMaxTypes, "types", &count));
  info->types.resize(count);
  for (FuncType& type : info->types) {
    std::uint8_t form = 0;
    RB_RETURN_NOT_OK(r.Byte(&form));
    if (form != 0x60) return r.Fail("unsupported type form " + Hex(form));
    RB_RETURN_NOT_OK(ReadValTypes(r, kMaxParams, "parameters", &type.params));
    RB_RETURN_NOT_OK(ReadValTypes(r, kMaxResults, "results", &type.results));
  }
  return Status::OK();
}

Status ParseImports(Reader& r, WasmModuleInfo* info) {
  std::uint32_t count = 0;
  RB_RETURN_NOT_OK(r.Count(kMaxImports, "imports", &count));
  info->imports.resize(count);
  for (ImportEntry& import : info->imports) {
    RB_RETURN_NOT_OK(r.Name(&import.module));
    RB_RETURN_NOT_OK(r.Name(&import.name));
    std::uint8_t kind = 0;
    RB_RETURN_NOT_OK(r.Byte(&kind));
    switch (kind) {
      case 0x00:
        RB_RETURN_NOT_OK(ReadTypeIndex(r, *info, &import.type_index));
        info->function_types.push_back(import.type_index);
        break;
      case 0x01:
        RB_RETURN_NOT_OK(ReadTableType(r));
        break;
      case 0x02:
        if (info->memories.size() >= kMaxMemories) return r.Fail("too many memories");
        RB_RETURN_NOT_OK(ReadMemoryType(r, &import.memory));
        info->memories.push_back(import.memory);
        break;
      case 0x03: {
        ValType type;
        std::uint8_t mut = 0;
        RB_RETURN_NOT_OK(ReadValType(r, &type));
        RB_RETURN_NOT_OK(r.Byte(&mut));
        if (mut > 1) return r.Fail("unknown global mutability " + Hex(mut));
        break;
      }
      case 0x04: {
        std::uint8_t attribute = 0;
        RB_RETURN_NOT_OK(r.Byte(&attribute));
        if (attribute != 0) return r.Fail("unknown tag attribute " + Hex(attribute));
        RB_RETURN_NOT_OK(ReadTypeIndex(r, *info, &import.type_index));
        break;
      }
      default:
        return r.Fail("unknown import kind " + Hex(kind));
    }
    import.kind = static_cast<ExternKind>(kind);
  }
  return Status::OK();
}

Status ParseFunctions(Reader& r, WasmModuleInfo* info, std::uint32_t* defined) {
  RB_RETURN_NOT_OK(r.Count(kMaxFunctions, "functions", defined));
  if (info->function_types.size() + std::uint64_t{*defined} > kMaxFunctions) {
    return r.Fail("too many functions");
  }
  for (std::uint32_t i = 0; i < *defined; ++i) {
    std::uint32_t type_index = 0;
    RB_RETURN_NOT_OK(ReadTypeIndex(r, *info, &type_index));
    info->function_types.push_back(type_index);
  }
  return Status::OK();
}

Status ParseMemories(Reader& r, WasmModuleInfo* info) {
  std::uint32_t count = 0;
  RB_RETURN_NOT_OK(r.Count(kMaxMemories, "memories", &count));
  if (info->memories.size() + std::uint64_t{count} > kMaxMemories) {
    return r.Fail("too many memories");
  }
  for (std::uint32_t i = 0; i < count; ++i) {
    MemoryType memory;
    RB_RETURN_NOT_OK(ReadMemoryType(r, &memory));
    info->memories.push_back(memory);
  }
  return Status::OK();
}

Status ParseExports(Reader& r, WasmModuleInfo* info) {
  std::uint32_t count = 0;
  RB_RETURN_NOT_OK(r.Count(kMaxExports, "exports", &count));
  info->exports.resize(count);
  std::unordered_set<std::string> seen;
  for (ExportEntry& exp : info->exports) {
    RB_RETURN_NOT_OK(r.Name(&exp.name));
    std::uint8_t kind = 0;
    RB_RETURN_NOT_OK(r.Byte(&kind));
    if (kind > 4) return r.Fail("unknown export kind " + Hex(kind));
    exp.kind = static_cast<ExternKind>(kind);
    RB_RETURN_NOT_OK(r.U32(&exp.index));
    if ((exp.kind == ExternKind::kFunction && exp.index >= info->function_types.size()) ||
        (exp.kind == ExternKind::kMemory && exp.index >= info->memories.size())) {
      return r.Fail("export index " + std::to_string(exp.index) + " out of range");
    }
    if (!seen.insert(exp.name).second) return r.Fail("duplicate export name");
  }
  return Status::OK();
}

// Position of each known section id in the required order; 0 for unknown ids.
int SectionRank(std::uint8_t id) {
  // type, import, function, table, memory, tag, global, export, start, element, datacount,
  // code, data
  static constexpr std::uint8_t kOrder[] = {1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11};
  for (int i = 0; i < static_cast<int>(sizeof(kOrder)); ++i) {
    if (kOrder[i] == id) return i + 1;
  }
  return 0;
}

Status ParseHeader(Reader& r) {
  static constexpr std::uint8_t kMagic[] = {0x00, 0x61, 0x73, 0x6d};
  Reader header;
  if (r.remaining() < 8) return r.Fail("too short for a WebAssembly module");
  RB_RETURN_NOT_OK(r.Sub(8, &header));
  for (std::uint8_t expected : kMagic) {
    std::uint8_t byte = 0;
    RB_RETURN_NOT_OK(header.Byte(&byte));
    if (byte != expected) return Status::InvalidArgument("bad magic number (at byte 0)");
  }
  std::uint8_t version[4] = {};
  for (std::uint8_t& byte : version) RB_RETURN_NOT_OK(header.Byte(&byte));
  if (version[0] != 1 || version[1] != 0 || version[2] != 0 || version[3] != 0) {
    return Status::InvalidArgument(
        "unsupported binary version (at byte 4): only WebAssembly 1 core modules are allowed");
  }
  return Status::OK();
}

}  // namespace

std::string_view ValTypeName(ValType type) {
  switch (type) {
    case ValType::kI32:
      return "i32";
    case ValType::kI64:
      return "i64";
    case ValType::kF32:
      return "f32";
    case ValType::kF64:
      return "f64";
    case ValType::kV128:
      return "v128";
    case ValType::kFuncRef:
      return "funcref";
    case ValType::kExternRef:
      return "externref";
  }
  return "?";
}

std::string FormatFuncType(const FuncType& type) {
  auto list = [](const std::vector<ValType>& types) {
    std::string text;
    for (std::size_t i = 0; i < types.size(); ++i) {
      if (i > 0) text += ",";
      text += ValTypeName(types[i]);
    }
    return text;
  };
  std::string text = "(" + list(type.params) + ")->";
  if (type.results.size() == 1) return text + list(type.results);
  return text + "(" + list(type.results) + ")";
}

std::string_view ExternKindName(ExternKind kind) {
  switch (kind) {
    case ExternKind::kFunction:
      return "function";
    case ExternKind::kTable:
      return "table";
    case ExternKind::kMemory:
      return "memory";
    case ExternKind::kGlobal:
      return "global";
    case ExternKind::kTag:
      return "tag";
  }
  return "?";
}

const FuncType* WasmModuleInfo::FunctionType(std::uint32_t index) const {
  if (index >= function_types.size()) return nullptr;
  const std::uint32_t type_index = function_types[index];
  return type_index < types.size() ? &types[type_index] : nullptr;
}

const ExportEntry* WasmModuleInfo::FindExport(std::string_view name) const {
  for (const ExportEntry& exp : exports) {
    if (exp.name == name) return &exp;
  }
  return nullptr;
}

Result<WasmModuleInfo> ParseWasmModule(std::span<const std::uint8_t> bytes) {
  if (bytes.size() > kMaxWasmModuleBytes) {
    return Status::InvalidArgument("module is larger than 256 MiB");
  }
  Reader r(bytes, 0);
  RB_RETURN_NOT_OK(ParseHeader(r));
  WasmModuleInfo info;
  int last_rank = 0;
  std::uint32_t defined_functions = 0;
  bool saw_code = false;
  while (!r.empty()) {
    std::uint8_t id = 0;
    std::uint32_t size = 0;
    RB_RETURN_NOT_OK(r.Byte(&id));
    RB_RETURN_NOT_OK(r.U32(&size));
    Reader s;
    RB_RETURN_NOT_OK(r.Sub(size, &s));
    if (id != 0) {
      const int rank = SectionRank(id);
      if (rank == 0) return s.Fail("unknown section id " + std::to_string(id));
      if (rank <= last_rank) {
        return s.Fail("section " + std::to_string(id) + " is repeated or out of order");
      }
      last_rank = rank;
    }
    switch (id) {
      case 0: {  // custom: a name, then opaque bytes
        std::string name;
        RB_RETURN_NOT_OK(s.Name(&name));
        s.SkipRest();
        break;
      }
      case 1:
        RB_RETURN_NOT_OK(ParseTypes(s, &info));
        break;
      case 2:
        RB_RETURN_NOT_OK(ParseImports(s, &info));
        break;
      case 3:
        RB_RETURN_NOT_OK(ParseFunctions(s, &info, &defined_functions));
        break;
      case 5:
        RB_RETURN_NOT_OK(ParseMemories(s, &info));
        break;
      case 7:
        RB_RETURN_NOT_OK(ParseExports(s, &info));
        break;
      case 10: {  // code: the bodies are wasm2c's to validate; their number must match
        std::uint32_t count = 0;
        RB_RETURN_NOT_OK(s.Count(kMaxFunctions, "function bodies", &count));
        if (count != defined_functions) {
          return s.Fail("code section has " + std::to_string(count) + " bodies for " +
                        std::to_string(defined_functions) + " functions");
        }
        saw_code = true;
        s.SkipRest();
        break;
      }
      default:
        s.SkipRest();
        break;  // table, global, start, element, data, datacount, tag
    }
    if (!s.empty()) {
      return s.Fail("section " + std::to_string(id) + " has " + std::to_string(s.remaining()) +
                    " unexpected trailing bytes");
    }
  }
  if (defined_functions > 0 && !saw_code) {
    return r.Fail("functions are declared but the code section is missing");
  }
  return info;
}

}  // namespace rapidbyte::plugin::translate
