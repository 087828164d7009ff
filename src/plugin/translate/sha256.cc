// SHA-256 through OpenSSL's EVP interface (the low-level SHA256_* calls are deprecated).
#include "plugin/translate/sha256.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include <openssl/evp.h>

namespace rapidbyte::plugin::translate {
namespace {

std::string ToHex(const unsigned char* digest, unsigned length) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * length);
  for (unsigned i = 0; i < length; ++i) {
    hex += kDigits[digest[i] >> 4];
    hex += kDigits[digest[i] & 0x0f];
  }
  return hex;
}

struct CtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

}  // namespace

Result<std::string> Sha256Hex(std::span<const std::uint8_t> bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    return Status::Internal("SHA-256 failed");
  }
  return ToHex(digest, length);
}

Result<std::string> Sha256HexOfFile(int fd, std::uint64_t length) {
  std::unique_ptr<EVP_MD_CTX, CtxDeleter> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    return Status::Internal("SHA-256 failed");
  }
  std::unique_ptr<unsigned char[]> buffer(new unsigned char[1 << 16]);
  std::uint64_t offset = 0;
  while (offset < length) {
    const std::uint64_t want = std::min<std::uint64_t>(length - offset, 1 << 16);
    const ssize_t got = pread(fd, buffer.get(), want, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return Status::Internal(std::string("read failed: ") + std::strerror(errno));
    if (got == 0) return Status::DataLoss("file ended early");
    if (EVP_DigestUpdate(ctx.get(), buffer.get(), static_cast<std::size_t>(got)) != 1) {
      return Status::Internal("SHA-256 failed");
    }
    offset += static_cast<std::uint64_t>(got);
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned digest_length = 0;
  if (EVP_DigestFinal_ex(ctx.get(), digest, &digest_length) != 1) {
    return Status::Internal("SHA-256 failed");
  }
  return ToHex(digest, digest_length);
}

}  // namespace rapidbyte::plugin::translate
