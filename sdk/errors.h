// Builders for the errors a connector returns (SPEC §4.11). Each takes the category's
// default retry fields from protocol::ConnectorError::Make; adjust the returned struct
// (scope, backoff_class, WithCommitState, details) when a case needs more.
#pragma once

#include <string>
#include <string_view>

#include "protocol/connector_error.h"

namespace rapidbyte::sdk {

/// Any category.
protocol::ConnectorError Error(protocol::ErrorCategory category, std::string code,
                               std::string message);

/// A config value that is missing or wrong: code INVALID_CONFIG, message "<field>: <message>",
/// details {"field": <field>} so tools can point at the offending key.
protocol::ConnectorError ConfigError(std::string_view field, std::string_view message);
protocol::ConnectorError AuthError(std::string code, std::string message);
protocol::ConnectorError PermissionError(std::string code, std::string message);
protocol::ConnectorError RateLimitError(std::string code, std::string message);
protocol::ConnectorError TransientNetworkError(std::string code, std::string message);
protocol::ConnectorError TransientDbError(std::string code, std::string message);
protocol::ConnectorError DataError(std::string code, std::string message);
protocol::ConnectorError SchemaError(std::string code, std::string message);
protocol::ConnectorError InternalError(std::string code, std::string message);
/// Code CANCELLED: the run is being cancelled (a host call answered RB_CANCELLED).
protocol::ConnectorError CancelledError(std::string message = "run cancelled");

/// A failed SDK host call seen as this connector's own failure: a cancellation stays as it
/// is (the engine must see the run was cancelled), anything else becomes an internal error
/// with `code` and the host's message.
protocol::ConnectorError Rewrap(const protocol::ConnectorError& host_error, std::string code);

}  // namespace rapidbyte::sdk
