// Typed errors the plugin host produces (SPEC §4.11 shape): a category, a stable code and a
// message, carried as a StatusDetail so the engine's retry policy can read them without
// matching text.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "protocol/error_taxonomy.h"

namespace rapidbyte::plugin {

struct HostErrorDetail : StatusDetail {
  HostErrorDetail(protocol::ErrorCategory category_in, std::string code_in)
      : category(category_in), code(std::move(code_in)) {}
  std::string_view type_id() const override { return kTypeId; }
  std::string ToString() const override {
    return "[" + std::string(protocol::Name(category)) + "] " + code;
  }

  static constexpr std::string_view kTypeId = "plugin::HostErrorDetail";
  protocol::ErrorCategory category;
  std::string code;      // CONNECTOR_TRAPPED, MEMORY_OUT_OF_BOUNDS, ...
};

/// An error Status with a HostErrorDetail.
Status HostError(StatusCode status_code, protocol::ErrorCategory category, std::string_view code,
                 std::string message);

/// The detail's code when `status` carries a HostErrorDetail, else "".
std::string_view HostErrorCode(const Status& status);

/// The ConnectorError JSON document (SPEC §4.11) for a host-produced error, with the
/// category's default retry fields.
std::string HostErrorJson(protocol::ErrorCategory category, std::string_view code,
                          std::string_view message);

}  // namespace rapidbyte::plugin
