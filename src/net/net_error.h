// NetError: the SPEC §4.7 code (DNS_FAILED, CONNECT_FAILED, CONNECTION_RESET, TIMEOUT,
// TLS_FAILED, CANCELLED) attached to every error rb_net returns, so callers (the plugin host's
// rb_host_net_* functions, the pgwire stream adapter) report typed errors without reading
// messages. [host]
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace rapidbyte::net {

inline constexpr std::string_view kDnsFailed = "DNS_FAILED";
inline constexpr std::string_view kConnectFailed = "CONNECT_FAILED";
inline constexpr std::string_view kConnectionReset = "CONNECTION_RESET";
inline constexpr std::string_view kTimeout = "TIMEOUT";
inline constexpr std::string_view kTlsFailed = "TLS_FAILED";
inline constexpr std::string_view kCancelled = "CANCELLED";

/// Immutable detail naming the failure's SPEC code.
class NetError final : public StatusDetail {
 public:
  static constexpr std::string_view kTypeId = "net::NetError";
  explicit NetError(std::string_view code) : code_(code) {}
  std::string_view type_id() const override { return kTypeId; }
  std::string ToString() const override { return code_; }
  const std::string& code() const { return code_; }

 private:
  std::string code_;
};

/// An error Status with `code` attached: TIMEOUT -> kDeadlineExceeded, CANCELLED ->
/// kCancelled, TLS_FAILED -> kFailedPrecondition, everything else -> kUnavailable.
Status NetFailure(std::string_view code, std::string message);

/// The NetError attached to `status`, or nullptr.
const NetError* GetNetError(const Status& status);

}  // namespace rapidbyte::net
