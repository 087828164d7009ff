// Helpers shared by the rapidbyte host functions: reaching the instance's context, failing
// a call with a typed error the guest can fetch, and reading guest buffers safely.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "abi/rapidbyte_abi.h"
#include "plugin/guest_memory.h"
#include "plugin/host_context.h"
#include "protocol/error_taxonomy.h"

namespace rapidbyte::plugin::hostcalls {

/// Host functions name categories by the one taxonomy (protocol/error_taxonomy.h).
using Category = protocol::ErrorCategory;

inline HostContext& Ctx(Z_rapidbyte_instance_t* instance) { return *instance->host; }

/// Set the guest-visible last error and return RB_ERR (as the u32 the ABI carries).
std::uint32_t Fail(HostContext& ctx, Category category, std::string_view code,
                   const std::string& message);

/// Fail with the category and code of `status`'s HostErrorDetail (else `category`/`code`).
std::uint32_t FailStatus(HostContext& ctx, const Status& status, Category category,
                         std::string_view code);

/// Fail with MEMORY_OUT_OF_BOUNDS naming the function and the range; also remembered as the
/// instance's first ABI violation.
std::uint32_t FailOutOfBounds(HostContext& ctx, std::string_view function, std::uint32_t ptr,
                              std::uint64_t len);

/// Hand `bytes` to the guest in the out/cap/len_ptr convention: their size at len_ptr, then
/// the bytes when out_cap holds them (else RB_TOO_SMALL; the guest calls again with a larger
/// buffer). 1 when copied; a range outside guest memory fails the call naming `function`.
std::uint32_t CopyOut(HostContext& ctx, GuestMemory& memory, std::string_view function,
                      std::span<const std::uint8_t> bytes, std::uint32_t out_ptr,
                      std::uint32_t out_cap, std::uint32_t len_ptr);
/// CopyOut of text.
inline std::uint32_t CopyOut(HostContext& ctx, GuestMemory& memory, std::string_view function,
                             std::string_view text, std::uint32_t out_ptr, std::uint32_t out_cap,
                             std::uint32_t len_ptr) {
  return CopyOut(ctx, memory, function,
                 {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}, out_ptr,
                 out_cap, len_ptr);
}

/// Encode a signed status code as the u32 the generated code returns.
inline std::uint32_t Code(std::int32_t code) { return static_cast<std::uint32_t>(code); }

}  // namespace rapidbyte::plugin::hostcalls
