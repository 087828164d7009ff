// A SAX front end over nlohmann's DOM builder: it hooks keys (duplicates), containers
// (depth) and errors (recorded, never thrown).
#include <set>
#include <string>
#include <vector>

#include "plugin/manifest/strict_json_internal.h"
#include "protocol/json_sax.h"

namespace rapidbyte::plugin::manifest::internal {
namespace {

using Json = nlohmann::json;
// Depth from protocol::DepthLimitedSax; duplicate keys and the library's own syntax
// messages (with line and column) added here.
class StrictSax : public protocol::DepthLimitedSax {
 public:
  explicit StrictSax(Json& result) : DepthLimitedSax(result, kMaxJsonDepth) {}

  bool start_object(std::size_t len) {
    keys_.emplace_back();
    return DepthLimitedSax::start_object(len);
  }
  bool end_object() {
    keys_.pop_back();
    return DepthLimitedSax::end_object();
  }
  bool key(Json::string_t& val) {
    if (!keys_.back().insert(val).second) {
      set_error("duplicate key '" + val + "'");
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
    set_error(what);
    return false;
  }

 private:
  std::vector<std::set<std::string>> keys_;
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
