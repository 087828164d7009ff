// The StatusDetail that carries a ConnectorError.
#include "sdk/error_status.h"

#include <memory>

namespace rapidbyte::sdk {
namespace {

class ConnectorErrorDetail final : public StatusDetail {
 public:
  static constexpr std::string_view kTypeId = "sdk::ConnectorError";
  explicit ConnectorErrorDetail(ConnectorError error) : error_(std::move(error)) {}
  std::string_view type_id() const override { return kTypeId; }
  std::string ToString() const override { return error_.Display(); }
  const ConnectorError& error() const { return error_; }

 private:
  ConnectorError error_;
};

}  // namespace

Status AsStatus(const ConnectorError& error) {
  return Status(StatusCode::kUnknown, error.message)
      .WithDetail(std::make_shared<const ConnectorErrorDetail>(error));
}

const ConnectorError* ErrorOf(const Status& status) {
  const auto& detail = status.detail();
  if (!detail || detail->type_id() != ConnectorErrorDetail::kTypeId) return nullptr;
  return &static_cast<const ConnectorErrorDetail&>(*detail).error();
}

}  // namespace rapidbyte::sdk
