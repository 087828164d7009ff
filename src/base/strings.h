// Small string helpers shared by host and guest code: edit distance and "did you mean"
// suggestions, joining. Portable.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rapidbyte {

/// Return the Levenshtein distance between `a` and `b` (insert, delete, substitute; each 1).
std::size_t EditDistance(std::string_view a, std::string_view b);

/// Return the candidate closest to `input` when it is close enough to be a likely typo:
/// within distance 2, or within a third of the input's length, whichever is larger.
/// Ties go to the earliest candidate. Exact matches are never suggested.
std::optional<std::string> SuggestClosest(std::string_view input,
                                          const std::vector<std::string>& candidates);

/// Return the elements of `parts` joined by `sep`.
std::string Join(const std::vector<std::string>& parts, std::string_view sep);

}  // namespace rapidbyte
