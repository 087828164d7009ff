// Host error construction and its JSON form.
#include "plugin/host_error.h"

#include "protocol/connector_error.h"

namespace rapidbyte::plugin {

Status HostError(StatusCode status_code, protocol::ErrorCategory category, std::string_view code,
                 std::string message) {
  return Status(status_code, std::move(message))
      .WithDetail(std::make_shared<HostErrorDetail>(category, std::string(code)));
}

std::string_view HostErrorCode(const Status& status) {
  const auto& detail = status.detail();
  if (detail == nullptr || detail->type_id() != HostErrorDetail::kTypeId) return "";
  return static_cast<const HostErrorDetail&>(*detail).code;
}

std::string HostErrorJson(protocol::ErrorCategory category, std::string_view code,
                          std::string_view message) {
  // The category's default retry fields, as for a connector's own errors (SPEC §4.11).
  return protocol::Dump(
      protocol::ConnectorError::Make(category, std::string(code), std::string(message)).ToJson());
}

}  // namespace rapidbyte::plugin
