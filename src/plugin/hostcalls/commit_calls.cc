// Host functions of the exactly-once commit protocol (SPEC §5.5). The engine provides the
// commit tokens and adopts reported positions; an instance without an engine behind it
// (tests, `check`) refuses the calls with a clear error.
#include "plugin/hostcalls/hostcall_util.h"
#include "plugin/runtime/guest_thread.h"

using rapidbyte::plugin::HostContext;
using rapidbyte::plugin::runtime::HostCallScope;
namespace hc = rapidbyte::plugin::hostcalls;

extern "C" {

std::uint32_t Z_rapidbyteZ_rb_host_commit_token(Z_rapidbyte_instance_t* instance, std::uint32_t,
                                                std::uint32_t, std::uint32_t) noexcept {
  HostCallScope scope;
  HostContext& ctx = hc::Ctx(instance);
  if (ctx.role != HostContext::Role::kDestination) {
    return hc::Fail(ctx, "internal", "NOT_ALLOWED_FOR_ROLE", "rb_host_commit_token is for destinations");
  }
  return hc::Fail(ctx, "internal", "UNSUPPORTED", "commit tokens need the engine (not wired yet)");
}

std::uint32_t Z_rapidbyteZ_rb_host_report_commit(Z_rapidbyte_instance_t* instance, std::uint32_t,
                                                 std::uint32_t) noexcept {
  HostCallScope scope;
  HostContext& ctx = hc::Ctx(instance);
  if (ctx.role != HostContext::Role::kDestination) {
    return hc::Fail(ctx, "internal", "NOT_ALLOWED_FOR_ROLE", "rb_host_report_commit is for destinations");
  }
  return hc::Fail(ctx, "internal", "UNSUPPORTED", "commit reports need the engine (not wired yet)");
}

}  // extern "C"
