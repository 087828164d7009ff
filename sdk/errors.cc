// Error builders.
#include "sdk/errors.h"

namespace rapidbyte::sdk {

using protocol::ConnectorError;
using protocol::ErrorCategory;

ConnectorError Error(ErrorCategory category, std::string code, std::string message) {
  return ConnectorError::Make(category, std::move(code), std::move(message));
}

ConnectorError ConfigError(std::string_view field, std::string_view message) {
  ConnectorError e = Error(ErrorCategory::kConfig, "INVALID_CONFIG",
                           std::string(field) + ": " + std::string(message));
  e.details = protocol::Json{{"field", std::string(field)}};
  return e;
}

ConnectorError AuthError(std::string code, std::string message) {
  return Error(ErrorCategory::kAuth, std::move(code), std::move(message));
}
ConnectorError PermissionError(std::string code, std::string message) {
  return Error(ErrorCategory::kPermission, std::move(code), std::move(message));
}
ConnectorError RateLimitError(std::string code, std::string message) {
  return Error(ErrorCategory::kRateLimit, std::move(code), std::move(message));
}
ConnectorError TransientNetworkError(std::string code, std::string message) {
  return Error(ErrorCategory::kTransientNetwork, std::move(code), std::move(message));
}
ConnectorError TransientDbError(std::string code, std::string message) {
  return Error(ErrorCategory::kTransientDb, std::move(code), std::move(message));
}
ConnectorError DataError(std::string code, std::string message) {
  return Error(ErrorCategory::kData, std::move(code), std::move(message));
}
ConnectorError SchemaError(std::string code, std::string message) {
  return Error(ErrorCategory::kSchema, std::move(code), std::move(message));
}
ConnectorError InternalError(std::string code, std::string message) {
  return Error(ErrorCategory::kInternal, std::move(code), std::move(message));
}
ConnectorError CancelledError(std::string message) {
  return Error(ErrorCategory::kCancelled, "CANCELLED", std::move(message));
}

ConnectorError Rewrap(const ConnectorError& host_error, std::string code) {
  if (host_error.category == ErrorCategory::kCancelled) return host_error;
  return InternalError(std::move(code), host_error.message);
}

}  // namespace rapidbyte::sdk
