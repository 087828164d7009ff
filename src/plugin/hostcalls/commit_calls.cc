// Host functions of the exactly-once commit protocol (SPEC §5.5). The engine provides the
// commit tokens and adopts reported positions through its EngineLink; an instance without
// an engine behind it (`check`, plain plugin-host tests) refuses the calls with UNSUPPORTED.
#include "plugin/hostcalls/hostcall_util.h"
#include "plugin/runtime/guest_thread.h"

using rapidbyte::plugin::GuestMemory;
using rapidbyte::plugin::HostContext;
using rapidbyte::plugin::runtime::HostCallScope;
namespace hc = rapidbyte::plugin::hostcalls;

extern "C" {

std::uint32_t Z_rapidbyteZ_rb_host_commit_token(Z_rapidbyte_instance_t* instance,
                                                std::uint32_t out_ptr, std::uint32_t out_cap,
                                                std::uint32_t len_ptr) noexcept {
  HostCallScope scope;
  HostContext& ctx = hc::Ctx(instance);
  if (ctx.role != HostContext::Role::kDestination) {
    return hc::Fail(ctx, hc::Category::kInternal, "NOT_ALLOWED_FOR_ROLE",
                    "rb_host_commit_token is for destinations");
  }
  GuestMemory memory(ctx.memory);
  if (!memory.InBounds(len_ptr, 4)) return hc::FailOutOfBounds(ctx, "rb_host_commit_token", len_ptr, 4);
  auto token = ctx.engine->CommitToken();
  if (!token.ok()) {
    if (token.status().code() == rapidbyte::StatusCode::kCancelled) return hc::Code(RB_CANCELLED);
    return hc::FailStatus(ctx, token.status(), hc::Category::kInternal, "COMMIT_TOKEN_FAILED");
  }
  return hc::CopyOut(ctx, memory, "rb_host_commit_token", *token, out_ptr, out_cap, len_ptr);
}

std::uint32_t Z_rapidbyteZ_rb_host_report_commit(Z_rapidbyte_instance_t* instance, std::uint32_t ptr,
                                                 std::uint32_t len) noexcept {
  HostCallScope scope;
  HostContext& ctx = hc::Ctx(instance);
  if (ctx.role != HostContext::Role::kDestination) {
    return hc::Fail(ctx, hc::Category::kInternal, "NOT_ALLOWED_FOR_ROLE",
                    "rb_host_report_commit is for destinations");
  }
  if (ctx.commit_reported || ctx.received_input) {
    return hc::Fail(
        ctx, hc::Category::kInternal, "PROTOCOL_VIOLATION",
        "rb_host_report_commit must be called once, before the first rb_host_next_batch");
  }
  ctx.commit_reported = true;
  GuestMemory memory(ctx.memory);
  std::string token;
  if (len > 0) {
    if (!memory.InBounds(ptr, len)) return hc::FailOutOfBounds(ctx, "rb_host_report_commit", ptr, len);
    memory.Read(ptr, len, &token);
  }
  auto complete = ctx.engine->ReportCommit(token);
  if (!ctx.first_input_signalled) {
    ctx.first_input_signalled = true;
    ctx.engine->OnFirstInput();
  }
  if (!complete.ok())
    return hc::FailStatus(ctx, complete.status(), hc::Category::kInternal, "INVALID_COMMIT_TOKEN");
  return *complete ? 1u : 0u;
}

// For cdc sources (SPEC §14.3): the position a destination has committed, which is all the
// source may confirm to its server.
std::uint32_t Z_rapidbyteZ_rb_host_committed_position(Z_rapidbyte_instance_t* instance,
                                                      std::uint32_t out_ptr, std::uint32_t out_cap,
                                                      std::uint32_t len_ptr) noexcept {
  HostCallScope scope;
  HostContext& ctx = hc::Ctx(instance);
  if (ctx.role != HostContext::Role::kSource) {
    return hc::Fail(ctx, hc::Category::kInternal, "NOT_ALLOWED_FOR_ROLE",
                    "rb_host_committed_position is for sources");
  }
  GuestMemory memory(ctx.memory);
  if (!memory.InBounds(len_ptr, 4)) {
    return hc::FailOutOfBounds(ctx, "rb_host_committed_position", len_ptr, 4);
  }
  auto position = ctx.engine->CommittedPosition();
  if (!position.ok()) {
    return hc::FailStatus(ctx, position.status(), hc::Category::kInternal, "UNSUPPORTED");
  }
  return hc::CopyOut(ctx, memory, "rb_host_committed_position", *position, out_ptr, out_cap, len_ptr);
}

}  // extern "C"
