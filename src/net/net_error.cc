// NetError construction and lookup.
#include "net/net_error.h"

namespace rapidbyte::net {

Status NetFailure(std::string_view code, std::string message) {
  StatusCode status_code = StatusCode::kUnavailable;
  if (code == kTimeout) status_code = StatusCode::kDeadlineExceeded;
  if (code == kCancelled) status_code = StatusCode::kCancelled;
  if (code == kTlsFailed) status_code = StatusCode::kFailedPrecondition;
  return Status(status_code, std::move(message)).WithDetail(std::make_shared<NetError>(code));
}

const NetError* GetNetError(const Status& status) {
  const auto& detail = status.detail();
  if (detail == nullptr || detail->type_id() != NetError::kTypeId) return nullptr;
  return static_cast<const NetError*>(detail.get());
}

}  // namespace rapidbyte::net
