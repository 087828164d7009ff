// Status -> ConnectorError classification for the PostgreSQL connectors.
#include "connectors/postgres/common/pg_errors.h"

#include "pgwire/server_error.h"
#include "protocol/messages.h"
#include "sdk/error_status.h"

namespace rapidbyte::pgconn {
namespace {

// The server's structured fields, for `details` (SPEC §7.7); empty fields are left out.
protocol::Json ServerDetails(const pgwire::ServerErrorFields& f) {
  protocol::Json details = protocol::Json::object();
  const std::pair<const char*, const std::string*> fields[] = {
      {"sqlstate", &f.sqlstate}, {"detail", &f.detail}, {"hint", &f.hint},
      {"schema", &f.schema},     {"table", &f.table},   {"column", &f.column}};
  for (const auto& [key, value] : fields) {
    if (!value->empty()) details[key] = *value;
  }
  return details;
}

}  // namespace

Status Fail(ErrorCategory category, std::string_view code, std::string message) {
  return pgwire::ClientFailure(category, code, std::move(message));
}

protocol::ConnectorError ToConnectorError(const Status& status, const ErrorOptions& options) {
  std::string message = status.message();
  if (!options.context.empty()) message = options.context + ": " + message;
  if (const protocol::ConnectorError* sdk_error = sdk::ErrorOf(status)) {
    // An SDK call's error (a host call, the frame emitter): already typed.
    protocol::ConnectorError error = *sdk_error;
    error.message = std::move(message);
    return error;
  }
  pgwire::ClassifyOptions classify;
  classify.cancel_requested = options.cancel_requested;
  protocol::ConnectorError error;
  if (const pgwire::ClientError* client = pgwire::GetClientError(status)) {
    // Keep connector-specific codes verbatim (ClassifyStatus knows only pgwire's own).
    error = protocol::ConnectorError::Make(client->category(),
                                           client->code(), std::move(message));
    return error;
  }
  const pgwire::ErrorClass cls = pgwire::ClassifyStatus(status, classify);
  error = protocol::ConnectorError::Make(cls.category, std::string(cls.code),
                                         std::move(message));
  error.backoff_class = cls.backoff;
  if (const pgwire::ServerError* server = pgwire::GetServerError(status)) {
    error.details = ServerDetails(server->fields());
  }
  return error;
}

}  // namespace rapidbyte::pgconn
