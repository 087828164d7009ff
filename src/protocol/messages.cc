// Codecs of the protocol messages.
#include "protocol/messages.h"

namespace rapidbyte::protocol {
namespace {

// The body of a payload envelope ({"protocol_version", ..., "payload": {...}}) or the
// document itself.
const Json& Payload(const Json& json) {
  const Json* inner = GetMember(json, "payload");
  return inner != nullptr && inner->is_object() ? *inner : json;
}

Status NotObject(std::string_view what) {
  return Status::InvalidArgument(std::string(what) + " is not a JSON object");
}

}  // namespace

Result<Envelope> Envelope::Parse(std::string_view text) {
  auto doc = ParseJson(text);
  if (!doc || !doc->is_object()) return Status::InvalidArgument("response is not a JSON object");
  std::string status;
  if (!GetString(*doc, "status", &status)) return Status::InvalidArgument("response has no 'status'");
  Envelope env;
  if (status == "ok") {
    const Json* data = GetMember(*doc, "data");
    if (data == nullptr) return Status::InvalidArgument("ok response has no 'data'");
    env.ok = true;
    env.data = *data;
    return env;
  }
  if (status == "err") {
    const Json* error = GetMember(*doc, "error");
    if (error == nullptr) return Status::InvalidArgument("err response has no 'error'");
    RB_ASSIGN_OR_RETURN(env.error, ConnectorError::FromJson(*error));
    return env;
  }
  return Status::InvalidArgument("response status '" + status + "' is not ok or err");
}

std::string Envelope::Ok(const Json& data) { return Dump(Json{{"status", "ok"}, {"data", data}}); }

std::string Envelope::Err(const ConnectorError& error) {
  return Dump(Json{{"status", "err"}, {"error", error.ToJson()}});
}

Json OpenInfo::ToJson() const {
  return Json{{"protocol_version", protocol_version},
              {"features", features},
              {"default_max_batch_bytes", default_max_batch_bytes}};
}

Result<OpenInfo> OpenInfo::FromJson(const Json& json) {
  if (!json.is_object()) return NotObject("OpenInfo");
  OpenInfo info;
  GetString(json, "protocol_version", &info.protocol_version);
  if (const Json* features = GetMember(json, "features"); features && features->is_array()) {
    for (const auto& f : *features) {
      if (!f.is_string()) return Status::InvalidArgument("OpenInfo.features holds a non-string");
      info.features.push_back(f.get<std::string>());
    }
  }
  GetUint(json, "default_max_batch_bytes", &info.default_max_batch_bytes);
  return info;
}

Json ReadSummary::ToJson() const {
  Json j = {{"records_read", records_read},         {"bytes_read", bytes_read},
            {"batches_emitted", batches_emitted},   {"checkpoint_count", checkpoint_count},
            {"records_skipped", records_skipped},   {"perf", nullptr}};
  if (perf) {
    j["perf"] = {{"connect_secs", perf->connect_secs},
                 {"query_secs", perf->query_secs},
                 {"fetch_secs", perf->fetch_secs}};
  }
  return j;
}

Result<ReadSummary> ReadSummary::FromJson(const Json& json) {
  if (!json.is_object()) return NotObject("ReadSummary");
  ReadSummary s;
  GetUint(json, "records_read", &s.records_read);
  GetUint(json, "bytes_read", &s.bytes_read);
  GetUint(json, "batches_emitted", &s.batches_emitted);
  GetUint(json, "checkpoint_count", &s.checkpoint_count);
  GetUint(json, "records_skipped", &s.records_skipped);
  if (const Json* perf = GetMember(json, "perf"); perf && perf->is_object()) {
    ReadPerf p;
    GetDouble(*perf, "connect_secs", &p.connect_secs);
    GetDouble(*perf, "query_secs", &p.query_secs);
    GetDouble(*perf, "fetch_secs", &p.fetch_secs);
    s.perf = p;
  }
  return s;
}

Json WriteSummary::ToJson() const {
  Json j = {{"records_written", records_written}, {"bytes_written", bytes_written},
            {"batches_written", batches_written}, {"checkpoint_count", checkpoint_count},
            {"records_failed", records_failed},   {"perf", nullptr}};
  if (perf) {
    j["perf"] = {{"connect_secs", perf->connect_secs},
                 {"flush_secs", perf->flush_secs},
                 {"commit_secs", perf->commit_secs}};
  }
  return j;
}

Result<WriteSummary> WriteSummary::FromJson(const Json& json) {
  if (!json.is_object()) return NotObject("WriteSummary");
  WriteSummary s;
  GetUint(json, "records_written", &s.records_written);
  GetUint(json, "bytes_written", &s.bytes_written);
  GetUint(json, "batches_written", &s.batches_written);
  GetUint(json, "checkpoint_count", &s.checkpoint_count);
  GetUint(json, "records_failed", &s.records_failed);
  if (const Json* perf = GetMember(json, "perf"); perf && perf->is_object()) {
    WritePerf p;
    GetDouble(*perf, "connect_secs", &p.connect_secs);
    GetDouble(*perf, "flush_secs", &p.flush_secs);
    GetDouble(*perf, "commit_secs", &p.commit_secs);
    s.perf = p;
  }
  return s;
}

Json TransformSummary::ToJson() const {
  return {{"records_in", records_in}, {"records_out", records_out},   {"bytes_in", bytes_in},
          {"bytes_out", bytes_out},   {"batches_processed", batches_processed}};
}

Result<TransformSummary> TransformSummary::FromJson(const Json& json) {
  if (!json.is_object()) return NotObject("TransformSummary");
  TransformSummary s;
  GetUint(json, "records_in", &s.records_in);
  GetUint(json, "records_out", &s.records_out);
  GetUint(json, "bytes_in", &s.bytes_in);
  GetUint(json, "bytes_out", &s.bytes_out);
  GetUint(json, "batches_processed", &s.batches_processed);
  return s;
}

Json Metric::ToJson() const {
  Json value;
  switch (kind) {
    case Kind::kCounter: value = {{"counter", counter}}; break;
    case Kind::kGauge: value = {{"gauge", number}}; break;
    case Kind::kHistogram: value = {{"histogram", number}}; break;
  }
  Json label_list = Json::array();
  for (const auto& [k, v] : labels) label_list.push_back(Json::array({k, v}));
  return {{"name", name}, {"value", value}, {"labels", label_list}};
}

Result<Metric> Metric::FromJson(const Json& json) {
  const Json& body = Payload(json);
  if (!body.is_object()) return NotObject("Metric");
  Metric m;
  if (!GetString(body, "name", &m.name) || m.name.empty()) {
    return Status::InvalidArgument("metric has no 'name'");
  }
  const Json* value = GetMember(body, "value");
  if (value == nullptr || !value->is_object()) {
    return Status::InvalidArgument("metric '" + m.name + "' has no 'value' object");
  }
  if (GetInt(*value, "counter", &m.counter)) {
    m.kind = Kind::kCounter;
  } else if (GetDouble(*value, "gauge", &m.number)) {
    m.kind = Kind::kGauge;
  } else if (GetDouble(*value, "histogram", &m.number)) {
    m.kind = Kind::kHistogram;
  } else {
    return Status::InvalidArgument("metric '" + m.name +
                                   "' value is not {counter: int}, {gauge: x} or {histogram: x}");
  }
  if (const Json* labels = GetMember(body, "labels"); labels && labels->is_array()) {
    for (const auto& pair : *labels) {
      if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) {
        return Status::InvalidArgument("metric '" + m.name + "' labels must be [key, value] pairs");
      }
      m.labels.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
    }
  }
  return m;
}

}  // namespace rapidbyte::protocol
