// Byte sizes as pipeline files write them (SPEC §2.4): 1024, "512k", "64 MiB", "1.5gb".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rapidbyte::config {

/// Largest accepted size: 2^62 bytes.
inline constexpr std::uint64_t kMaxByteSize = std::uint64_t{1} << 62;

/// Parse a size: a non-negative decimal number, optional spaces, an optional binary unit
/// (b, k/kb/kib, m/mb/mib, g/gb/gib; case-insensitive). Fractions round down to whole bytes.
/// nullopt for anything else, negative numbers and values above kMaxByteSize.
std::optional<std::uint64_t> ParseByteSize(std::string_view text);

/// Format a size for messages: "16 MiB", "512 KiB", "100 bytes".
std::string FormatByteSize(std::uint64_t bytes);

/// The examples every byte-size error shows.
inline constexpr std::string_view kByteSizeExamples = "1048576, 512kb, 64 MiB, 1.5gb";

}  // namespace rapidbyte::config
