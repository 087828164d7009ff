// Errors of the PostgreSQL connectors as ConnectorError documents (SPEC §4.11, §7.7, §8.8).
// Every failure inside a connector travels as a Status; at the connector class's edge
// ToConnectorError turns it into the typed error the engine's retry policy reads:
//   - an SDK error carried by sdk::AsStatus comes back as it was;
//   - a ServerError (the server's ErrorResponse) is classified by its SQLSTATE, and `details`
//     carries sqlstate, detail, hint, schema, table and column;
//   - a ClientError (pgwire, the host's network functions, or Fail() below) keeps its own
//     category and code verbatim, so connector-specific codes such as TABLE_NOT_FOUND or
//     CURSOR_TYPE_CHANGED survive;
//   - anything else falls back on pgwire::ClassifyStatus (by StatusCode).
// Portable.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "pgwire/error_mapping.h"
#include "protocol/connector_error.h"
#include "protocol/json.h"

namespace rapidbyte::pgconn {

using pgwire::ErrorCategory;

/// An error Status with a connector-specific `code` of `category` (e.g. config,
/// "TABLE_NOT_FOUND"). ToConnectorError reports exactly that category and code.
Status Fail(ErrorCategory category, std::string_view code, std::string message);

struct ErrorOptions {
  /// rapidbyte asked for the cancellation (a 57014 is then `cancelled`, not retryable).
  bool cancel_requested = false;
  /// Prefixed to the message with ": " (e.g. "stream public.users"), when not empty.
  std::string context;
};

/// Classify `status` (an error) per SPEC §7.7 into a ConnectorError with the category's
/// default retry fields, the class's backoff and the server's fields in `details`.
protocol::ConnectorError ToConnectorError(const Status& status, const ErrorOptions& options = {});

}  // namespace rapidbyte::pgconn
