// The artifact checksum check of SPEC §4.1: the SHA-256 of the .wasm bytes must equal the
// manifest's artifact.checksum when one is given.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "plugin/manifest/manifest.h"

namespace rapidbyte::plugin::manifest {

/// Lower-case hex SHA-256 of `bytes` (OpenSSL).
std::string Sha256Hex(std::string_view bytes);

/// OK when the manifest has no checksum or it equals `sha256_hex` (the digest of the file at
/// `wasm_path`, computed by the caller; hex, either case). Otherwise InvalidArgument:
/// "WASM checksum mismatch for <path>. Expected: <value>, file may be corrupted or tampered."
/// where <value> is the checksum as the manifest writes it.
Status VerifyChecksum(const Manifest& manifest, std::string_view wasm_path,
                      std::string_view sha256_hex);

/// VerifyChecksum on the file at `wasm_path`, read only when the manifest has a checksum (an
/// unreadable file is InvalidArgument naming it).
Status VerifyChecksumOfFile(const Manifest& manifest, const std::string& wasm_path);

}  // namespace rapidbyte::plugin::manifest
