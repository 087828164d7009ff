// Linear-memory limits for guest instances. The cap applies to memories allocated while a
// ScopedMemoryCap is alive on the current thread (instantiation), and a refused grow is
// remembered per thread so a failing run call can be reported as MEMORY_LIMIT_EXCEEDED.
#pragma once

#include <cstdint>

namespace rapidbyte::plugin::runtime {

/// Virtual address space reserved per linear memory: 4 GiB addressable plus a 4 GiB guard,
/// because generated code adds an unchecked u32 offset to an unchecked u32 address.
inline constexpr std::uint64_t kMemoryReservationBytes = std::uint64_t{8} << 30;

/// Cap memories allocated on this thread while alive to `max_bytes` (rounded down to pages).
class ScopedMemoryCap {
 public:
  explicit ScopedMemoryCap(std::uint64_t max_bytes);
  ~ScopedMemoryCap();
  ScopedMemoryCap(const ScopedMemoryCap&) = delete;
  ScopedMemoryCap& operator=(const ScopedMemoryCap&) = delete;

 private:
  std::uint32_t previous_pages_;
};

/// The cap in 64 KiB pages in force on this thread (65536 when none).
std::uint32_t CurrentMemoryCapPages();

/// What one instance holds against its resources.max_memory: linear memory and tables
/// together. Tables are allocated outside linear memory, so without this a guest could grow
/// them far past the cap (32 externref tables of 2^24 elements are 4 GiB).
struct InstanceBudget {
  std::uint64_t cap_bytes = ~std::uint64_t{0};
  std::uint64_t memory_bytes = 0;  // linear memory committed so far
  std::uint64_t table_bytes = 0;   // table elements allocated so far
  std::uint32_t tables = 0;
  /// Whether `more` bytes still fit under the cap.
  bool Fits(std::uint64_t more) const {
    return memory_bytes + table_bytes <= cap_bytes &&
           more <= cap_bytes - memory_bytes - table_bytes;
  }
};

/// Charge memories and tables allocated or grown on this thread while alive to `budget`
/// (the instance being entered). Nests: the previous budget is restored.
class ScopedInstanceBudget {
 public:
  explicit ScopedInstanceBudget(InstanceBudget* budget);
  ~ScopedInstanceBudget();
  ScopedInstanceBudget(const ScopedInstanceBudget&) = delete;
  ScopedInstanceBudget& operator=(const ScopedInstanceBudget&) = delete;

 private:
  InstanceBudget* previous_;
};

/// The budget in force on this thread, or nullptr (host code outside any instance).
InstanceBudget* CurrentInstanceBudget();

/// Record that a grow or an allocation was refused by the cap on this thread.
void NoteMemoryLimitHit();
/// Return whether a refusal was recorded on this thread since the last call, and clear it.
bool TakeMemoryLimitHit();

}  // namespace rapidbyte::plugin::runtime
