// Helpers shared by the rapidbyte host functions: reaching the instance's context, failing
// a call with a typed error the guest can fetch, and reading guest buffers safely.
#pragma once

#include <cstdint>
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

/// Encode a signed status code as the u32 the generated code returns.
inline std::uint32_t Code(std::int32_t code) { return static_cast<std::uint32_t>(code); }

}  // namespace rapidbyte::plugin::hostcalls
