// The one error taxonomy of SPEC §4.11: categories, scopes, backoff classes and commit
// states, with their wire spellings. Header-only with no dependencies, so every layer that
// classifies errors uses these same enums: the protocol codec (connector_error.h), pgwire's
// SQLSTATE mapping, the plugin host's own errors and the SDK. A category is never spelled as
// a string literal outside this file.
#pragma once

#include <optional>
#include <string_view>

namespace rapidbyte::protocol {

enum class ErrorCategory {
  kConfig, kAuth, kPermission, kRateLimit, kTransientNetwork, kTransientDb, kData, kSchema,
  kInternal, kCancelled,
};
enum class ErrorScope { kStream, kBatch, kRecord };
enum class BackoffClass { kFast, kNormal, kSlow };
enum class CommitState { kBeforeCommit, kAfterCommitUnknown, kAfterCommitConfirmed };

inline constexpr ErrorCategory kErrorCategories[] = {
    ErrorCategory::kConfig,      ErrorCategory::kAuth,        ErrorCategory::kPermission,
    ErrorCategory::kRateLimit,   ErrorCategory::kTransientNetwork, ErrorCategory::kTransientDb,
    ErrorCategory::kData,        ErrorCategory::kSchema,      ErrorCategory::kInternal,
    ErrorCategory::kCancelled};

constexpr std::string_view Name(ErrorCategory v) {
  switch (v) {
    case ErrorCategory::kConfig: return "config";
    case ErrorCategory::kAuth: return "auth";
    case ErrorCategory::kPermission: return "permission";
    case ErrorCategory::kRateLimit: return "rate_limit";
    case ErrorCategory::kTransientNetwork: return "transient_network";
    case ErrorCategory::kTransientDb: return "transient_db";
    case ErrorCategory::kData: return "data";
    case ErrorCategory::kSchema: return "schema";
    case ErrorCategory::kInternal: return "internal";
    case ErrorCategory::kCancelled: return "cancelled";
  }
  return "internal";
}

constexpr std::string_view Name(ErrorScope v) {
  switch (v) {
    case ErrorScope::kStream: return "stream";
    case ErrorScope::kBatch: return "batch";
    case ErrorScope::kRecord: return "record";
  }
  return "stream";
}

constexpr std::string_view Name(BackoffClass v) {
  switch (v) {
    case BackoffClass::kFast: return "fast";
    case BackoffClass::kNormal: return "normal";
    case BackoffClass::kSlow: return "slow";
  }
  return "normal";
}

constexpr std::string_view Name(CommitState v) {
  switch (v) {
    case CommitState::kBeforeCommit: return "before_commit";
    case CommitState::kAfterCommitUnknown: return "after_commit_unknown";
    case CommitState::kAfterCommitConfirmed: return "after_commit_confirmed";
  }
  return "before_commit";
}

/// The category spelled `text`, or nullopt.
constexpr std::optional<ErrorCategory> ParseErrorCategory(std::string_view text) {
  for (ErrorCategory c : kErrorCategories) {
    if (Name(c) == text) return c;
  }
  return std::nullopt;
}

/// SPEC §4.11: rate-limit and transient errors are retryable by default, nothing else.
constexpr bool IsRetryableCategory(ErrorCategory category) {
  return category == ErrorCategory::kRateLimit || category == ErrorCategory::kTransientNetwork ||
         category == ErrorCategory::kTransientDb;
}

}  // namespace rapidbyte::protocol
