// Host functions for networking (SPEC §4.6, §4.7). Connectors have no sockets of their own:
// every connect names a host and a port, which must match the instance's allow list; the host
// resolves the name itself, vets every resolved address, and connects only to those
// addresses, so a guest can never steer a connection elsewhere. TLS is done here, with
// OpenSSL (rb_net).
#include <algorithm>

#include "base/strings.h"
#include "net/address.h"
#include "net/net_error.h"
#include "plugin/fault_hooks.h"
#include "plugin/hostcalls/hostcall_util.h"
#include "plugin/manifest/host_match.h"
#include "plugin/runtime/guest_thread.h"

using rapidbyte::plugin::GuestMemory;
using rapidbyte::plugin::HostContext;
using rapidbyte::plugin::runtime::HostCallScope;
namespace hc = rapidbyte::plugin::hostcalls;
namespace net = rapidbyte::net;

namespace {

// While a connection has not started TLS under `tls: required`, at most this much may pass
// each way (enough for a STARTTLS-style preamble such as PostgreSQL's SSLRequest).
constexpr std::uint64_t kPlainPreambleBytes = 1024;
// Largest single read or write the host performs for a guest.
constexpr std::uint32_t kMaxIoBytes = 64u << 20;

// Allow entries are matched by their form (host_match.h: names case-insensitively, *.suffix,
// addresses, CIDR blocks), each on its own port when it names one: a config-named host comes
// as "host:port", so it is reachable on the configured port only, not on every port.
bool HostAllowed(const HostContext& ctx, std::string_view host, std::uint16_t port) {
  return rapidbyte::plugin::manifest::IsHostAllowed(ctx.allowed_hosts, host, port);
}

// An address outside ordinary unicast is refused unless an allow entry names that address or
// a block containing it, on this port (SPEC §4.7).
bool AddressAllowed(const HostContext& ctx, const net::ResolvedAddress& address,
                    std::uint16_t port) {
  if (!address.IsUnspecified() && !address.IsLinkLocal() && !address.IsMulticast()) return true;
  return HostAllowed(ctx, address.IpString(), port);
}

// Map an rb_net failure to the guest's status code and last error.
std::uint32_t NetFail(HostContext& ctx, const rapidbyte::Status& status) {
  const net::NetError* error = net::GetNetError(status);
  const std::string code = error != nullptr ? error->code() : "CONNECTION_RESET";
  if (code == net::kCancelled) return hc::Code(RB_CANCELLED);
  const hc::Category category =
      code == net::kTlsFailed ? hc::Category::kConfig : hc::Category::kTransientNetwork;
  const std::uint32_t rc = hc::Fail(ctx, category, code, status.message());
  return code == net::kTimeout ? hc::Code(RB_TIMEOUT) : rc;
}

HostContext::Socket* Find(HostContext& ctx, std::uint32_t handle) {
  if (handle == 0 || handle > ctx.sockets.size()) return nullptr;
  HostContext::Socket& socket = ctx.sockets[handle - 1];
  return socket.connection ? &socket : nullptr;
}

std::uint32_t BadHandle(HostContext& ctx, std::uint32_t handle) {
  return hc::Fail(ctx, hc::Category::kInternal, "BAD_HANDLE",
                  "unknown connection handle " + std::to_string(static_cast<std::int32_t>(handle)));
}

// True while `tls: required` holds and the connection has not started TLS yet.
bool PlaintextLimited(const HostContext& ctx, const HostContext::Socket& socket) {
  return ctx.tls_policy == HostContext::TlsPolicy::kRequired && !socket.connection->tls_active();
}

// Enforce `tls: required`: refuse traffic beyond the preamble on a plain connection.
bool PlainTrafficAllowed(HostContext& ctx, HostContext::Socket& socket, std::uint64_t more,
                         bool outgoing) {
  if (!PlaintextLimited(ctx, socket)) return true;
  std::uint64_t& used = outgoing ? socket.plain_bytes_out : socket.plain_bytes_in;
  if (used + more <= kPlainPreambleBytes) {
    used += more;
    return true;
  }
  socket.connection->Close();
  socket.connection.reset();
  return false;
}

// The error of a connection that PlainTrafficAllowed has just closed.
std::uint32_t PreambleExceeded(HostContext& ctx, const HostContext::Socket& socket) {
  return hc::Fail(ctx, hc::Category::kPermission, "TLS_REQUIRED",
                  "connection to " + socket.host + " exchanged more than 1 KiB without TLS");
}

}  // namespace

