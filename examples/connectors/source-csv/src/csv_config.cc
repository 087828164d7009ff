// Config decoding (see csv_config.h), with the SDK's field readers (sdk/config_fields.h):
// each names the offending field, e.g. "streams[0].pattern: is required".
#include "csv_config.h"

#include "sdk/config_fields.h"

namespace source_csv {
namespace {

namespace sdk = rapidbyte::sdk;
namespace fields = rapidbyte::sdk::fields;
using rapidbyte::protocol::Json;

sdk::Outcome<DeclaredColumn> ParseColumn(const Json& item, const std::string& at) {
  if (!item.is_object()) return sdk::ConfigError(at, "must be an object {name, type}");
  DeclaredColumn column;
  std::string type_name;
  RB_TRY(fields::String(item, at + ".", "name", &column.name, true));
  RB_TRY(fields::String(item, at + ".", "type", &type_name, true));
  const auto type = ParseTypeName(type_name);
  if (!type) {
    return sdk::ConfigError(at + ".type", "'" + type_name +
                                              "' is not a column type (int64, float64, "
                                              "decimal(p,s), bool, date, timestamp, "
                                              "timestamptz, utf8)");
  }
  column.type = *type;
  return column;
}

sdk::Outcome<StreamConfig> ParseStream(const Json& item, std::size_t index) {
  const std::string at = "streams[" + std::to_string(index) + "]";
  if (!item.is_object()) return sdk::ConfigError(at, "must be an object {name, pattern}");
  StreamConfig s;
  s.index = index;
  RB_TRY(fields::String(item, at + ".", "name", &s.name, true));
  RB_TRY(fields::String(item, at + ".", "pattern", &s.pattern, true));
  if (s.pattern.empty() || s.pattern.find('/') != std::string::npos) {
    return sdk::ConfigError(at + ".pattern", "must be a file name pattern without '/'");
  }
  const Json* columns = rapidbyte::protocol::GetMember(item, "columns");
  if (columns == nullptr || columns->is_null()) return s;
  if (!columns->is_array()) return sdk::ConfigError(at + ".columns", "must be a list");
  for (std::size_t j = 0; j < columns->size(); ++j) {
    auto column = ParseColumn((*columns)[j], at + ".columns[" + std::to_string(j) + "]");
    if (!column.ok()) return column.error();
    s.columns.push_back(std::move(*column));
  }
  return s;
}

}  // namespace

const StreamConfig* Config::Find(const std::string& stream_name) const {
  const std::size_t dot = stream_name.rfind('.');
  const std::string last = dot == std::string::npos ? stream_name : stream_name.substr(dot + 1);
  for (const auto& s : streams) {
    if (s.name == stream_name || s.name == last) return &s;
  }
  return nullptr;
}

sdk::Outcome<Config> ParseConfig(const Json& json) {
  Config c;
  std::string delimiter = ",";
  RB_TRY(fields::String(json, "", "directory", &c.directory, true));
  RB_TRY(fields::String(json, "", "delimiter", &delimiter));
  RB_TRY(fields::String(json, "", "null_string", &c.null_string));
  RB_TRY(fields::Int(json, "", "infer_rows", &c.infer_rows, 1));
  RB_TRY(fields::Int(json, "", "max_batch_rows", &c.max_batch_rows, 1));
  if (c.directory.empty() || c.directory[0] != '/') {
    return sdk::ConfigError("directory", "must be an absolute path");
  }
  if (delimiter.size() != 1 || delimiter == "\"" || delimiter == "\n" || delimiter == "\r") {
    return sdk::ConfigError("delimiter", "must be one character other than a quote or newline");
  }
  c.delimiter = delimiter[0];
  const Json* streams = rapidbyte::protocol::GetMember(json, "streams");
  if (streams == nullptr || !streams->is_array() || streams->empty()) {
    return sdk::ConfigError("streams", "must be a non-empty list of {name, pattern}");
  }
  for (std::size_t i = 0; i < streams->size(); ++i) {
    auto s = ParseStream((*streams)[i], i);
    if (!s.ok()) return s.error();
    if (c.Find(s->name) != nullptr) {
      return sdk::ConfigError("streams[" + std::to_string(i) + "].name",
                              "duplicate stream '" + s->name + "'");
    }
    c.streams.push_back(std::move(*s));
  }
  return c;
}

}  // namespace source_csv
