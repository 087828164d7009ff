// Host functions for logging, errors, cancellation, checkpoints and metrics (SPEC §4.6).
#include "base/log.h"
#include "base/utf8.h"
#include "plugin/hostcalls/hostcall_util.h"
#include "plugin/limits.h"
#include "plugin/runtime/guest_thread.h"
#include "protocol/json.h"

using rapidbyte::plugin::GuestMemory;
using rapidbyte::plugin::HostContext;
using rapidbyte::plugin::runtime::HostCallScope;
namespace hc = rapidbyte::plugin::hostcalls;

namespace {

// Replace invalid UTF-8 bytes with U+FFFD so logs and JSON stay valid.
std::string ToValidUtf8(std::string text) {
  std::string out;
  std::string_view rest = text;
  while (!rest.empty()) {
    const std::size_t bad = rapidbyte::FindInvalidUtf8(rest);
    if (bad == std::string_view::npos) {
      out.append(rest);
      break;
    }
    out.append(rest.substr(0, bad));
    out.append("\xEF\xBF\xBD");
    rest.remove_prefix(bad + 1);
  }
  return out;
}

rapidbyte::LogLevel GuestLevel(std::uint32_t level) {
  switch (level) {
    case RB_LOG_ERROR: return rapidbyte::LogLevel::kError;
    case RB_LOG_WARN: return rapidbyte::LogLevel::kWarn;
    case RB_LOG_INFO: return rapidbyte::LogLevel::kInfo;
    case RB_LOG_DEBUG: return rapidbyte::LogLevel::kDebug;
    default: return rapidbyte::LogLevel::kTrace;
  }
}

bool RoleMatchesKind(HostContext::Role role, std::uint32_t kind) {
  switch (kind) {
    case RB_CHECKPOINT_SOURCE: return role == HostContext::Role::kSource;
    case RB_CHECKPOINT_DEST: return role == HostContext::Role::kDestination;
    case RB_CHECKPOINT_TRANSFORM: return role == HostContext::Role::kTransform;
    default: return false;
  }
}

}  // namespace

namespace rapidbyte::plugin {

/// Log a connector message with its origin (also used by WASI stdout/stderr).
void LogFromConnector(const HostContext& ctx, LogLevel level, std::string message) {
  if (!LogEnabled(level)) return;
  Log(level, "[connector] " + ToValidUtf8(std::move(message)),
      {{"origin", "connector"}, {"connector", ctx.connector_id}, {"stage", ctx.stage},
       {"stream", ctx.stream}});
}

}  // namespace rapidbyte::plugin

