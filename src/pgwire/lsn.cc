// Lsn text form: "X/Y", two groups of 1-8 hex digits (pg_lsn's MAXPG_LSNCOMPONENT).
#include "pgwire/lsn.h"

namespace rapidbyte::pgwire {
namespace {

constexpr std::size_t kMaxHexDigits = 8;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// One 32-bit half; false unless `text` is 1-8 hex digits.
bool ParseHalf(std::string_view text, std::uint32_t* out) {
  if (text.empty() || text.size() > kMaxHexDigits) return false;
  std::uint32_t v = 0;
  for (char c : text) {
    const int digit = HexValue(c);
    if (digit < 0) return false;
    v = (v << 4) | static_cast<std::uint32_t>(digit);
  }
  *out = v;
  return true;
}

void AppendHex(std::uint32_t v, std::string* out) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  char buf[kMaxHexDigits];
  std::size_t n = 0;
  do {
    buf[n++] = kDigits[v & 0xF];
    v >>= 4;
  } while (v != 0);
  while (n > 0) out->push_back(buf[--n]);
}

}  // namespace

Result<Lsn> Lsn::Parse(std::string_view text) {
  const std::size_t slash = text.find('/');
  std::uint32_t hi = 0;
  std::uint32_t lo = 0;
  if (slash == std::string_view::npos || !ParseHalf(text.substr(0, slash), &hi) ||
      !ParseHalf(text.substr(slash + 1), &lo)) {
    return Status::InvalidArgument("'" + std::string(text) +
                                   "' is not an LSN (expected X/Y in hex, e.g. 16/B374D848)");
  }
  return Lsn((std::uint64_t{hi} << 32) | lo);
}

std::string Lsn::ToString() const {
  std::string out;
  out.reserve(2 * kMaxHexDigits + 1);
  AppendHex(static_cast<std::uint32_t>(value_ >> 32), &out);
  out.push_back('/');
  AppendHex(static_cast<std::uint32_t>(value_), &out);
  return out;
}

}  // namespace rapidbyte::pgwire
