// SQLSTATE classification tables (SPEC §7.7, §8.8) and the ClientError detail.
#include "pgwire/error_mapping.h"

#include "pgwire/server_error.h"

namespace rapidbyte::pgwire {
namespace {

ErrorClass Make(ErrorCategory category, std::string_view code,
                BackoffClass backoff = BackoffClass::kNormal) {
  return ErrorClass{category, code, IsRetryableCategory(category), backoff};
}

bool ClassIs(std::string_view sqlstate, std::string_view cls) {
  return sqlstate.substr(0, 2) == cls;
}

}  // namespace

StatusCode StatusCodeForCategory(ErrorCategory category) {
  switch (category) {
    case ErrorCategory::kConfig:
      return StatusCode::kFailedPrecondition;
    case ErrorCategory::kAuth:
      return StatusCode::kUnauthenticated;
    case ErrorCategory::kPermission:
      return StatusCode::kPermissionDenied;
    case ErrorCategory::kRateLimit:
      return StatusCode::kResourceExhausted;
    case ErrorCategory::kTransientNetwork:
      return StatusCode::kUnavailable;
    case ErrorCategory::kTransientDb:
      return StatusCode::kAborted;
    case ErrorCategory::kData:
      return StatusCode::kInvalidArgument;
    case ErrorCategory::kSchema:
      return StatusCode::kFailedPrecondition;
    case ErrorCategory::kCancelled:
      return StatusCode::kCancelled;
    case ErrorCategory::kInternal:
    default:
      return StatusCode::kInternal;
  }
}

ErrorClass ClassifySqlState(std::string_view s, const ClassifyOptions& options) {
  using C = ErrorCategory;
  if (s == "28P01" || s == "28000") return Make(C::kAuth, kCodeAuthFailed);
  if (s == "42501") return Make(C::kPermission, "PERMISSION_DENIED");
  if (s == "42P01" || s == "3F000") return Make(C::kConfig, "TABLE_NOT_FOUND");
  if (s == "42703") return Make(C::kConfig, "COLUMN_NOT_FOUND");
  if (s == "3D000") return Make(C::kConfig, "DATABASE_NOT_FOUND");
  if (ClassIs(s, "08") || s == "57P01" || s == "57P02" || s == "57P03") {
    return Make(C::kTransientNetwork, kCodeConnectionLost);
  }
  if (s == "40001") return Make(C::kTransientDb, "SERIALIZATION_FAILURE");
  if (s == "40P01") return Make(C::kTransientDb, "DEADLOCK");
  if (ClassIs(s, "53")) return Make(C::kTransientDb, "SERVER_BUSY", BackoffClass::kSlow);
  if (s == "57014") {
    return Make(options.cancel_requested ? C::kCancelled : C::kTransientDb, kCodeQueryCanceled);
  }
  if (ClassIs(s, "22") || ClassIs(s, "23")) return Make(C::kData, "DATA_ERROR");
  if (s == "42804" || s == "42846") return Make(C::kSchema, "TYPE_MISMATCH");
  if (s == "25006") return Make(C::kConfig, "DESTINATION_READ_ONLY");
  return Make(C::kInternal, kCodeQueryFailed);
}

ErrorClass ClassifyStatus(const Status& status, const ClassifyOptions& options) {
  if (const ServerError* server = GetServerError(status)) {
    ClassifyOptions merged = options;
    merged.cancel_requested = merged.cancel_requested || server->cancel_requested();
    return ClassifySqlState(server->sqlstate(), merged);
  }
  if (const ClientError* client = GetClientError(status)) {
    // Client codes are stored in the detail; map them back onto the static spellings.
    for (std::string_view code :
         {kCodeAuthFailed, kCodeTlsFailed, kCodeProtocolError, kCodeConnectionLost,
          kCodeConnectionReset, kCodeConnectFailed, kCodeDnsFailed, kCodeTimeout, kCodeCancelled,
          kCodeQueryFailed, kCodeQueryCanceled, kCodeNetworkDenied, kCodeTlsRequired,
          kCodeTooManySockets, kCodeBadHandle}) {
      if (client->code() == code) return Make(client->category(), code);
    }
    return Make(client->category(), kCodeQueryFailed);
  }
  switch (status.code()) {
    case StatusCode::kCancelled:
      return Make(ErrorCategory::kCancelled, kCodeCancelled);
    case StatusCode::kDeadlineExceeded:
      return Make(ErrorCategory::kTransientNetwork, kCodeTimeout);
    case StatusCode::kUnavailable:
      return Make(ErrorCategory::kTransientNetwork, kCodeConnectionLost);
    case StatusCode::kDataLoss:
      return Make(ErrorCategory::kInternal, kCodeProtocolError);
    case StatusCode::kUnauthenticated:
      return Make(ErrorCategory::kAuth, kCodeAuthFailed);
    default:
      return Make(ErrorCategory::kInternal, kCodeQueryFailed);
  }
}

std::string ClientError::ToString() const {
  return std::string(ErrorCategoryName(category_)) + "/" + code_;
}

std::shared_ptr<const StatusDetail> MakeClientError(std::string_view code, ErrorCategory category) {
  return std::make_shared<ClientError>(std::string(code), category);
}

Status ClientFailure(ErrorCategory category, std::string_view code, std::string message) {
  return Status(StatusCodeForCategory(category), std::move(message))
      .WithDetail(MakeClientError(code, category));
}

const ClientError* GetClientError(const Status& status) {
  const auto& detail = status.detail();
  if (detail == nullptr || detail->type_id() != ClientError::kTypeId) return nullptr;
  return static_cast<const ClientError*>(detail.get());
}

}  // namespace rapidbyte::pgwire
