// The small JSON documents of the connector protocol (SPEC §4.10) that both sides encode and
// decode: the result envelope, OpenInfo, run summaries with their timings, checkpoints and
// metrics. Decoders accept unknown fields and give missing optional ones their defaults.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "base/result.h"
#include "protocol/connector_error.h"
#include "protocol/json.h"

namespace rapidbyte::protocol {

/// A ConnectorResult envelope: {"status":"ok","data":...} or {"status":"err","error":...}.
struct Envelope {
  bool ok = false;
  Json data;              // when ok
  ConnectorError error;   // when !ok
  static Result<Envelope> Parse(std::string_view text);
  static std::string Ok(const Json& data);
  static std::string Err(const ConnectorError& error);
};

struct OpenInfo {
  std::string protocol_version = "1";
  std::vector<std::string> features;
  std::uint64_t default_max_batch_bytes = 4u << 20;
  Json ToJson() const;
  static Result<OpenInfo> FromJson(const Json& json);
};

struct ReadPerf {
  double connect_secs = 0;
  double query_secs = 0;
  double fetch_secs = 0;
  bool operator==(const ReadPerf&) const = default;
};

struct WritePerf {
  double connect_secs = 0;
  double flush_secs = 0;
  double commit_secs = 0;
  bool operator==(const WritePerf&) const = default;
};

struct ReadSummary {
  std::uint64_t records_read = 0;
  std::uint64_t bytes_read = 0;
  std::uint64_t batches_emitted = 0;
  std::uint64_t checkpoint_count = 0;
  std::uint64_t records_skipped = 0;
  std::optional<ReadPerf> perf;
  bool operator==(const ReadSummary&) const = default;
  Json ToJson() const;
  static Result<ReadSummary> FromJson(const Json& json);
};

struct WriteSummary {
  std::uint64_t records_written = 0;
  std::uint64_t bytes_written = 0;
  std::uint64_t batches_written = 0;
  std::uint64_t checkpoint_count = 0;
  std::uint64_t records_failed = 0;
  std::optional<WritePerf> perf;
  bool operator==(const WriteSummary&) const = default;
  Json ToJson() const;
  static Result<WriteSummary> FromJson(const Json& json);
};

struct TransformSummary {
  std::uint64_t records_in = 0;
  std::uint64_t records_out = 0;
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
  std::uint64_t batches_processed = 0;
  bool operator==(const TransformSummary&) const = default;
  Json ToJson() const;
  static Result<TransformSummary> FromJson(const Json& json);
};

/// A metric (SPEC §4.10): {"name", "value": {"counter": n} | {"gauge": x} | {"histogram": x},
/// "labels": [[k, v], ...]}, optionally inside the payload envelope.
struct Metric {
  enum class Kind { kCounter, kGauge, kHistogram };
  std::string name;
  Kind kind = Kind::kCounter;
  std::int64_t counter = 0;
  double number = 0;  // gauge or histogram sample
  std::vector<std::pair<std::string, std::string>> labels;
  Json ToJson() const;
  static Result<Metric> FromJson(const Json& json);
};

}  // namespace rapidbyte::protocol
