// Small string helpers shared by host and guest code: edit distance and "did you mean"
// suggestions, joining, making untrusted text safe for a terminal. Portable.
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

/// Return `text` made safe to print on a terminal or in a one-line log: every C0 control
/// character (ESC, CR, LF, TAB, BEL, ...), DEL and every C1 control (U+0080-U+009F, which
/// some terminals obey like ESC sequences) becomes a visible escape ("\x1b", "\r", "\n",
/// "\t", "\x7f", "\u009b"), and each byte that is not part of valid UTF-8 becomes "\xNN".
/// Everything else, backslashes included, is kept. For text that came from a connector (or
/// any third party): without this it could forge lines, retitle or clear the terminal.
std::string SanitizeForTerminal(std::string_view text);

/// SanitizeForTerminal, but line feeds are kept: for multi-line messages the host composed,
/// whose parts from third parties were sanitised (a forged line cannot get in); this
/// catches the control characters nobody escaped.
std::string SanitizeLinesForTerminal(std::string_view text);

}  // namespace rapidbyte
