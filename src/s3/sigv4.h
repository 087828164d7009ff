// AWS Signature Version 4 for S3 (service "s3"): canonical request, string to sign, signing
// key and the Authorization header, as AWS's "Authenticating Requests (AWS Signature Version
// 4)" describes. Hashing is pgwire's SHA-256 / HMAC-SHA-256. Portable; no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "pgwire/sha256.h"
#include "s3/http.h"

namespace rapidbyte::s3 {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  /// Temporary credentials' token (x-amz-security-token); empty when not used.
  std::string session_token;
};

/// One request to sign. `canonical_uri` is the path as sent (already URI-encoded, see
/// UriEncodePath); `query` holds raw (not encoded) names and values; `headers` are the headers
/// to sign (names in any case), which must include host, x-amz-content-sha256 and x-amz-date.
struct SigningRequest {
  std::string_view method;
  std::string_view canonical_uri;
  const QueryParams* query = nullptr;
  const HttpHeaders* headers = nullptr;
  /// Lowercase hex SHA-256 of the body (also sent as x-amz-content-sha256).
  std::string_view payload_sha256_hex;
};

struct SigningScope {
  std::string_view amz_date;  ///< YYYYMMDD'T'HHMMSS'Z' (the x-amz-date value)
  std::string_view region;
  std::string_view service = "s3";
};

/// RFC 3986 percent-encoding as SigV4 wants it: unreserved characters (A-Z a-z 0-9 - . _ ~)
/// stay, every other byte becomes %XX (uppercase); '/' stays unless `encode_slash`.
std::string UriEncode(std::string_view text, bool encode_slash);

/// The query string both sent and signed: names and values encoded, sorted by name then value,
/// "name=" for an empty value, joined by '&'.
std::string CanonicalQueryString(const QueryParams& query);

/// "host;x-amz-content-sha256;x-amz-date": the lowercase, sorted, de-duplicated names.
std::string SignedHeaderNames(const HttpHeaders& headers);

/// The six-line canonical request.
std::string CanonicalRequest(const SigningRequest& request);

/// "AWS4-HMAC-SHA256\n<amz_date>\n<date>/<region>/<service>/aws4_request\n<hex(sha256(cr))>".
std::string StringToSign(const SigningScope& scope, std::string_view canonical_request);

/// HMAC chain "AWS4"+secret -> date -> region -> service -> "aws4_request".
pgwire::Sha256Digest SigningKey(std::string_view secret_access_key, std::string_view date,
                                std::string_view region, std::string_view service);

/// The Authorization header's value:
/// "AWS4-HMAC-SHA256 Credential=<id>/<scope>,SignedHeaders=<names>,Signature=<hex>".
std::string Authorization(const Credentials& credentials, const SigningScope& scope,
                          const SigningRequest& request);

/// The x-amz-date form of a Unix time in seconds: "20130524T000000Z".
std::string AmzDate(std::int64_t unix_seconds);

/// Lowercase hex SHA-256 of `data` (the x-amz-content-sha256 value).
std::string PayloadSha256Hex(std::span<const std::uint8_t> data);

}  // namespace rapidbyte::s3
