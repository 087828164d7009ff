// ConnectorError: the error shape shared by connectors and the host (SPEC §4.11). The
// category decides the defaults of the retry fields; only the engine's retry policy reads
// them, and nothing decides by matching message text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "protocol/error_taxonomy.h"
#include "protocol/json.h"

namespace rapidbyte::protocol {


struct ConnectorError {
  ErrorCategory category = ErrorCategory::kInternal;
  ErrorScope scope = ErrorScope::kStream;
  std::string code;
  std::string message;
  bool retryable = false;
  std::optional<std::int64_t> retry_after_ms;
  BackoffClass backoff_class = BackoffClass::kNormal;
  bool safe_to_retry = false;
  std::optional<CommitState> commit_state;
  Json details;  // null when absent

  /// An error with the defaults of its category (SPEC §4.11 table).
  static ConnectorError Make(ErrorCategory category, std::string code, std::string message);

  /// Set the commit state; after_commit_unknown forces safe_to_retry false.
  ConnectorError& WithCommitState(CommitState state);

  /// "[<category>/<scope>] <code> (retryable|fatal): <message>"
  std::string Display() const;

  Json ToJson() const;
  /// Decode a connector's error object; missing optional fields take their defaults, a
  /// missing or unknown category/code is an InvalidArgument error.
  static Result<ConnectorError> FromJson(const Json& json);
};

}  // namespace rapidbyte::protocol
