// Edit distance and suggestions, used by every "did you mean" in the product; escaping of
// untrusted text for terminals.
#include "base/strings.h"

#include <algorithm>

#include "base/utf8.h"

namespace rapidbyte {

std::size_t EditDistance(std::string_view a, std::string_view b) {
  // Two rolling rows; O(|a|·|b|) time and O(|b|) memory is plenty for keys and names.
  std::vector<std::size_t> prev(b.size() + 1);
  std::vector<std::size_t> cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitute = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, substitute});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::optional<std::string> SuggestClosest(std::string_view input,
                                          const std::vector<std::string>& candidates) {
  const std::size_t limit = std::max<std::size_t>(2, input.size() / 3);
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  for (const auto& candidate : candidates) {
    const std::size_t d = EditDistance(input, candidate);
    if (d == 0) continue;
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}

namespace {

// The length of the UTF-8 sequence its lead byte announces (0: not a lead byte).
std::size_t SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

// "\x1b" for a byte, "\u009b" for a C1 code point.
void AppendEscape(std::string& out, std::string_view prefix, unsigned value, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += prefix;
  for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) out += kHex[(value >> shift) & 0xF];
}

std::string Sanitize(std::string_view text, bool keep_newlines) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) {
      if (c == '\n' && keep_newlines) {
        out += '\n';
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == '\t') {
        out += "\\t";
      } else {
        AppendEscape(out, "\\x", c, 2);
      }
      ++i;
      continue;
    }
    const std::size_t n = SequenceLength(c);
    if (n == 1) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    // A lead byte needs its continuation bytes, and the whole sequence must be valid
    // (no overlong forms, no surrogates); otherwise only this byte is escaped.
    const std::string_view sequence = text.substr(i, n);
    if (n == 0 || sequence.size() < n || !IsValidUtf8(sequence)) {
      AppendEscape(out, "\\x", c, 2);
      ++i;
      continue;
    }
    const auto second = static_cast<unsigned char>(text[i + 1]);
    if (c == 0xC2 && second <= 0x9F) {
      AppendEscape(out, "\\u", second, 4);  // C1: U+0080-U+009F
    } else {
      out.append(sequence);
    }
    i += n;
  }
  return out;
}

}  // namespace

std::string SanitizeForTerminal(std::string_view text) { return Sanitize(text, false); }

std::string SanitizeLinesForTerminal(std::string_view text) { return Sanitize(text, true); }

}  // namespace rapidbyte