extern "C" {

std::uint32_t Z_rapidbyteZ_rb_host_net_connect(Z_rapidbyte_instance_t* instance,
                                               std::uint32_t host_ptr, std::uint32_t host_len,
                                               std::uint32_t port_arg, std::uint32_t timeout_arg,
                                               std::uint32_t handle_ptr) noexcept {
  HostCallScope scope;
  HostContext& ctx = hc::Ctx(instance);
  GuestMemory memory(ctx.memory);
  if (!memory.InBounds(host_ptr, host_len)) {
    return hc::FailOutOfBounds(ctx, "rb_host_net_connect", host_ptr, host_len);
  }
  if (!memory.InBounds(handle_ptr, 4)) return hc::FailOutOfBounds(ctx, "rb_host_net_connect", handle_ptr, 4);
  if (host_len == 0 || host_len > 255) {
    return hc::Fail(ctx, hc::Category::kConfig, "DNS_FAILED", "host name must be 1-255 bytes");
  }
  std::string host;
  memory.Read(host_ptr, host_len, &host);
  const auto port = static_cast<std::int32_t>(port_arg);
  if (port < 1 || port > 65535) {
    return hc::Fail(ctx, hc::Category::kConfig, "CONNECT_FAILED",
                    "port " + std::to_string(port) + " is not 1-65535");
  }
  if (ctx.cancel && ctx.cancel->cancelled()) return hc::Code(RB_CANCELLED);
  if (!HostAllowed(ctx, host, static_cast<std::uint16_t>(port))) {
    const std::string allowed =
        ctx.allowed_hosts.empty() ? "none" : rapidbyte::Join(ctx.allowed_hosts, ", ");
    return hc::Fail(ctx, hc::Category::kPermission, "NETWORK_DENIED",
                    "connector " + ctx.connector_id + " may not connect to " + host + ":" +
                        std::to_string(port) + " (allowed: " + allowed + ")");
  }
  std::size_t open = 0;
  for (const auto& s : ctx.sockets) open += s.connection ? 1 : 0;
  if (open >= RB_MAX_SOCKETS_PER_INSTANCE) {
    return hc::Fail(ctx, hc::Category::kInternal, "TOO_MANY_SOCKETS",
                    "at most 16 open connections per instance");
  }
  auto addresses = net::Resolve(host, static_cast<std::uint16_t>(port));
  if (!addresses.ok()) return NetFail(ctx, addresses.status());
  for (const auto& address : *addresses) {
    if (!AddressAllowed(ctx, address, static_cast<std::uint16_t>(port))) {
      return hc::Fail(ctx, hc::Category::kPermission, "NETWORK_DENIED",
                      "connector " + ctx.connector_id + " may not connect to " + host + ":" +
                          std::to_string(port) + ": it resolves to " + address.IpString() +
                          ", an unspecified, link-local or multicast address");
    }
  }
  const int timeout_ms = static_cast<std::int32_t>(timeout_arg);
  rapidbyte::Status last = rapidbyte::Status::Unavailable("no address");
  for (const auto& address : *addresses) {
    auto connection = net::TcpConnection::Connect(address, timeout_ms,
                                                  ctx.cancel ? ctx.cancel->flag() : nullptr);
    if (!connection.ok()) {
      last = connection.status();
      continue;
    }
    ctx.sockets.push_back({std::move(*connection), host, 0, 0});
    memory.WriteU32(handle_ptr, static_cast<std::uint32_t>(ctx.sockets.size()));
    return hc::Code(RB_OK);
  }
  return NetFail(ctx, last);
}

std::uint32_t Z_rapidbyteZ_rb_host_net_start_tls(Z_rapidbyte_instance_t* instance,
                                                 std::uint32_t handle, std::uint32_t mode,
                                                 std::uint32_t ca_ptr, std::uint32_t ca_len,
                                                 std::uint32_t timeout_ms) noexcept {
  HostCallScope scope;
  HostContext& ctx = hc::Ctx(instance);
  HostContext::Socket* socket = Find(ctx, handle);
  if (socket == nullptr) return BadHandle(ctx, handle);
  if (ctx.tls_policy == HostContext::TlsPolicy::kForbidden) {
    return hc::Fail(ctx, hc::Category::kPermission, "TLS_FORBIDDEN",
                    "this connector's manifest forbids TLS");
  }
  if (mode < RB_TLS_ENCRYPT_ONLY || mode > RB_TLS_VERIFY_FULL) {
    return hc::Fail(ctx, hc::Category::kConfig, "TLS_FAILED", "TLS mode must be 1, 2 or 3");
  }
  std::string ca_file;
  if (ca_ptr != 0 || ca_len != 0) {
    if (ca_len > 4096 || !GuestMemory(ctx.memory).Read(ca_ptr, ca_len, &ca_file)) {
      return hc::FailOutOfBounds(ctx, "rb_host_net_start_tls", ca_ptr, ca_len);
    }
    if (std::find(ctx.allowed_ca_files.begin(), ctx.allowed_ca_files.end(), ca_file) ==
        ctx.allowed_ca_files.end()) {
      return hc::Fail(ctx, hc::Category::kPermission, "TLS_FAILED",
                      "CA file " + ca_file + " is not named in this connector's pipeline config");
    }
  }
  net::TlsOptions options;
  options.mode = static_cast<net::TlsMode>(mode);
  options.ca_file = ca_file;
  options.server_name = socket->host;
  options.timeout_ms = static_cast<std::int32_t>(timeout_ms);
  const rapidbyte::Status st = socket->connection->StartTls(options);
  if (!st.ok()) return NetFail(ctx, st);
  return hc::Code(RB_OK);
}

std::uint32_t Z_rapidbyteZ_rb_host_net_read(Z_rapidbyte_instance_t* instance, std::uint32_t handle,
                                            std::uint32_t out_ptr, std::uint32_t out_cap,
                                            std::uint32_t timeout_ms,
                                            std::uint32_t len_ptr) noexcept {
  HostCallScope scope;
  HostContext& ctx = hc::Ctx(instance);
  GuestMemory memory(ctx.memory);
  if (!memory.InBounds(out_ptr, out_cap)) return hc::FailOutOfBounds(ctx, "rb_host_net_read", out_ptr, out_cap);
  if (!memory.InBounds(len_ptr, 4)) return hc::FailOutOfBounds(ctx, "rb_host_net_read", len_ptr, 4);
  HostContext::Socket* socket = Find(ctx, handle);
  if (socket == nullptr) return BadHandle(ctx, handle);
  const std::uint32_t cap = std::min(out_cap, kMaxIoBytes);
  if (cap == 0)
    return hc::Fail(ctx, hc::Category::kInternal, "INVALID_ARGUMENT", "read buffer is empty");
  const auto timeout = static_cast<std::int32_t>(timeout_ms);
  if (!PlaintextLimited(ctx, *socket)) {
    // The socket reads straight into the guest's buffer: no host copy, no zero-fill.
    auto n = socket->connection->Read(memory.Window(out_ptr, cap), timeout);
    if (!n.ok()) return NetFail(ctx, n.status());
    if (*n == 0) return 0;
    memory.WriteU32(len_ptr, static_cast<std::uint32_t>(*n));
    return 1;
  }
  // Under `tls: required` before TLS starts, read through a small host buffer so that bytes
  // past the preamble allowance are refused before the guest ever sees them.
  std::uint8_t staging[kPlainPreambleBytes + 1];
  const std::span<std::uint8_t> buffer(staging, std::min<std::size_t>(cap, sizeof staging));
  auto n = socket->connection->Read(buffer, timeout);
  if (!n.ok()) return NetFail(ctx, n.status());
  if (*n == 0) return 0;
  if (!PlainTrafficAllowed(ctx, *socket, *n, /*outgoing=*/false)) {
    return PreambleExceeded(ctx, *socket);
  }
  memory.Write(out_ptr, buffer.first(*n));
  memory.WriteU32(len_ptr, static_cast<std::uint32_t>(*n));
  return 1;
}

std::uint32_t Z_rapidbyteZ_rb_host_net_write(Z_rapidbyte_instance_t* instance, std::uint32_t handle,
                                             std::uint32_t ptr, std::uint32_t len,
                                             std::uint32_t timeout_ms) noexcept {
  HostCallScope scope;
  HostContext& ctx = hc::Ctx(instance);
  GuestMemory memory(ctx.memory);
  if (!memory.InBounds(ptr, len)) return hc::FailOutOfBounds(ctx, "rb_host_net_write", ptr, len);
  HostContext::Socket* socket = Find(ctx, handle);
  if (socket == nullptr) return BadHandle(ctx, handle);
  if (len > kMaxIoBytes)
    return hc::Fail(ctx, hc::Category::kInternal, "INVALID_ARGUMENT", "write larger than 64 MiB");
  if (!PlainTrafficAllowed(ctx, *socket, len, /*outgoing=*/true)) {
    return PreambleExceeded(ctx, *socket);
  }
  // The guest is paused for the whole call, so its bytes go to the socket in place.
  const std::span<const std::uint8_t> data = memory.Window(ptr, len);
  const rapidbyte::Status st = socket->connection->WriteAll(data, static_cast<std::int32_t>(timeout_ms));
  if (!st.ok()) return NetFail(ctx, st);
  // Test builds: a COMMIT reaches the server, its reply never reaches the guest (§11.22).
  if (rapidbyte::plugin::DropAfterCommitForTest(ctx, data)) socket->connection->Close();
  return hc::Code(RB_OK);
}

std::uint32_t Z_rapidbyteZ_rb_host_net_close(Z_rapidbyte_instance_t* instance,
                                             std::uint32_t handle) noexcept {
  HostCallScope scope;
  HostContext& ctx = hc::Ctx(instance);
  HostContext::Socket* socket = Find(ctx, handle);
  if (socket == nullptr) return BadHandle(ctx, handle);
  socket->connection->Close();
  socket->connection.reset();
  return hc::Code(RB_OK);
}

}  // extern "C"
