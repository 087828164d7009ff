// Bounds-checked guest memory access.
#include "plugin/guest_memory.h"

#include <cstring>

namespace rapidbyte::plugin {

bool GuestMemory::Read(std::uint32_t ptr, std::uint32_t len, std::string* out) const {
  if (!InBounds(ptr, len)) return false;
  out->assign(reinterpret_cast<const char*>(memory_->data) + ptr, len);
  return true;
}

bool GuestMemory::Read(std::uint32_t ptr, std::uint32_t len, std::uint8_t* out) const {
  if (!InBounds(ptr, len)) return false;
  if (len > 0) std::memcpy(out, memory_->data + ptr, len);
  return true;
}

bool GuestMemory::Write(std::uint32_t ptr, std::span<const std::uint8_t> bytes) const {
  if (!InBounds(ptr, bytes.size())) return false;
  if (!bytes.empty()) std::memcpy(memory_->data + ptr, bytes.data(), bytes.size());
  return true;
}

bool GuestMemory::WriteU32(std::uint32_t ptr, std::uint32_t value) const {
  const std::uint8_t le[4] = {static_cast<std::uint8_t>(value),
                              static_cast<std::uint8_t>(value >> 8),
                              static_cast<std::uint8_t>(value >> 16),
                              static_cast<std::uint8_t>(value >> 24)};
  return Write(ptr, le);
}

}  // namespace rapidbyte::plugin
