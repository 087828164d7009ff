// Host functions for batch exchange: rb_host_emit_batch and rb_host_next_batch (SPEC §4.6,
// §5.3). Frames are copied out of the guest once, checked, and queued; a frame that does not
// fit the consumer's buffer stays pending so it is never decoded twice.
#include <chrono>

#include "plugin/hostcalls/hostcall_util.h"
#include "plugin/runtime/guest_thread.h"

using rapidbyte::plugin::Frame;
using rapidbyte::plugin::FrameChannel;
using rapidbyte::plugin::GuestMemory;
using rapidbyte::plugin::HostContext;
using rapidbyte::plugin::runtime::HostCallScope;
namespace hc = rapidbyte::plugin::hostcalls;

extern "C" {

std::uint32_t Z_rapidbyteZ_rb_host_emit_batch(Z_rapidbyte_instance_t* instance, std::uint32_t ptr,
                                              std::uint32_t len) noexcept {
  HostCallScope scope;
  HostContext& ctx = hc::Ctx(instance);
  if (ctx.role == HostContext::Role::kDestination) {
    return hc::Fail(ctx, hc::Category::kInternal, "NOT_ALLOWED_FOR_ROLE",
                    "rb_host_emit_batch is not allowed for the " + ctx.stage + " stage");
  }
  if (ctx.cancel && ctx.cancel->cancelled()) return hc::Code(RB_CANCELLED);
  if (len == 0) {
    return hc::Fail(ctx, hc::Category::kInternal, "EMPTY_BATCH",
                    "Connector emitted a zero-length batch; this is a protocol violation");
  }
  if (len > ctx.max_frame_bytes) {
    return hc::Fail(ctx, hc::Category::kInternal, "BATCH_TOO_LARGE",
                    "frame of " + std::to_string(len) + " bytes exceeds the frame cap of " +
                        std::to_string(ctx.max_frame_bytes) + " bytes");
  }
  GuestMemory memory(ctx.memory);
  if (!memory.InBounds(ptr, len)) return hc::FailOutOfBounds(ctx, "rb_host_emit_batch", ptr, len);
  if (ctx.output == nullptr) {
    return hc::Fail(ctx, hc::Category::kInternal, "NO_CHANNEL",
                    "this instance has no output channel");
  }
  Frame frame = ctx.output->TakeSpare();
  const std::size_t need = std::size_t{len} + rapidbyte::plugin::kFrameTrailerReserve;
  if (frame.capacity() < need) {
    // A new buffer gets an eighth more than this frame needs: frames of one stream differ by
    // a few bytes, and a spare that is short by even one byte is freed and a fresh buffer
    // mapped, every page of which faults in again. Untouched headroom costs no memory.
    frame = Frame();
    frame.reserve(need + need / 8);
  }
  // assign copies in one pass; resize-then-read would zero-fill the bytes first.
  const std::span<const std::uint8_t> bytes = memory.Window(ptr, len);
  frame.assign(bytes.begin(), bytes.end());
  const rapidbyte::Status valid = ctx.engine->ValidateFrame(frame);
  if (!valid.ok()) return hc::FailStatus(ctx, valid, hc::Category::kInternal, "INVALID_IPC");
  const rapidbyte::Status hooked = ctx.engine->OnEmit(&frame);
  if (!hooked.ok()) {
    if (hooked.code() == rapidbyte::StatusCode::kCancelled) return hc::Code(RB_CANCELLED);
    return hc::FailStatus(ctx, hooked, hc::Category::kInternal, "INVALID_IPC");
  }
  if (ctx.output->Send(std::move(frame)) == FrameChannel::SendResult::kCancelled) {
    return hc::Code(RB_CANCELLED);
  }
  return hc::Code(RB_OK);
}

std::uint32_t Z_rapidbyteZ_rb_host_next_batch(Z_rapidbyte_instance_t* instance,
                                              std::uint32_t out_ptr, std::uint32_t out_cap,
                                              std::uint32_t len_ptr) noexcept {
  HostCallScope scope;
  HostContext& ctx = hc::Ctx(instance);
  if (ctx.role == HostContext::Role::kSource) {
    return hc::Fail(ctx, hc::Category::kInternal, "NOT_ALLOWED_FOR_ROLE",
                    "rb_host_next_batch is not allowed for the " + ctx.stage + " stage");
  }
  GuestMemory memory(ctx.memory);
  if (!memory.InBounds(len_ptr, 4)) return hc::FailOutOfBounds(ctx, "rb_host_next_batch", len_ptr, 4);
  if (ctx.input == nullptr) {
    return hc::Fail(ctx, hc::Category::kInternal, "NO_CHANNEL",
                    "this instance has no input channel");
  }
  if (!ctx.first_input_signalled) {
    ctx.first_input_signalled = true;
    ctx.engine->OnFirstInput();
  }
  ctx.received_input = true;
  if (!ctx.pending) {
    if (ctx.saw_end_of_stream) return 0;
    if (ctx.saw_upstream_failure) return hc::Code(RB_UPSTREAM_FAILED);
    Frame frame;
    const auto wait_start = std::chrono::steady_clock::now();
    const FrameChannel::ReceiveResult received = ctx.input->Receive(&frame);
    ctx.input_wait_ns += static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - wait_start)
            .count());
    switch (received) {
      case FrameChannel::ReceiveResult::kFrame:
        if (const rapidbyte::Status hooked = ctx.engine->OnReceive(&frame); !hooked.ok()) {
          if (hooked.code() == rapidbyte::StatusCode::kCancelled) return hc::Code(RB_CANCELLED);
          return hc::FailStatus(ctx, hooked, hc::Category::kInternal, "DECOMPRESSION_FAILED");
        }
        ctx.pending = std::move(frame);
        break;
      case FrameChannel::ReceiveResult::kEnd: ctx.saw_end_of_stream = true; return 0;
      case FrameChannel::ReceiveResult::kUpstreamFailed:
        ctx.saw_upstream_failure = true;
        return hc::Code(RB_UPSTREAM_FAILED);
      case FrameChannel::ReceiveResult::kCancelled: return hc::Code(RB_CANCELLED);
    }
  }
  const auto size = static_cast<std::uint32_t>(ctx.pending->size());
  memory.WriteU32(len_ptr, size);
  if (size > out_cap) return hc::Code(RB_TOO_SMALL);
  if (!memory.InBounds(out_ptr, size)) return hc::FailOutOfBounds(ctx, "rb_host_next_batch", out_ptr, size);
  memory.Write(out_ptr, *ctx.pending);
  ctx.input->ReturnSpare(std::move(*ctx.pending));
  ctx.pending.reset();
  return 1;
}

}  // extern "C"