extern "C" {

std::uint32_t Z_rapidbyteZ_rb_host_log(Z_rapidbyte_instance_t* instance, std::uint32_t level,
                                       std::uint32_t ptr, std::uint32_t len) noexcept {
  HostCallScope scope;
  HostContext& ctx = hc::Ctx(instance);
  // The whole range must be valid even though only the first 64 KiB are logged.
  GuestMemory memory(ctx.memory);
  if (!memory.InBounds(ptr, len)) return hc::FailOutOfBounds(ctx, "rb_host_log", ptr, len);
  const std::uint32_t shown = len > RB_MAX_LOG_BYTES ? RB_MAX_LOG_BYTES : len;
  std::string message;
  memory.Read(ptr, shown, &message);
  if (len > shown) message += " [truncated]";
  rapidbyte::plugin::LogFromConnector(ctx, GuestLevel(level), std::move(message));
  return hc::Code(RB_OK);
}

std::uint32_t Z_rapidbyteZ_rb_host_last_error(Z_rapidbyte_instance_t* instance,
                                              std::uint32_t out_ptr, std::uint32_t out_cap,
                                              std::uint32_t len_ptr) noexcept {
  HostCallScope scope;
  HostContext& ctx = hc::Ctx(instance);
  if (!ctx.last_error) return 0;
  GuestMemory memory(ctx.memory);
  const std::uint32_t rc =
      hc::CopyOut(ctx, memory, "rb_host_last_error", *ctx.last_error, out_ptr, out_cap, len_ptr);
  if (rc == 1) ctx.last_error.reset();
  return rc;
}

std::uint32_t Z_rapidbyteZ_rb_host_is_cancelled(Z_rapidbyte_instance_t* instance) noexcept {
  HostContext& ctx = hc::Ctx(instance);
  if (ctx.cancel && ctx.cancel->cancelled()) return 1;
  return ctx.stop_requested != nullptr && ctx.stop_requested->load() ? 2 : 0;
}

std::uint32_t Z_rapidbyteZ_rb_host_checkpoint(Z_rapidbyte_instance_t* instance, std::uint32_t kind,
                                              std::uint32_t ptr, std::uint32_t len) noexcept {
  HostCallScope scope;
  HostContext& ctx = hc::Ctx(instance);
  if (!RoleMatchesKind(ctx.role, kind)) {
    return hc::Fail(ctx, hc::Category::kInternal, "INVALID_CHECKPOINT_KIND",
                    "checkpoint kind " + std::to_string(static_cast<std::int32_t>(kind)) +
                        " is not valid for the " + ctx.stage +
                        " stage (0 source, 1 destination, 2 transform)");
  }
  if (len > RB_MAX_JSON_BYTES) {
    return hc::Fail(ctx, hc::Category::kInternal, "INVALID_CHECKPOINT",
                    "checkpoint larger than 16 MiB");
  }
  std::string json;
  if (!GuestMemory(ctx.memory).Read(ptr, len, &json)) {
    return hc::FailOutOfBounds(ctx, "rb_host_checkpoint", ptr, len);
  }
  std::string why;
  const auto doc = rapidbyte::protocol::ParseJson(json, &why);
  if (!doc) {
    return hc::Fail(ctx, hc::Category::kInternal, "INVALID_CHECKPOINT",
                    "checkpoint payload is " + why);
  }
  const rapidbyte::Status st = ctx.engine->Checkpoint(static_cast<int>(kind), *doc);
  if (!st.ok()) return hc::FailStatus(ctx, st, hc::Category::kInternal, "INVALID_CHECKPOINT");
  return hc::Code(RB_OK);
}

std::uint32_t Z_rapidbyteZ_rb_host_metric(Z_rapidbyte_instance_t* instance, std::uint32_t ptr,
                                          std::uint32_t len) noexcept {
  HostCallScope scope;
  HostContext& ctx = hc::Ctx(instance);
  namespace limits = rapidbyte::plugin::limits;
  if (len > limits::kMaxMetricBytes) {
    return hc::Fail(ctx, hc::Category::kInternal, "INVALID_METRIC",
                    "metric of " + std::to_string(len) + " bytes exceeds the limit of " +
                        std::to_string(limits::kMaxMetricBytes) + " bytes");
  }
  std::string json;
  if (!GuestMemory(ctx.memory).Read(ptr, len, &json)) {
    return hc::FailOutOfBounds(ctx, "rb_host_metric", ptr, len);
  }
  std::string why;
  const auto parsed = rapidbyte::protocol::ParseJson(json, &why);
  if (!parsed) return hc::Fail(ctx, hc::Category::kInternal, "INVALID_METRIC", "metric is " + why);
  const auto& doc = *parsed;
  const auto& body = doc.is_object() && doc.contains("payload") ? doc["payload"] : doc;
  if (!body.is_object() || !body.contains("name") || !body["name"].is_string() ||
      !body.contains("value") || !body["value"].is_object()) {
    return hc::Fail(ctx, hc::Category::kInternal, "INVALID_METRIC",
                    "metric must be a JSON object with a string 'name' and a 'value' object");
  }
  if (const std::size_t name_len = body["name"].get_ref<const std::string&>().size();
      name_len == 0 || name_len > limits::kMaxMetricNameBytes) {
    return hc::Fail(ctx, hc::Category::kInternal, "INVALID_METRIC",
                    "metric name of " + std::to_string(name_len) + " bytes; names have 1 to " +
                        std::to_string(limits::kMaxMetricNameBytes) + " bytes");
  }
  if (const rapidbyte::Status st = ctx.engine->Metric(doc); !st.ok()) {
    return hc::Fail(ctx, hc::Category::kInternal, "INVALID_METRIC", st.message());
  }
  return hc::Code(RB_OK);
}

}  // extern "C"
