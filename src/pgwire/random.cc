// SystemRandom: getrandom() on Linux hosts, getentropy() on wasm32-wasi (at most 256 bytes per
// call on both).
#include "pgwire/random.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#if defined(__wasi__)
#include <unistd.h>
#else
#include <sys/random.h>
#endif

namespace rapidbyte::pgwire {
namespace {

class OsRandom final : public RandomSource {
 public:
  Status Fill(std::span<std::uint8_t> out) override {
    std::size_t done = 0;
    while (done < out.size()) {
      const std::size_t chunk = std::min<std::size_t>(256, out.size() - done);
#if defined(__wasi__)
      if (getentropy(out.data() + done, chunk) != 0) {
        return Status::Internal(std::string("getentropy failed: ") + std::strerror(errno));
      }
      done += chunk;
#else
      const ssize_t n = getrandom(out.data() + done, chunk, 0);
      if (n < 0) {
        if (errno == EINTR) continue;
        return Status::Internal(std::string("getrandom failed: ") + std::strerror(errno));
      }
      done += static_cast<std::size_t>(n);
#endif
    }
    return Status::OK();
  }
};

}  // namespace

RandomSource& SystemRandom() {
  static OsRandom source;
  return source;
}

}  // namespace rapidbyte::pgwire
