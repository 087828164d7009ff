// Config decoding (see csv_config.h).
#include "csv_config.h"

namespace source_csv {
namespace {

namespace sdk = rapidbyte::sdk;
using rapidbyte::protocol::Json;

// A string member, or a config error naming `field`.
sdk::Outcome<std::string> String(const Json& obj, const char* key, const std::string& field,
                                 bool required, std::string fallback = "") {
  if (!obj.contains(key)) {
    if (required) return sdk::ConfigError(field, "required");
    return fallback;
  }
  if (!obj[key].is_string()) return sdk::ConfigError(field, "must be a string");
  return obj[key].get<std::string>();
}

sdk::Outcome<std::int64_t> Positive(const Json& obj, const char* key, std::int64_t fallback) {
  if (!obj.contains(key)) return fallback;
  if (!obj[key].is_number_integer() || obj[key].get<std::int64_t>() < 1) {
    return sdk::ConfigError(key, "must be a positive integer");
  }
  return obj[key].get<std::int64_t>();
}

sdk::Outcome<StreamConfig> ParseStream(const Json& item, const std::string& at) {
  if (!item.is_object()) return sdk::ConfigError(at, "must be an object");
  StreamConfig s;
  auto name = String(item, "name", at + ".name", true);
  if (!name.ok()) return name.error();
  auto pattern = String(item, "pattern", at + ".pattern", true);
  if (!pattern.ok()) return pattern.error();
  s.name = *name;
  s.pattern = *pattern;
  if (s.pattern.empty() || s.pattern.find('/') != std::string::npos) {
    return sdk::ConfigError(at + ".pattern", "must be a file name pattern without '/'");
  }
  if (!item.contains("columns")) return s;
  if (!item["columns"].is_array()) return sdk::ConfigError(at + ".columns", "must be a list");
  for (std::size_t j = 0; j < item["columns"].size(); ++j) {
    const std::string col_at = at + ".columns[" + std::to_string(j) + "]";
    const Json& col = item["columns"][j];
    if (!col.is_object()) return sdk::ConfigError(col_at, "must be an object");
    auto col_name = String(col, "name", col_at + ".name", true);
    if (!col_name.ok()) return col_name.error();
    auto type_name = String(col, "type", col_at + ".type", true);
    if (!type_name.ok()) return type_name.error();
    const auto type = ParseTypeName(*type_name);
    if (!type) {
      return sdk::ConfigError(col_at + ".type",
                              "'" + *type_name +
                                  "' is not a column type (int64, float64, decimal(p,s), bool, "
                                  "date, timestamp, timestamptz, utf8)");
    }
    s.columns.push_back({*col_name, *type});
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
  auto directory = String(json, "directory", "directory", true);
  if (!directory.ok()) return directory.error();
  c.directory = *directory;
  if (c.directory.empty() || c.directory[0] != '/') {
    return sdk::ConfigError("directory", "must be an absolute path");
  }
  auto delimiter = String(json, "delimiter", "delimiter", false, ",");
  if (!delimiter.ok()) return delimiter.error();
  if (delimiter->size() != 1 || *delimiter == "\"" || *delimiter == "\n" || *delimiter == "\r") {
    return sdk::ConfigError("delimiter", "must be one character other than a quote or newline");
  }
  c.delimiter = (*delimiter)[0];
  auto null_string = String(json, "null_string", "null_string", false, "");
  if (!null_string.ok()) return null_string.error();
  c.null_string = *null_string;
  auto infer_rows = Positive(json, "infer_rows", 1000);
  if (!infer_rows.ok()) return infer_rows.error();
  c.infer_rows = *infer_rows;
  auto max_rows = Positive(json, "max_batch_rows", 100000);
  if (!max_rows.ok()) return max_rows.error();
  c.max_batch_rows = *max_rows;
  if (!json.contains("streams") || !json["streams"].is_array() || json["streams"].empty()) {
    return sdk::ConfigError("streams", "must be a non-empty list of {name, pattern}");
  }
  for (std::size_t i = 0; i < json["streams"].size(); ++i) {
    auto s = ParseStream(json["streams"][i], "streams[" + std::to_string(i) + "]");
    if (!s.ok()) return s.error();
    for (const auto& other : c.streams) {
      if (other.name == s->name) {
        return sdk::ConfigError("streams[" + std::to_string(i) + "].name",
                                "duplicate stream '" + s->name + "'");
      }
    }
    s->index = i;
    c.streams.push_back(std::move(*s));
  }
  return c;
}

}  // namespace source_csv
