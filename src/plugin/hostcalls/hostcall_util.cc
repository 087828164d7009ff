// Failure reporting for host functions.
#include "plugin/hostcalls/hostcall_util.h"

#include "plugin/host_error.h"

namespace rapidbyte::plugin::hostcalls {

std::uint32_t Fail(HostContext& ctx, Category category, std::string_view code,
                   const std::string& message) {
  ctx.last_error = HostErrorJson(category, code, message);
  return Code(RB_ERR);
}

std::uint32_t FailStatus(HostContext& ctx, const Status& status, Category category,
                         std::string_view code) {
  if (const auto* detail = dynamic_cast<const HostErrorDetail*>(status.detail().get())) {
    return Fail(ctx, detail->category, detail->code, status.message());
  }
  return Fail(ctx, category, code, status.message());
}

std::uint32_t FailOutOfBounds(HostContext& ctx, std::string_view function, std::uint32_t ptr,
                              std::uint64_t len) {
  const std::string message = std::string(function) + ": range [" + std::to_string(ptr) + ", " +
                              std::to_string(std::uint64_t{ptr} + len) +
                              ") is outside the connector's memory";
  if (!ctx.first_violation) {
    ctx.first_violation = HostError(StatusCode::kInvalidArgument, Category::kInternal,
                                    "MEMORY_OUT_OF_BOUNDS", "connector " + ctx.Describe() + ": " + message);
  }
  return Fail(ctx, Category::kInternal, "MEMORY_OUT_OF_BOUNDS", message);
}

std::uint32_t CopyOut(HostContext& ctx, GuestMemory& memory, std::string_view function,
                      std::span<const std::uint8_t> bytes, std::uint32_t out_ptr,
                      std::uint32_t out_cap, std::uint32_t len_ptr) {
  const auto size = static_cast<std::uint32_t>(bytes.size());
  if (!memory.WriteU32(len_ptr, size)) return FailOutOfBounds(ctx, function, len_ptr, 4);
  if (size > out_cap) return Code(RB_TOO_SMALL);
  if (!memory.Write(out_ptr, bytes)) return FailOutOfBounds(ctx, function, out_ptr, size);
  return 1;
}

}  // namespace rapidbyte::plugin::hostcalls
