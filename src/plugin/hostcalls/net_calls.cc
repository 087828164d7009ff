// Host functions for networking and exactly-once commits.
//
// Networking is deny-by-default: every connect is checked against the instance's allowed
// hosts. Connecting to an allowed host and the commit-token protocol need the network layer
// and the engine's checkpoint correlation; until those are wired in, the calls answer with a
// clear UNSUPPORTED error rather than pretending to work.
#include "base/strings.h"
#include "plugin/hostcalls/hostcall_util.h"
#include "plugin/runtime/guest_thread.h"

using rapidbyte::plugin::GuestMemory;
using rapidbyte::plugin::HostContext;
using rapidbyte::plugin::runtime::HostCallScope;
namespace hc = rapidbyte::plugin::hostcalls;

extern "C" {

std::uint32_t Z_rapidbyteZ_rb_host_net_connect(Z_rapidbyte_instance_t* instance,
                                               std::uint32_t host_ptr, std::uint32_t host_len,
                                               std::uint32_t port, std::uint32_t /*timeout_ms*/,
                                               std::uint32_t handle_ptr) noexcept {
  HostCallScope scope;
  HostContext& ctx = hc::Ctx(instance);
  if (host_len > 255) return hc::Fail(ctx, "config", "DNS_FAILED", "host name longer than 255 bytes");
  std::string host;
  GuestMemory memory(ctx.memory);
  if (!memory.Read(host_ptr, host_len, &host)) {
    return hc::FailOutOfBounds(ctx, "rb_host_net_connect", host_ptr, host_len);
  }
  if (!memory.InBounds(handle_ptr, 4)) {
    return hc::FailOutOfBounds(ctx, "rb_host_net_connect", handle_ptr, 4);
  }
  if (ctx.cancel && ctx.cancel->cancelled()) return hc::Code(RB_CANCELLED);
  const std::string allowed = ctx.allowed_hosts.empty() ? "none" : rapidbyte::Join(ctx.allowed_hosts, ", ");
  bool permitted = false;
  for (const auto& entry : ctx.allowed_hosts) permitted = permitted || entry == host;
  if (!permitted) {
    return hc::Fail(ctx, "permission", "NETWORK_DENIED",
                    "connector " + ctx.connector_id + " may not connect to " + host + ":" +
                        std::to_string(port) + " (allowed: " + allowed + ")");
  }
  return hc::Fail(ctx, "internal", "UNSUPPORTED", "outbound connections are not available yet");
}

std::uint32_t Z_rapidbyteZ_rb_host_net_start_tls(Z_rapidbyte_instance_t* instance, std::uint32_t,
                                                 std::uint32_t, std::uint32_t, std::uint32_t,
                                                 std::uint32_t) noexcept {
  HostCallScope scope;
  return hc::Fail(hc::Ctx(instance), "internal", "BAD_HANDLE", "unknown connection handle");
}

std::uint32_t Z_rapidbyteZ_rb_host_net_read(Z_rapidbyte_instance_t* instance, std::uint32_t,
                                            std::uint32_t, std::uint32_t, std::uint32_t,
                                            std::uint32_t) noexcept {
  HostCallScope scope;
  return hc::Fail(hc::Ctx(instance), "internal", "BAD_HANDLE", "unknown connection handle");
}

std::uint32_t Z_rapidbyteZ_rb_host_net_write(Z_rapidbyte_instance_t* instance, std::uint32_t,
                                             std::uint32_t, std::uint32_t,
                                             std::uint32_t) noexcept {
  HostCallScope scope;
  return hc::Fail(hc::Ctx(instance), "internal", "BAD_HANDLE", "unknown connection handle");
}

std::uint32_t Z_rapidbyteZ_rb_host_net_close(Z_rapidbyte_instance_t* instance,
                                             std::uint32_t) noexcept {
  HostCallScope scope;
  return hc::Fail(hc::Ctx(instance), "internal", "BAD_HANDLE", "unknown connection handle");
}

std::uint32_t Z_rapidbyteZ_rb_host_commit_token(Z_rapidbyte_instance_t* instance, std::uint32_t,
                                                std::uint32_t, std::uint32_t) noexcept {
  HostCallScope scope;
  HostContext& ctx = hc::Ctx(instance);
  if (ctx.role != HostContext::Role::kDestination) {
    return hc::Fail(ctx, "internal", "NOT_ALLOWED_FOR_ROLE", "rb_host_commit_token is for destinations");
  }
  return hc::Fail(ctx, "internal", "UNSUPPORTED", "commit tokens are not available yet");
}

std::uint32_t Z_rapidbyteZ_rb_host_report_commit(Z_rapidbyte_instance_t* instance, std::uint32_t,
                                                 std::uint32_t) noexcept {
  HostCallScope scope;
  HostContext& ctx = hc::Ctx(instance);
  if (ctx.role != HostContext::Role::kDestination) {
    return hc::Fail(ctx, "internal", "NOT_ALLOWED_FOR_ROLE", "rb_host_report_commit is for destinations");
  }
  return hc::Fail(ctx, "internal", "UNSUPPORTED", "commit reports are not available yet");
}

}  // extern "C"
