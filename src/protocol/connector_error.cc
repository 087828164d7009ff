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

constexpr ErrorScope kScopes[] = {ErrorScope::kStream, ErrorScope::kBatch, ErrorScope::kRecord};
constexpr BackoffClass kBackoffs[] = {BackoffClass::kFast, BackoffClass::kNormal,
                                      BackoffClass::kSlow};
constexpr CommitState kCommitStates[] = {CommitState::kBeforeCommit,
                                         CommitState::kAfterCommitUnknown,
                                         CommitState::kAfterCommitConfirmed};

}  // namespace

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
  const auto category = ParseErrorCategory(category_text);
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
