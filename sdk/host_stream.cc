// HostStream implementation.
#include "sdk/host_stream.h"

#include "pgwire/error_mapping.h"
#include "sdk/host.h"
#include "sdk/raw_abi.h"

namespace rapidbyte::sdk {
namespace {

std::uint32_t Addr(const void* p) {
  return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(p));
}

}  // namespace

Status HostCallFailure(std::int32_t rc, std::string_view what) {
  const std::string prefix(what);
  if (rc == RB_CANCELLED) {
    return pgwire::ClientFailure(pgwire::ErrorCategory::kCancelled, "CANCELLED", prefix + ": cancelled");
  }
  if (rc == RB_TIMEOUT) {
    return pgwire::ClientFailure(pgwire::ErrorCategory::kTransientNetwork, "TIMEOUT",
                                 prefix + ": timed out");
  }
  // The host's typed error (category and code as it classified them, e.g. PERMISSION_DENIED
  // for an address outside the allow list).
  const ConnectorError error = host::LastError();
  return pgwire::ClientFailure(error.category, error.code, prefix + ": " + error.message);
}

Result<std::unique_ptr<HostStream>> HostStream::Connect(const std::string& host, int port,
                                                        int timeout_ms) {
  std::uint32_t handle = 0;
  const std::int32_t rc = rb_host_net_connect(Addr(host.data()), static_cast<std::uint32_t>(host.size()),
                                              port, timeout_ms, Addr(&handle));
  if (rc != RB_OK) return HostCallFailure(rc, "connect to " + host + ":" + std::to_string(port));
  return std::unique_ptr<HostStream>(new HostStream(static_cast<std::int32_t>(handle)));
}

HostStream::~HostStream() { Close(); }

Result<std::size_t> HostStream::Read(std::span<std::uint8_t> out, int timeout_ms) {
  if (handle_ == 0) return pgwire::ClientFailure(pgwire::ErrorCategory::kTransientNetwork, "CONNECTION_RESET", "stream closed");
  std::uint32_t len = 0;
  const std::int32_t rc = rb_host_net_read(handle_, Addr(out.data()), static_cast<std::uint32_t>(out.size()),
                                           timeout_ms, Addr(&len));
  if (rc == 1) return static_cast<std::size_t>(len);
  if (rc == 0) return std::size_t{0};
  return HostCallFailure(rc, "read");
}

Status HostStream::WriteAll(std::span<const std::uint8_t> data, int timeout_ms) {
  if (handle_ == 0) return pgwire::ClientFailure(pgwire::ErrorCategory::kTransientNetwork, "CONNECTION_RESET", "stream closed");
  const std::int32_t rc = rb_host_net_write(handle_, Addr(data.data()),
                                            static_cast<std::uint32_t>(data.size()), timeout_ms);
  return rc == RB_OK ? Status::OK() : HostCallFailure(rc, "write");
}

Status HostStream::StartTls(const pgwire::TlsParams& params, int timeout_ms) {
  const std::int32_t rc = rb_host_net_start_tls(
      handle_, static_cast<std::int32_t>(params.verify),
      params.ca_file.empty() ? 0 : Addr(params.ca_file.data()),
      static_cast<std::uint32_t>(params.ca_file.size()), timeout_ms);
  return rc == RB_OK ? Status::OK() : HostCallFailure(rc, "TLS handshake");
}

void HostStream::Close() {
  if (handle_ != 0) rb_host_net_close(handle_);
  handle_ = 0;
}

}  // namespace rapidbyte::sdk
