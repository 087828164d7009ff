// DepthLimitedSax: nlohmann's own DOM builder with a depth check on every container. The
// parser keeps its state on the heap, so with this check a deep document is refused before
// anything recursive (copy, dump, comparison) ever sees it. Used for connector JSON
// (protocol::ParseJson) and manifests (plugin/manifest/strict_json.cc, which adds checks).
#pragma once

#include <cstddef>
#include <string>
#include <utility>

#include "protocol/json.h"

namespace rapidbyte::protocol {

class DepthLimitedSax : public nlohmann::detail::json_sax_dom_parser<Json> {
 public:
  using DomParser = nlohmann::detail::json_sax_dom_parser<Json>;

  /// `limit_note`, when not empty, follows the limit in the error: "nested deeper than 64
  /// levels (<limit_note>)".
  DepthLimitedSax(Json& result, std::size_t max_depth, std::string limit_note = "")
      : DomParser(result, /*allow_exceptions_=*/false),
        max_depth_(max_depth),
        limit_note_(std::move(limit_note)) {}

  bool start_object(std::size_t len) { return Enter() && DomParser::start_object(len); }
  bool end_object() {
    --depth_;
    return DomParser::end_object();
  }
  bool start_array(std::size_t len) { return Enter() && DomParser::start_array(len); }
  bool end_array() {
    --depth_;
    return DomParser::end_array();
  }
  template <class Exception>
  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const Exception& /*ex*/) {
    error_ = "not valid JSON (syntax error at byte " + std::to_string(position) + ")";
    return false;
  }

  /// Why parsing stopped; empty when it did not.
  const std::string& error() const { return error_; }

 protected:
  void set_error(std::string error) { error_ = std::move(error); }

 private:
  bool Enter() {
    if (++depth_ <= max_depth_) return true;
    error_ = "nested deeper than " + std::to_string(max_depth_) + " levels";
    if (!limit_note_.empty()) error_ += " (" + limit_note_ + ")";
    return false;
  }

  std::size_t max_depth_;
  std::string limit_note_;
  std::size_t depth_ = 0;
  std::string error_;
};

}  // namespace rapidbyte::protocol
