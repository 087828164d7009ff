// HostStream: a pgwire::ByteStream over the host's network functions (rb_host_net_*), so
// connector code can use the PostgreSQL client (and anything else written against
// ByteStream) inside the sandbox. The host decides whether the connection is allowed and does
// the TLS; errors come back typed (ClientError with the SPEC §4.7 code).
//
// Single-threaded, like the instance.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/result.h"
#include "pgwire/byte_stream.h"

namespace rapidbyte::sdk {

class HostStream final : public pgwire::ByteStream {
 public:
  /// Connect through rb_host_net_connect (checked against the connector's allow list).
  static Result<std::unique_ptr<HostStream>> Connect(const std::string& host, int port,
                                                     int timeout_ms);
  ~HostStream() override;

  Result<std::size_t> Read(std::span<std::uint8_t> out, int timeout_ms) override;
  Status WriteAll(std::span<const std::uint8_t> data, int timeout_ms) override;
  Status StartTls(const pgwire::TlsParams& params, int timeout_ms) override;
  void Close() override;

 private:
  explicit HostStream(std::int32_t handle) : handle_(handle) {}
  std::int32_t handle_;
};

/// Turn a failed host call's status code (RB_ERR, RB_CANCELLED, RB_TIMEOUT) into a typed
/// Status, reading rb_host_last_error for RB_ERR.
Status HostCallFailure(std::int32_t rc, std::string_view what);

}  // namespace rapidbyte::sdk
