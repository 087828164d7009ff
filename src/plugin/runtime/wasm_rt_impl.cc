// Our implementation of wabt's wasm-rt.h runtime interface (wabt 1.0.32), which the code
// wasm2c generates calls into. Unlike the reference runtime shipped with Debian's wabt, it
// is thread-safe: traps unwind per thread (guest_thread.cc), the function-type registry is
// locked, and linear memories are independent reservations with guard regions and a
// per-instance size cap (memory_limits.h).
#include <sys/mman.h>
#include <wasm-rt.h>

#include <algorithm>
#include <atomic>
#include <cstdarg>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <type_traits>
#include <vector>

#include "plugin/limits.h"
#include "plugin/runtime/guest_thread.h"
#include "plugin/runtime/memory_limits.h"

namespace rapidbyte::plugin::runtime {
namespace {

constexpr std::uint64_t kPageSize = 65536;

struct FuncType {
  std::vector<wasm_rt_type_t> params;
  std::vector<wasm_rt_type_t> results;
  bool operator==(const FuncType& o) const { return params == o.params && results == o.results; }
};

std::mutex g_types_mu;
std::vector<FuncType>& Types() {
  static std::vector<FuncType>* types = new std::vector<FuncType>();  // never destroyed
  return *types;
}

std::atomic<bool> g_initialized{false};
std::atomic<std::uint32_t> g_next_tag{0};
thread_local WASM_RT_UNWIND_TARGET* t_unwind_target = nullptr;

// Tables of either element type: allocated zeroed, grown up to their maximum and within
// the limits of plugin/limits.h. Their bytes count against the instance's budget with its
// linear memory (resources.max_memory), since they live outside it.
template <typename Table>
void AllocateTable(Table* table, uint32_t elements, uint32_t max_elements) {
  using Element = std::remove_pointer_t<decltype(table->data)>;
  InstanceBudget* budget = CurrentInstanceBudget();
  const uint64_t bytes = uint64_t{elements} * sizeof(Element);
  if (elements > limits::kMaxTableElements ||
      (budget != nullptr && (budget->tables >= limits::kMaxTables || !budget->Fits(bytes)))) {
    NoteMemoryLimitHit();
    RaiseTrap(TrapKind::kOutOfBounds);
  }
  table->size = elements;
  table->max_size = std::min(max_elements, limits::kMaxTableElements);
  table->data = static_cast<Element*>(std::calloc(elements == 0 ? 1 : elements, sizeof(Element)));
  if (table->data == nullptr) RaiseTrap(TrapKind::kOutOfBounds);
  if (budget != nullptr) {
    budget->tables += 1;
    budget->table_bytes += bytes;
  }
}

template <typename Table>
void FreeTable(Table* table) {
  std::free(table->data);
  table->data = nullptr;
  table->size = 0;
}

template <typename Table, typename Element>
uint32_t GrowTable(Table* table, uint32_t delta, Element init) {
  const uint64_t new_size = uint64_t{table->size} + delta;
  if (new_size > table->max_size) return UINT32_MAX;  // max_size is within kMaxTableElements
  InstanceBudget* budget = CurrentInstanceBudget();
  const uint64_t more = uint64_t{delta} * sizeof(Element);
  if (budget != nullptr && !budget->Fits(more)) {
    NoteMemoryLimitHit();
    return UINT32_MAX;  // table.grow returns -1, as WebAssembly specifies
  }
  auto* data =
      static_cast<Element*>(std::realloc(table->data, (new_size == 0 ? 1 : new_size) * sizeof(Element)));
  if (data == nullptr) return UINT32_MAX;
  for (uint64_t i = table->size; i < new_size; ++i) data[i] = init;
  const uint32_t old = table->size;
  table->data = data;
  table->size = static_cast<uint32_t>(new_size);
  if (budget != nullptr) budget->table_bytes += more;
  return old;
}

}  // namespace
}  // namespace rapidbyte::plugin::runtime

using rapidbyte::plugin::runtime::kPageSize;
using rapidbyte::plugin::runtime::TrapKind;
namespace rt = rapidbyte::plugin::runtime;

