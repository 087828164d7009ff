// Host error construction and its JSON form.
#include "plugin/host_error.h"

#include <nlohmann/json.hpp>

namespace rapidbyte::plugin {

Status HostError(StatusCode status_code, std::string_view category, std::string_view code,
                 std::string message) {
  return Status(status_code, std::move(message))
      .WithDetail(std::make_shared<HostErrorDetail>(std::string(category), std::string(code)));
}

std::string_view HostErrorCode(const Status& status) {
  const auto& detail = status.detail();
  if (detail == nullptr || detail->type_id() != HostErrorDetail::kTypeId) return "";
  return static_cast<const HostErrorDetail&>(*detail).code;
}

std::string HostErrorJson(std::string_view category, std::string_view code,
                          std::string_view message) {
  const bool transient = category == "transient_network" || category == "transient_db" ||
                         category == "rate_limit";
  nlohmann::json error = {
      {"category", category},
      {"scope", category == "data" ? "record" : "stream"},
      {"code", code},
      {"message", message},
      {"retryable", transient},
      {"retry_after_ms", nullptr},
      {"backoff_class", category == "rate_limit" ? "slow" : "normal"},
      {"safe_to_retry", transient},
      {"commit_state", nullptr},
      {"details", nullptr},
  };
  return error.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace rapidbyte::plugin
