// The std::regex adapter: the only code in this library that catches an exception.
#include "plugin/manifest/pattern.h"

namespace rapidbyte::plugin::manifest {

Result<std::shared_ptr<const Pattern>> Pattern::Compile(std::string_view source) {
  if (source.size() > kMaxPatternLength) {
    return Status::InvalidArgument("pattern is longer than " + std::to_string(kMaxPatternLength) +
                                   " characters");
  }
  std::string text(source);
  try {
    std::regex regex(text, std::regex::ECMAScript);
    return std::shared_ptr<const Pattern>(new Pattern(std::move(text), std::move(regex)));
  } catch (const std::regex_error& e) {
    return Status::InvalidArgument("invalid pattern '" + text + "': " + e.what());
  }
}

Result<bool> Pattern::Search(std::string_view input) const {
  if (input.size() > kMaxInputLength) {
    return Status::InvalidArgument("is longer than " + std::to_string(kMaxInputLength) +
                                   " characters, too long to check against pattern '" + source_ +
                                   "'");
  }
  try {
    return std::regex_search(input.begin(), input.end(), regex_);
  } catch (const std::regex_error& e) {
    return Status::InvalidArgument("could not be checked against pattern '" + source_ +
                                   "': " + e.what());
  }
}

}  // namespace rapidbyte::plugin::manifest
