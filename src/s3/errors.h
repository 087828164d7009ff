// The error codes of the S3 client (SPEC §16.4), attached to its error statuses as a pgwire
// ClientError detail (pgwire/error_mapping.h) with a SPEC §4.11 category, so a connector turns
// them into a ConnectorError without reading messages. Portable.
#pragma once

#include <string_view>

#include "base/status.h"
#include "pgwire/error_mapping.h"

namespace rapidbyte::s3 {

/// NoSuchBucket (config).
inline constexpr std::string_view kCodeBucketNotFound = "BUCKET_NOT_FOUND";
/// AccessDenied (permission); InvalidAccessKeyId, SignatureDoesNotMatch, expired or invalid
/// tokens, a skewed clock (auth).
inline constexpr std::string_view kCodeAccessDenied = "ACCESS_DENIED";
/// Connection refused, DNS failure, timeout, connection lost after the retries
/// (transient_network).
inline constexpr std::string_view kCodeEndpointUnreachable = "ENDPOINT_UNREACHABLE";
/// 503 SlowDown / 429 after the retries (rate_limit).
inline constexpr std::string_view kCodeThrottled = "S3_THROTTLED";
/// Other 5xx after the retries (transient_network).
inline constexpr std::string_view kCodeServerError = "S3_SERVER_ERROR";
/// NoSuchKey (NotFound status, data category).
inline constexpr std::string_view kCodeObjectNotFound = "OBJECT_NOT_FOUND";
/// NoSuchUpload: the upload was completed or aborted (NotFound status, data category).
inline constexpr std::string_view kCodeUploadNotFound = "UPLOAD_NOT_FOUND";
/// Any other refusal (InvalidPart, EntityTooSmall, ...) and malformed answers (internal).
inline constexpr std::string_view kCodeRequestFailed = "S3_REQUEST_FAILED";

/// The S3 code attached to `status` ("" when none).
inline std::string_view ErrorCode(const Status& status) {
  const pgwire::ClientError* detail = pgwire::GetClientError(status);
  return detail != nullptr ? std::string_view(detail->code()) : std::string_view();
}

}  // namespace rapidbyte::s3
