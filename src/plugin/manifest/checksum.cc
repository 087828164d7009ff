// SHA-256 via OpenSSL and the checksum comparison.
#include "plugin/manifest/checksum.h"

#include <fstream>
#include <sstream>

#include <openssl/sha.h>

namespace rapidbyte::plugin::manifest {
namespace {

std::string LowerHex(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(std::size_t{2} * SHA256_DIGEST_LENGTH);
  for (unsigned char b : digest) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xf]);
  }
  return out;
}

Status VerifyChecksum(const Manifest& manifest, std::string_view wasm_path,
                      std::string_view sha256_hex) {
  if (!manifest.artifact.checksum) return Status::OK();
  std::string_view expected = *manifest.artifact.checksum;
  if (expected.rfind("sha256:", 0) == 0) expected.remove_prefix(7);
  if (LowerHex(expected) == LowerHex(sha256_hex)) return Status::OK();
  return Status::InvalidArgument("WASM checksum mismatch for " + std::string(wasm_path) +
                                 ". Expected: " + *manifest.artifact.checksum +
                                 ", file may be corrupted or tampered.");
}

Status VerifyChecksumOfFile(const Manifest& manifest, const std::string& wasm_path) {
  if (!manifest.artifact.checksum) return Status::OK();
  std::ifstream in(wasm_path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  if (!in) return Status::InvalidArgument("cannot read " + wasm_path + " to verify its checksum");
  return VerifyChecksum(manifest, wasm_path, Sha256Hex(bytes.view()));
}

}  // namespace rapidbyte::plugin::manifest
