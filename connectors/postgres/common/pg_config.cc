// Parsing of the shared PostgreSQL connection config.
#include "connectors/postgres/common/pg_config.h"

namespace rapidbyte::pgconn {
namespace {

Status WrongType(std::string_view key, std::string_view expected) {
  return Status::InvalidArgument("config." + std::string(key) + ": must be " +
                                 std::string(expected));
}

// Reads an optional string; a present value of another type is an error.
Status OptionalString(const protocol::Json& config, std::string_view key, std::string* out) {
  const protocol::Json* value = protocol::GetMember(config, key);
  if (value == nullptr || value->is_null()) return Status::OK();
  if (!value->is_string()) return WrongType(key, "a string");
  *out = value->get<std::string>();
  return Status::OK();
}

Status RequiredString(const protocol::Json& config, std::string_view key, std::string* out) {
  const protocol::Json* value = protocol::GetMember(config, key);
  if (value == nullptr || value->is_null()) {
    return Status::InvalidArgument("config: missing required property '" + std::string(key) +
                                   "'");
  }
  return OptionalString(config, key, out);
}

Status OptionalInt(const protocol::Json& config, std::string_view key, std::int64_t min,
                   std::int64_t max, int* out) {
  const protocol::Json* value = protocol::GetMember(config, key);
  if (value == nullptr || value->is_null()) return Status::OK();
  if (!value->is_number_integer()) return WrongType(key, "an integer");
  const std::int64_t v = value->get<std::int64_t>();
  if (v < min || v > max) {
    return Status::InvalidArgument("config." + std::string(key) + ": must be between " +
                                   std::to_string(min) + " and " + std::to_string(max) +
                                   ", got " + std::to_string(v));
  }
  *out = static_cast<int>(v);
  return Status::OK();
}

}  // namespace

std::string PgConfig::Describe() const {
  return host + ":" + std::to_string(port) + "/" + database;
}

pgwire::ConnectOptions PgConfig::ToConnectOptions() const {
  pgwire::ConnectOptions options;
  options.user = user;
  options.password = password;
  options.database = database;
  options.sslmode = sslmode;
  options.sslrootcert = sslrootcert;
  options.server_name = host;
  options.connect_timeout_ms = connect_timeout_secs * 1000;
  return options;
}

Result<PgConfig> ParsePgConfig(const protocol::Json& config) {
  if (!config.is_object()) return Status::InvalidArgument("config: must be an object");
  PgConfig out;
  RB_RETURN_NOT_OK(RequiredString(config, "host", &out.host));
  RB_RETURN_NOT_OK(RequiredString(config, "user", &out.user));
  RB_RETURN_NOT_OK(RequiredString(config, "database", &out.database));
  RB_RETURN_NOT_OK(OptionalString(config, "password", &out.password));
  RB_RETURN_NOT_OK(OptionalString(config, "schema", &out.schema));
  RB_RETURN_NOT_OK(OptionalString(config, "sslmode", &out.sslmode_text));
  RB_RETURN_NOT_OK(OptionalString(config, "sslrootcert", &out.sslrootcert));
  RB_RETURN_NOT_OK(OptionalInt(config, "port", 1, 65535, &out.port));
  RB_RETURN_NOT_OK(OptionalInt(config, "connect_timeout", 1, 3600, &out.connect_timeout_secs));
  if (out.host.empty()) return Status::InvalidArgument("config.host: must not be empty");
  if (out.schema.empty()) return Status::InvalidArgument("config.schema: must not be empty");
  auto sslmode = pgwire::ParseSslMode(out.sslmode_text);
  if (!sslmode.ok()) {
    return Status::InvalidArgument("config.sslmode: '" + out.sslmode_text +
                                   "' is not one of disable, prefer, require, verify-ca, "
                                   "verify-full");
  }
  out.sslmode = *sslmode;
  return out;
}

Result<protocol::Json> ParseRequest(std::string_view text) {
  std::optional<protocol::Json> doc = protocol::ParseJson(text);
  if (!doc || !doc->is_object()) {
    return Status::InvalidArgument("request is not a JSON object");
  }
  return std::move(*doc);
}

Result<protocol::Json> ConfigObject(const protocol::Json& request) {
  const protocol::Json* config = protocol::GetMember(request, "config");
  const protocol::Json* json = config ? protocol::GetMember(*config, "json") : nullptr;
  if (json == nullptr || !json->is_object()) {
    return Status::InvalidArgument("request has no config.json object");
  }
  return *json;
}

}  // namespace rapidbyte::pgconn
