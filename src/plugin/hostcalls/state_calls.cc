// Host functions for connector key/value state (SPEC §4.6, §6.4).
#include "plugin/hostcalls/hostcall_util.h"
#include "plugin/runtime/guest_thread.h"

using rapidbyte::plugin::GuestMemory;
using rapidbyte::plugin::HostContext;
using rapidbyte::plugin::runtime::HostCallScope;
namespace hc = rapidbyte::plugin::hostcalls;

namespace {

// Validate scope and key, and copy the key out; returns RB_OK or the failure code.
std::uint32_t ReadKey(HostContext& ctx, const char* fn, std::uint32_t scope, std::uint32_t ptr,
                      std::uint32_t len, std::string* key) {
  if (scope > RB_SCOPE_CONNECTOR_INSTANCE) {
    return hc::Fail(ctx, hc::Category::kInternal, "INVALID_SCOPE",
                    std::string(fn) + ": scope " +
                        std::to_string(static_cast<std::int32_t>(scope)) +
                        " is not 0 (pipeline), 1 (stream) or 2 (connector_instance)");
  }
  if (len > RB_MAX_STATE_KEY_BYTES) {
    return hc::Fail(ctx, hc::Category::kInternal, "KEY_TOO_LONG",
                    std::string(fn) + ": key of " + std::to_string(len) + " bytes exceeds 1024");
  }
  if (!GuestMemory(ctx.memory).Read(ptr, len, key)) return hc::FailOutOfBounds(ctx, fn, ptr, len);
  return hc::Code(RB_OK);
}

std::uint32_t ReadValue(HostContext& ctx, const char* fn, std::uint32_t ptr, std::uint32_t len,
                        std::string* value) {
  if (len > RB_MAX_STATE_VALUE_BYTES) {
    return hc::Fail(
        ctx, hc::Category::kInternal, "VALUE_TOO_LARGE",
        std::string(fn) + ": value of " + std::to_string(len) + " bytes exceeds 16 MiB");
  }
  if (!GuestMemory(ctx.memory).Read(ptr, len, value)) return hc::FailOutOfBounds(ctx, fn, ptr, len);
  return hc::Code(RB_OK);
}

// A refused write: over the state quota (the connector's fault, not retried) or a failure
// of the state backend.
std::uint32_t FailStore(HostContext& ctx, const rapidbyte::Status& st) {
  if (st.code() == rapidbyte::StatusCode::kResourceExhausted) {
    return hc::Fail(ctx, hc::Category::kInternal, "STATE_QUOTA_EXCEEDED", st.message());
  }
  return hc::Fail(ctx, hc::Category::kInternal, "STATE_BACKEND", st.message());
}

std::uint32_t NoBackend(HostContext& ctx) {
  return hc::Fail(ctx, hc::Category::kInternal, "STATE_BACKEND", "no state backend is available");
}

}  // namespace

extern "C" {

std::uint32_t Z_rapidbyteZ_rb_host_state_get(Z_rapidbyte_instance_t* instance, std::uint32_t scope,
                                             std::uint32_t key_ptr, std::uint32_t key_len,
                                             std::uint32_t out_ptr, std::uint32_t out_cap,
                                             std::uint32_t len_ptr) noexcept {
  HostCallScope guard;
  HostContext& ctx = hc::Ctx(instance);
  std::string key;
  if (auto rc = ReadKey(ctx, "rb_host_state_get", scope, key_ptr, key_len, &key); rc != RB_OK) {
    return rc;
  }
  if (ctx.state == nullptr) return NoBackend(ctx);
  auto value = ctx.state->Get(static_cast<int>(scope), key);
  if (!value.ok())
    return hc::Fail(ctx, hc::Category::kInternal, "STATE_BACKEND", value.status().message());
  if (!value->has_value()) return 0;
  GuestMemory memory(ctx.memory);
  return hc::CopyOut(ctx, memory, "rb_host_state_get", **value, out_ptr, out_cap, len_ptr);
}

std::uint32_t Z_rapidbyteZ_rb_host_state_put(Z_rapidbyte_instance_t* instance, std::uint32_t scope,
                                             std::uint32_t key_ptr, std::uint32_t key_len,
                                             std::uint32_t val_ptr, std::uint32_t val_len) noexcept {
  HostCallScope guard;
  HostContext& ctx = hc::Ctx(instance);
  std::string key;
  std::string value;
  if (auto rc = ReadKey(ctx, "rb_host_state_put", scope, key_ptr, key_len, &key); rc != RB_OK) {
    return rc;
  }
  if (auto rc = ReadValue(ctx, "rb_host_state_put", val_ptr, val_len, &value); rc != RB_OK) {
    return rc;
  }
  if (ctx.state == nullptr) return NoBackend(ctx);
  const rapidbyte::Status st = ctx.state->Put(static_cast<int>(scope), key, value);
  if (!st.ok()) return FailStore(ctx, st);
  return hc::Code(RB_OK);
}

std::uint32_t Z_rapidbyteZ_rb_host_state_cas(Z_rapidbyte_instance_t* instance, std::uint32_t scope,
                                             std::uint32_t key_ptr, std::uint32_t key_len,
                                             std::uint32_t exp_ptr, std::uint32_t exp_len,
                                             std::uint32_t new_ptr, std::uint32_t new_len) noexcept {
  HostCallScope guard;
  HostContext& ctx = hc::Ctx(instance);
  std::string key;
  std::string desired;
  if (auto rc = ReadKey(ctx, "rb_host_state_cas", scope, key_ptr, key_len, &key); rc != RB_OK) {
    return rc;
  }
  std::optional<std::string> expected;
  if (exp_ptr != 0 || exp_len != 0) {
    std::string exp;
    if (auto rc = ReadValue(ctx, "rb_host_state_cas", exp_ptr, exp_len, &exp); rc != RB_OK) {
      return rc;
    }
    expected = std::move(exp);
  }
  if (auto rc = ReadValue(ctx, "rb_host_state_cas", new_ptr, new_len, &desired); rc != RB_OK) {
    return rc;
  }
  if (ctx.state == nullptr) return NoBackend(ctx);
  auto swapped = ctx.state->CompareAndSet(static_cast<int>(scope), key, expected, desired);
  if (!swapped.ok()) return FailStore(ctx, swapped.status());
  return *swapped ? 1 : 0;
}

}  // extern "C"
