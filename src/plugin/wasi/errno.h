// WASI preview 1 errno values the host answers with (named, never magic numbers).
#pragma once

#include <cstdint>

namespace rapidbyte::plugin::wasi {

inline constexpr std::uint32_t kErrnoSuccess = 0;
inline constexpr std::uint32_t kErrnoAcces = 2;
inline constexpr std::uint32_t kErrnoBadf = 8;
inline constexpr std::uint32_t kErrnoFault = 21;
inline constexpr std::uint32_t kErrnoInval = 28;
inline constexpr std::uint32_t kErrnoNosys = 52;
inline constexpr std::uint32_t kErrnoNotsup = 58;
inline constexpr std::uint32_t kErrnoSpipe = 70;
inline constexpr std::uint32_t kErrnoNotcapable = 76;

/// Most bytes one random_get call may request.
inline constexpr std::uint32_t kMaxRandomBytes = 1u << 20;

}  // namespace rapidbyte::plugin::wasi
