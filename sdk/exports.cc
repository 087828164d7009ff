// The JSON call convention for the generated exports (SPEC §4.5): parse the request, call
// the connector, answer with the ConnectorResult envelope.
#include "sdk/exports.h"

#include "sdk/raw_abi.h"

namespace rapidbyte::sdk {
namespace {

std::int64_t Reply(const Outcome<Json>& outcome) {
  return raw::Respond(outcome.ok() ? protocol::Envelope::Ok(*outcome)
                              : protocol::Envelope::Err(outcome.error()));
}

// An unparsable request is the host's bug, not the connector's: answer with an internal
// error instead of running on defaults.
std::optional<Json> ParseRequest(std::uint32_t ptr, std::uint32_t len) {
  auto json = protocol::ParseJson(raw::Request(ptr, len));
  if (!json || !json->is_object()) return std::nullopt;
  return json;
}

std::int64_t BadRequest(const char* what) {
  return Reply(InternalError("PARSE_ERROR", std::string("bad ") + what));
}

template <typename Run>
std::int64_t CallRun(Connector& c, std::uint32_t ptr, std::uint32_t len, Run run) {
  auto request = ParseRequest(ptr, len);
  if (!request) return BadRequest("StreamContext");
  Outcome<StreamContext> context = StreamContext::Parse(std::move(*request));
  if (!context.ok()) return Reply(context.error());
  c.SdkBeginRun(*context);
  return Reply(run(*context));
}

}  // namespace

Json ValidationResult::ToJson() const {
  auto name = [](Status s) {
    switch (s) {
      case Status::kSuccess:
        return "success";
      case Status::kFailed:
        return "failed";
      case Status::kWarning:
        return "warning";
    }
    return "failed";
  };
  Json checks_json = Json::array();
  for (const Check& check : checks) {
    Json c = {{"name", check.name}, {"status", name(check.status)}, {"message", check.message}};
    if (!check.category.empty()) c["category"] = check.category;
    if (!check.code.empty()) c["code"] = check.code;
    if (!check.plan.is_null()) c["plan"] = check.plan;
    checks_json.push_back(std::move(c));
  }
  return Json{{"status", name(status)}, {"message", message}, {"checks", checks_json}};
}

ValidationResult::Check ValidationResult::Failed(std::string name, const ConnectorError& error) {
  return Check{std::move(name), Status::kFailed, error.message,
               std::string(protocol::Name(error.category)), error.code};
}

ValidationResult ValidationResult::Of(std::vector<Check> checks) {
  ValidationResult result;
  result.message = "all checks passed";
  for (const Check& c : checks) {
    if (c.status == Status::kFailed && result.status != Status::kFailed) {
      result.status = Status::kFailed;
      result.message = c.message;
    } else if (c.status == Status::kWarning && result.status == Status::kSuccess) {
      result.status = Status::kWarning;
      result.message = c.message;
    }
  }
  result.checks = std::move(checks);
  return result;
}

Outcome<OpenInfo> Connector::Open(const Json& /*config*/) { return OpenInfo{}; }

Outcome<ValidationResult> Connector::Validate(const Json& /*config*/, const Json& /*request*/) {
  return ValidationResult{};
}

Outcome<Json> Source::Discover(const Json& /*config*/) { return Json{{"streams", Json::array()}}; }

void Connector::SdkBeginCall(const Json& request, bool keep_config) {
  std::string id;
  if (connector_id_.empty() && protocol::GetString(request, "connector_id", &id)) {
    connector_id_ = std::move(id);
  }
  if (!keep_config) return;
  const Json* config = protocol::GetMember(request, "config");
  const Json* json = config ? protocol::GetMember(*config, "json") : nullptr;
  config_ = json != nullptr && json->is_object() ? *json : Json::object();
}

namespace internal {

std::int64_t CallOpen(Connector& c, std::uint32_t ptr, std::uint32_t len) {
  auto request = ParseRequest(ptr, len);
  if (!request) return BadRequest("OpenContext");
  c.SdkBeginCall(*request, true);
  auto info = c.Open(c.config());
  return Reply(info.ok() ? Outcome<Json>(info->ToJson()) : Outcome<Json>(info.error()));
}

std::int64_t CallValidate(Connector& c, std::uint32_t ptr, std::uint32_t len) {
  auto request = ParseRequest(ptr, len);
  if (!request) return BadRequest("ValidateRequest");
  c.SdkBeginCall(*request, true);
  auto result = c.Validate(c.config(), *request);
  return Reply(result.ok() ? Outcome<Json>(result->ToJson()) : Outcome<Json>(result.error()));
}

std::int32_t CallClose(Connector& c) { return c.Close(); }

std::int64_t CallDiscover(Source& c, std::uint32_t ptr, std::uint32_t len) {
  auto request = ParseRequest(ptr, len);
  if (!request) return BadRequest("OpenContext");
  c.SdkBeginCall(*request, true);
  return Reply(c.Discover(c.config()));
}

std::int64_t CallRead(Source& c, std::uint32_t ptr, std::uint32_t len) {
  return CallRun(c, ptr, len, [&](const StreamContext& context) { return c.Read(context); });
}

std::int64_t CallWrite(Destination& c, std::uint32_t ptr, std::uint32_t len) {
  return CallRun(c, ptr, len, [&](const StreamContext& context) { return c.Write(context); });
}

std::int64_t CallTransform(Transform& c, std::uint32_t ptr, std::uint32_t len) {
  return CallRun(c, ptr, len, [&](const StreamContext& context) { return c.Process(context); });
}

}  // namespace internal
}  // namespace rapidbyte::sdk
