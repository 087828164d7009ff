// Secret detection and masking. Longest secrets are replaced first so that a secret that
// contains another is masked whole.
#include "config/redact.h"

#include <algorithm>
#include <cctype>

namespace rapidbyte::config {

bool IsSecretKey(std::string_view key) {
  std::string lower;
  for (char c : key) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  for (std::string_view word : {"password", "secret", "token", "key", "credentials"}) {
    if (lower.size() >= word.size() && lower.compare(lower.size() - word.size(), word.size(), word) == 0) {
      return true;
    }
  }
  return false;
}

namespace {

// Locate the userinfo password span [begin, end) of scheme://user:password@host...
std::optional<std::pair<std::size_t, std::size_t>> PasswordSpan(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  const std::size_t auth_begin = scheme_end + 3;
  std::size_t auth_end = url.find_first_of("/?#", auth_begin);
  if (auth_end == std::string_view::npos) auth_end = url.size();
  const std::size_t at = url.rfind('@', auth_end);
  if (at == std::string_view::npos || at < auth_begin) return std::nullopt;
  const std::size_t colon = url.find(':', auth_begin);
  if (colon == std::string_view::npos || colon > at) return std::nullopt;
  return std::make_pair(colon + 1, at);
}

}  // namespace

std::optional<std::string> UrlPassword(std::string_view url) {
  const auto span = PasswordSpan(url);
  if (!span || span->first == span->second) return std::nullopt;
  return std::string(url.substr(span->first, span->second - span->first));
}

std::string RedactUrlPassword(std::string_view url) {
  const auto span = PasswordSpan(url);
  if (!span || span->first == span->second) return std::string(url);
  return std::string(url.substr(0, span->first)) + "***" + std::string(url.substr(span->second));
}

std::string RedactText(std::string_view text, const std::vector<std::string>& secrets) {
  std::vector<std::string> sorted;
  for (const auto& s : secrets) {
    if (s.size() >= 4) sorted.push_back(s);
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  std::string out(text);
  for (const auto& secret : sorted) {
    std::size_t pos = 0;
    while ((pos = out.find(secret, pos)) != std::string::npos) {
      out.replace(pos, secret.size(), "***");
      pos += 3;
    }
  }
  return out;
}

}  // namespace rapidbyte::config
