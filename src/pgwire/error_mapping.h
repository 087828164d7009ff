// Error classification shared by every PostgreSQL user (source and destination connectors,
// the PostgreSQL state backend): SQLSTATE -> error category + code + retry hints (SPEC §7.7,
// §8.8), and the ClientError detail that pgwire attaches to errors it raises itself (TLS,
// protocol, authentication method). Portable; no I/O.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "protocol/error_taxonomy.h"

namespace rapidbyte::pgwire {

/// SPEC §4.11 categories and backoff classes: the one taxonomy of src/protocol.
using ErrorCategory = protocol::ErrorCategory;
using BackoffClass = protocol::BackoffClass;

/// "config", "auth", ..., "transient_network", "cancelled".
constexpr std::string_view ErrorCategoryName(ErrorCategory category) {
  return protocol::Name(category);
}
/// "fast", "normal", "slow".
constexpr std::string_view BackoffClassName(BackoffClass backoff) {
  return protocol::Name(backoff);
}

// Codes pgwire itself produces (SPEC §7.7); connectors use the same spellings.
inline constexpr std::string_view kCodeAuthFailed = "AUTH_FAILED";
inline constexpr std::string_view kCodeTlsFailed = "TLS_FAILED";
inline constexpr std::string_view kCodeProtocolError = "PROTOCOL_ERROR";
inline constexpr std::string_view kCodeConnectionLost = "CONNECTION_LOST";
inline constexpr std::string_view kCodeConnectionReset = "CONNECTION_RESET";
inline constexpr std::string_view kCodeConnectFailed = "CONNECT_FAILED";
inline constexpr std::string_view kCodeDnsFailed = "DNS_FAILED";
inline constexpr std::string_view kCodeTimeout = "TIMEOUT";
inline constexpr std::string_view kCodeCancelled = "CANCELLED";
inline constexpr std::string_view kCodeQueryFailed = "QUERY_FAILED";
inline constexpr std::string_view kCodeQueryCanceled = "QUERY_CANCELED";
// Codes the host's network functions report to a connector (SPEC §4.6, §4.7).
inline constexpr std::string_view kCodeNetworkDenied = "NETWORK_DENIED";
inline constexpr std::string_view kCodeTlsRequired = "TLS_REQUIRED";
inline constexpr std::string_view kCodeTooManySockets = "TOO_MANY_SOCKETS";
inline constexpr std::string_view kCodeBadHandle = "BAD_HANDLE";

/// How a failure should be reported and retried. `code` points to static storage.
struct ErrorClass {
  ErrorCategory category = ErrorCategory::kInternal;
  std::string_view code = kCodeQueryFailed;
  bool retryable = false;
  BackoffClass backoff = BackoffClass::kNormal;
};

struct ClassifyOptions {
  /// True when rapidbyte itself asked for the cancellation: 57014 is then `cancelled`, not a
  /// retryable `transient_db` error.
  bool cancel_requested = false;
};

/// Map a five-character SQLSTATE per SPEC §7.7 plus the §8.8 additions (23xxx data,
/// 42804/42846 schema, 25006 DESTINATION_READ_ONLY). Anything else is internal QUERY_FAILED.
ErrorClass ClassifySqlState(std::string_view sqlstate, const ClassifyOptions& options = {});

/// Classify any error Status returned by pgwire (or by a ByteStream): a ServerError detail goes
/// through ClassifySqlState, a ClientError detail gives its own code and category, and a bare
/// status falls back on its StatusCode (Cancelled, DeadlineExceeded, Unavailable, DataLoss...).
ErrorClass ClassifyStatus(const Status& status, const ClassifyOptions& options = {});

using protocol::IsRetryableCategory;
/// The StatusCode pgwire uses for errors of `category` (auth -> kUnauthenticated, ...).
StatusCode StatusCodeForCategory(ErrorCategory category);

/// Detail attached to errors raised on the client side. Immutable.
class ClientError final : public StatusDetail {
 public:
  static constexpr std::string_view kTypeId = "pgwire::ClientError";

  ClientError(std::string code, ErrorCategory category)
      : code_(std::move(code)), category_(category) {}

  std::string_view type_id() const override { return kTypeId; }
  std::string ToString() const override;

  const std::string& code() const { return code_; }
  ErrorCategory category() const { return category_; }

 private:
  std::string code_;
  ErrorCategory category_;
};

std::shared_ptr<const StatusDetail> MakeClientError(std::string_view code, ErrorCategory category);

/// Build an error Status of `category` with a ClientError detail.
Status ClientFailure(ErrorCategory category, std::string_view code, std::string message);

/// The ClientError attached to `status`, or nullptr.
const ClientError* GetClientError(const Status& status);

}  // namespace rapidbyte::pgwire