extern "C" {

void wasm_rt_init(void) {
  rt::InstallSignalHandlers();
  rt::g_initialized.store(true);
}

bool wasm_rt_is_initialized(void) { return rt::g_initialized.load(); }

void wasm_rt_free(void) {}

void wasm_rt_trap(wasm_rt_trap_t trap) { rt::RaiseTrap(static_cast<TrapKind>(trap)); }

const char* wasm_rt_strerror(wasm_rt_trap_t trap) {
  return rt::TrapKindName(static_cast<TrapKind>(trap));
}

uint32_t wasm_rt_register_func_type(uint32_t params, uint32_t results, ...) {
  rt::FuncType type;
  va_list args;
  va_start(args, results);
  for (uint32_t i = 0; i < params; ++i) {
    type.params.push_back(static_cast<wasm_rt_type_t>(va_arg(args, int)));
  }
  for (uint32_t i = 0; i < results; ++i) {
    type.results.push_back(static_cast<wasm_rt_type_t>(va_arg(args, int)));
  }
  va_end(args);
  std::lock_guard<std::mutex> lock(rt::g_types_mu);
  auto& types = rt::Types();
  for (uint32_t i = 0; i < types.size(); ++i) {
    if (types[i] == type) return i;
  }
  types.push_back(std::move(type));
  return static_cast<uint32_t>(types.size() - 1);
}

uint32_t wasm_rt_register_tag(uint32_t /*size*/) { return rt::g_next_tag.fetch_add(1); }

void wasm_rt_load_exception(uint32_t /*tag*/, uint32_t /*size*/, const void* /*values*/) {}

void wasm_rt_throw(void) { rt::RaiseTrap(TrapKind::kUncaughtException); }

WASM_RT_UNWIND_TARGET* wasm_rt_get_unwind_target(void) { return rt::t_unwind_target; }

void wasm_rt_set_unwind_target(WASM_RT_UNWIND_TARGET* target) { rt::t_unwind_target = target; }

uint32_t wasm_rt_exception_tag(void) { return 0; }
uint32_t wasm_rt_exception_size(void) { return 0; }
void* wasm_rt_exception(void) { return nullptr; }

void wasm_rt_allocate_memory(wasm_rt_memory_t* memory, uint32_t initial_pages,
                             uint32_t max_pages) {
  const uint32_t cap_pages = rt::CurrentMemoryCapPages();
  if (max_pages > cap_pages) max_pages = cap_pages;
  memory->data = nullptr;
  memory->pages = 0;
  memory->size = 0;
  memory->max_pages = max_pages;
  rt::InstanceBudget* budget = rt::CurrentInstanceBudget();
  if (initial_pages > max_pages ||
      (budget != nullptr && !budget->Fits(std::uint64_t{initial_pages} * kPageSize))) {
    rt::NoteMemoryLimitHit();
    rt::RaiseTrap(TrapKind::kOutOfBounds);
  }
  // Reserve the whole 32-bit space plus a guard as large again: wasm2c's generated code
  // relies on guard pages (no explicit bounds checks) for base + u32 offset + u32 index.
  // `data` then never changes until wasm_rt_free_memory (growing only commits more of the
  // reservation), and translated code relies on that too: each function reads the base
  // once (TuneGeneratedCode in src/plugin/translate/glue.h).
  void* base = mmap(nullptr, rt::kMemoryReservationBytes, PROT_NONE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (base == MAP_FAILED) rt::RaiseTrap(TrapKind::kOutOfBounds);
  const std::uint64_t bytes = std::uint64_t{initial_pages} * kPageSize;
  if (bytes > 0 && mprotect(base, bytes, PROT_READ | PROT_WRITE) != 0) {
    munmap(base, rt::kMemoryReservationBytes);
    rt::RaiseTrap(TrapKind::kOutOfBounds);
  }
  memory->data = static_cast<uint8_t*>(base);
  memory->pages = initial_pages;
  memory->size = static_cast<uint32_t>(bytes);
  if (budget != nullptr) budget->memory_bytes += bytes;
}

uint32_t wasm_rt_grow_memory(wasm_rt_memory_t* memory, uint32_t delta) {
  const uint32_t old_pages = memory->pages;
  const std::uint64_t new_pages = std::uint64_t{old_pages} + delta;
  if (new_pages > memory->max_pages) {
    rt::NoteMemoryLimitHit();
    return UINT32_MAX;  // memory.grow returns -1, as WebAssembly specifies
  }
  if (new_pages > 65536) return UINT32_MAX;
  const std::uint64_t old_bytes = std::uint64_t{old_pages} * kPageSize;
  const std::uint64_t new_bytes = new_pages * kPageSize;
  rt::InstanceBudget* budget = rt::CurrentInstanceBudget();
  if (budget != nullptr && !budget->Fits(new_bytes - old_bytes)) {
    rt::NoteMemoryLimitHit();  // tables already hold part of resources.max_memory
    return UINT32_MAX;
  }
  if (delta > 0 &&
      mprotect(memory->data + old_bytes, new_bytes - old_bytes, PROT_READ | PROT_WRITE) != 0) {
    return UINT32_MAX;
  }
  memory->pages = static_cast<uint32_t>(new_pages);
  if (budget != nullptr) budget->memory_bytes += new_bytes - old_bytes;
  // A full 4 GiB memory does not fit in u32 `size`; wasm32 caps it below that in practice.
  memory->size = static_cast<uint32_t>(new_bytes > UINT32_MAX ? UINT32_MAX : new_bytes);
  return old_pages;
}

void wasm_rt_free_memory(wasm_rt_memory_t* memory) {
  if (memory->data != nullptr) munmap(memory->data, rt::kMemoryReservationBytes);
  memory->data = nullptr;
  memory->pages = 0;
  memory->size = 0;
}

void wasm_rt_allocate_funcref_table(wasm_rt_funcref_table_t* table, uint32_t elements,
                                    uint32_t max_elements) {
  rt::AllocateTable(table, elements, max_elements);
}

void wasm_rt_free_funcref_table(wasm_rt_funcref_table_t* table) { rt::FreeTable(table); }

void wasm_rt_allocate_externref_table(wasm_rt_externref_table_t* table, uint32_t elements,
                                      uint32_t max_elements) {
  rt::AllocateTable(table, elements, max_elements);
}

void wasm_rt_free_externref_table(wasm_rt_externref_table_t* table) { rt::FreeTable(table); }

uint32_t wasm_rt_grow_funcref_table(wasm_rt_funcref_table_t* table, uint32_t delta,
                                    wasm_rt_funcref_t init) {
  return rt::GrowTable(table, delta, init);
}

uint32_t wasm_rt_grow_externref_table(wasm_rt_externref_table_t* table, uint32_t delta,
                                      wasm_rt_externref_t init) {
  return rt::GrowTable(table, delta, init);
}

}  // extern "C"
