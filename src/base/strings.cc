// Edit distance and suggestions, used by every "did you mean" in the product.
#include "base/strings.h"

#include <algorithm>

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

}  // namespace rapidbyte
