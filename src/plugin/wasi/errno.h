// WASI preview 1 errno values the host answers with (named, never magic numbers).
#pragma once

#include <cstdint>

namespace rapidbyte::plugin::wasi {

inline constexpr std::uint32_t kErrnoSuccess = 0;
inline constexpr std::uint32_t kErrnoAcces = 2;
inline constexpr std::uint32_t kErrnoBadf = 8;
inline constexpr std::uint32_t kErrnoBusy = 10;
inline constexpr std::uint32_t kErrnoDquot = 19;
inline constexpr std::uint32_t kErrnoExist = 20;
inline constexpr std::uint32_t kErrnoFault = 21;
inline constexpr std::uint32_t kErrnoFbig = 22;
inline constexpr std::uint32_t kErrnoInval = 28;
inline constexpr std::uint32_t kErrnoIo = 29;
inline constexpr std::uint32_t kErrnoIsdir = 31;
inline constexpr std::uint32_t kErrnoLoop = 32;
inline constexpr std::uint32_t kErrnoMfile = 33;
inline constexpr std::uint32_t kErrnoMlink = 34;
inline constexpr std::uint32_t kErrnoNametoolong = 37;
inline constexpr std::uint32_t kErrnoNfile = 41;
inline constexpr std::uint32_t kErrnoNoent = 44;
inline constexpr std::uint32_t kErrnoNomem = 48;
inline constexpr std::uint32_t kErrnoNospc = 51;
inline constexpr std::uint32_t kErrnoNosys = 52;
inline constexpr std::uint32_t kErrnoNotdir = 54;
inline constexpr std::uint32_t kErrnoNotempty = 55;
inline constexpr std::uint32_t kErrnoNotsup = 58;
inline constexpr std::uint32_t kErrnoPerm = 63;
inline constexpr std::uint32_t kErrnoRofs = 69;
inline constexpr std::uint32_t kErrnoSpipe = 70;
inline constexpr std::uint32_t kErrnoTxtbsy = 74;
inline constexpr std::uint32_t kErrnoNotcapable = 76;

/// Most bytes one random_get call may request.
inline constexpr std::uint32_t kMaxRandomBytes = 1u << 20;

}  // namespace rapidbyte::plugin::wasi
