// A SAX front end over nlohmann's DOM builder: it hooks keys (duplicates), containers
// (depth) and errors (recorded, never thrown).
#include <set>
#include <string>
#include <vector>

#include "plugin/manifest/strict_json_internal.h"

namespace rapidbyte::plugin::manifest::internal {
namespace {

using Json = nlohmann::json;
using DomParser = nlohmann::detail::json_sax_dom_parser<Json>;

class StrictSax : public DomParser {
 public:
  explicit StrictSax(Json& result) : DomParser(result, /*allow_exceptions_=*/false) {}

  bool start_object(std::size_t len) {
    keys_.emplace_back();
    return Enter() && DomParser::start_object(len);
  }
  bool end_object() {
    keys_.pop_back();
    --depth_;
    return DomParser::end_object();
  }
  bool start_array(std::size_t len) { return Enter() && DomParser::start_array(len); }
  bool end_array() {
    --depth_;
    return DomParser::end_array();
  }
  bool key(Json::string_t& val) {
    if (!keys_.back().insert(val).second) {
      error_ = "duplicate key '" + val + "'";
      return false;
    }
    return DomParser::key(val);
  }
  template <class Exception>
  bool parse_error(std::size_t /*position*/, const std::string& /*last_token*/,
                   const Exception& ex) {
    std::string what = ex.what();
    // Drop the library's "[json.exception.parse_error.101] " tag.
    if (const auto close = what.find("] ");
        what.rfind("[json.", 0) == 0 && close != std::string::npos) {
      what = what.substr(close + 2);
    }
    error_ = what;
    return false;
  }

  const std::string& error() const { return error_; }

 private:
  bool Enter() {
    if (++depth_ > kMaxJsonDepth) {
      error_ = "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
      return false;
    }
    return true;
  }

  std::vector<std::set<std::string>> keys_;
  std::size_t depth_ = 0;
  std::string error_;
};

}  // namespace

Result<Json> ParseStrictJson(std::string_view text) {
  Json result;
  StrictSax sax(result);
  const bool ok = Json::sax_parse(text.begin(), text.end(), &sax);
  if (!ok || sax.is_errored()) {
    const std::string reason = sax.error().empty() ? "not a JSON document" : sax.error();
    return Status::InvalidArgument("invalid JSON: " + reason);
  }
  return result;
}

}  // namespace rapidbyte::plugin::manifest::internal
