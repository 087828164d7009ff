// Thread-local memory cap and refusal flag (see memory_limits.h).
#include "plugin/runtime/memory_limits.h"

namespace rapidbyte::plugin::runtime {
namespace {

thread_local std::uint32_t t_cap_pages = 65536;
thread_local bool t_limit_hit = false;
thread_local InstanceBudget* t_budget = nullptr;

}  // namespace

ScopedMemoryCap::ScopedMemoryCap(std::uint64_t max_bytes) : previous_pages_(t_cap_pages) {
  const std::uint64_t pages = max_bytes / 65536;
  t_cap_pages = static_cast<std::uint32_t>(pages > 65536 ? 65536 : pages);
}

ScopedMemoryCap::~ScopedMemoryCap() { t_cap_pages = previous_pages_; }

std::uint32_t CurrentMemoryCapPages() { return t_cap_pages; }

ScopedInstanceBudget::ScopedInstanceBudget(InstanceBudget* budget) : previous_(t_budget) {
  t_budget = budget;
}

ScopedInstanceBudget::~ScopedInstanceBudget() { t_budget = previous_; }

InstanceBudget* CurrentInstanceBudget() { return t_budget; }

void NoteMemoryLimitHit() { t_limit_hit = true; }

bool TakeMemoryLimitHit() {
  const bool hit = t_limit_hit;
  t_limit_hit = false;
  return hit;
}

}  // namespace rapidbyte::plugin::runtime
