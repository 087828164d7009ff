// Carrying a ConnectorError inside a Status. Connector code that is written with Status and
// Result (the portable libraries, the PostgreSQL client) calls SDK pieces that answer with a
// ConnectorError; AsStatus keeps that error whole (category, code, retry fields, commit
// state) on its way back up, and ErrorOf gets it out again at the connector's edge, so an
// SDK error is never reclassified by message text.
#pragma once

#include "base/status.h"
#include "protocol/connector_error.h"
#include "sdk/outcome.h"

namespace rapidbyte::sdk {

/// An error Status carrying `error` (its message is the error's message).
Status AsStatus(const ConnectorError& error);
/// The status of an Outcome: OK, or AsStatus(error).
template <typename T>
Status AsStatus(const Outcome<T>& outcome) {
  return outcome.ok() ? Status::OK() : AsStatus(outcome.error());
}
/// The ConnectorError that AsStatus attached to `status`, or nullptr.
const ConnectorError* ErrorOf(const Status& status);

}  // namespace rapidbyte::sdk
