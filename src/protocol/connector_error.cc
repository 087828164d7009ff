// ConnectorError: spellings, category defaults and the JSON codec.
#include "protocol/connector_error.h"

namespace rapidbyte::protocol {
namespace {

template <typename E, std::size_t N>
std::optional<E> ParseEnum(std::string_view text, const E (&values)[N]) {
  for (E v : values) {
    if (Name(v) == text) return v;
  }
  return std::nullopt;
}

constexpr ErrorCategory kCategories[] = {
    ErrorCategory::kConfig,      ErrorCategory::kAuth,        ErrorCategory::kPermission,
    ErrorCategory::kRateLimit,   ErrorCategory::kTransientNetwork, ErrorCategory::kTransientDb,
    ErrorCategory::kData,        ErrorCategory::kSchema,      ErrorCategory::kInternal,
    ErrorCategory::kCancelled};
constexpr ErrorScope kScopes[] = {ErrorScope::kStream, ErrorScope::kBatch, ErrorScope::kRecord};
constexpr BackoffClass kBackoffs[] = {BackoffClass::kFast, BackoffClass::kNormal,
                                      BackoffClass::kSlow};
constexpr CommitState kCommitStates[] = {CommitState::kBeforeCommit,
                                         CommitState::kAfterCommitUnknown,
                                         CommitState::kAfterCommitConfirmed};

}  // namespace

std::string_view Name(ErrorCategory v) {
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

std::string_view Name(ErrorScope v) {
  switch (v) {
    case ErrorScope::kStream: return "stream";
    case ErrorScope::kBatch: return "batch";
    case ErrorScope::kRecord: return "record";
  }
  return "stream";
}

std::string_view Name(BackoffClass v) {
  switch (v) {
    case BackoffClass::kFast: return "fast";
    case BackoffClass::kNormal: return "normal";
    case BackoffClass::kSlow: return "slow";
  }
  return "normal";
}

std::string_view Name(CommitState v) {
  switch (v) {
    case CommitState::kBeforeCommit: return "before_commit";
    case CommitState::kAfterCommitUnknown: return "after_commit_unknown";
    case CommitState::kAfterCommitConfirmed: return "after_commit_confirmed";
  }
  return "before_commit";
}

std::optional<ErrorCategory> ParseErrorCategory(std::string_view text) {
  return ParseEnum(text, kCategories);
}

ConnectorError ConnectorError::Make(ErrorCategory category, std::string code,
                                    std::string message) {
  ConnectorError e;
  e.category = category;
  e.code = std::move(code);
  e.message = std::move(message);
  switch (category) {
    case ErrorCategory::kRateLimit:
      e.retryable = e.safe_to_retry = true;
      e.backoff_class = BackoffClass::kSlow;
      break;
    case ErrorCategory::kTransientNetwork:
    case ErrorCategory::kTransientDb:
      e.retryable = e.safe_to_retry = true;
      break;
    case ErrorCategory::kData:
      e.scope = ErrorScope::kRecord;
      break;
    default:
      break;
  }
  return e;
}

ConnectorError& ConnectorError::WithCommitState(CommitState state) {
  commit_state = state;
  if (state == CommitState::kAfterCommitUnknown) safe_to_retry = false;
  return *this;
}

std::string ConnectorError::Display() const {
  return "[" + std::string(Name(category)) + "/" + std::string(Name(scope)) + "] " + code + " (" +
         (retryable ? "retryable" : "fatal") + "): " + message;
}

Json ConnectorError::ToJson() const {
  Json j = Json::object();
  j["category"] = Name(category);
  j["scope"] = Name(scope);
  j["code"] = code;
  j["message"] = message;
  j["retryable"] = retryable;
  j["retry_after_ms"] = retry_after_ms ? Json(*retry_after_ms) : Json(nullptr);
  j["backoff_class"] = Name(backoff_class);
  j["safe_to_retry"] = safe_to_retry;
  j["commit_state"] = commit_state ? Json(Name(*commit_state)) : Json(nullptr);
  j["details"] = details;
  return j;
}

Result<ConnectorError> ConnectorError::FromJson(const Json& json) {
  if (!json.is_object()) return Status::InvalidArgument("error is not a JSON object");
  std::string category_text;
  if (!GetString(json, "category", &category_text)) {
    return Status::InvalidArgument("error has no 'category'");
  }
  const auto category = ParseEnum(category_text, kCategories);
  if (!category) return Status::InvalidArgument("unknown error category '" + category_text + "'");
  std::string code;
  if (!GetString(json, "code", &code) || code.empty()) {
    return Status::InvalidArgument("error has no 'code'");
  }
  std::string message;
  GetString(json, "message", &message);
  ConnectorError e = Make(*category, std::move(code), std::move(message));
  std::string text;
  if (GetString(json, "scope", &text)) {
    if (auto scope = ParseEnum(text, kScopes)) e.scope = *scope;
  }
  GetBool(json, "retryable", &e.retryable);
  GetBool(json, "safe_to_retry", &e.safe_to_retry);
  std::int64_t after = 0;
  if (GetInt(json, "retry_after_ms", &after) && after >= 0) e.retry_after_ms = after;
  if (GetString(json, "backoff_class", &text)) {
    if (auto backoff = ParseEnum(text, kBackoffs)) e.backoff_class = *backoff;
  }
  if (GetString(json, "commit_state", &text)) {
    auto state = ParseEnum(text, kCommitStates);
    if (!state) return Status::InvalidArgument("unknown commit_state '" + text + "'");
    e.WithCommitState(*state);
  }
  if (const Json* details = GetMember(json, "details")) e.details = *details;
  return e;
}

}  // namespace rapidbyte::protocol
