// GuestMemory: the only way host code touches an instance's linear memory. Every range is
// checked in 64-bit arithmetic against the memory's current size; reads hand back copies,
// so a value is checked once and cannot change under the host afterwards. Window() is the one
// exception, for opaque bulk bytes (socket I/O) that the host passes on without reading.
//
// Not thread-safe; used by host functions on the instance's own thread while the guest is
// paused in the call.
#pragma once

#include <wasm-rt.h>

#include <cstdint>
#include <span>
#include <string>

namespace rapidbyte::plugin {

class GuestMemory {
 public:
  explicit GuestMemory(const wasm_rt_memory_t* memory) : memory_(memory) {}

  /// True when [ptr, ptr + len) lies inside the memory.
  bool InBounds(std::uint32_t ptr, std::uint64_t len) const {
    return memory_ != nullptr && std::uint64_t{ptr} + len <= memory_->size;
  }
  /// Copy [ptr, ptr + len) out; false when out of bounds.
  bool Read(std::uint32_t ptr, std::uint32_t len, std::string* out) const;
  bool Read(std::uint32_t ptr, std::uint32_t len, std::uint8_t* out) const;
  /// Copy `bytes` to ptr; false when out of bounds.
  bool Write(std::uint32_t ptr, std::span<const std::uint8_t> bytes) const;
  /// Store a little-endian u32 at ptr (no alignment needed); false when out of bounds.
  bool WriteU32(std::uint32_t ptr, std::uint32_t value) const;
  /// The bytes [ptr, ptr + len) in place, for bulk I/O straight between a socket and the
  /// guest (no host copy); the caller checks InBounds first. Only for opaque bytes the host
  /// never interprets: anything the host parses must be copied out with Read.
  std::span<std::uint8_t> Window(std::uint32_t ptr, std::uint32_t len) const {
    return {memory_->data + ptr, len};
  }

 private:
  const wasm_rt_memory_t* memory_;
};

}  // namespace rapidbyte::plugin
