#include <gtest/gtest.h>

#include "base/test_util.h"
#include "protocol/connector_error.h"
#include "protocol/json.h"
#include "protocol/messages.h"

namespace rapidbyte::protocol {
namespace {

TEST(ConnectorErrorTest, CategoryDefaults) {
  struct Row {
    ErrorCategory category;
    bool retryable;
    BackoffClass backoff;
    ErrorScope scope;
  };
  const Row rows[] = {
      {ErrorCategory::kConfig, false, BackoffClass::kNormal, ErrorScope::kStream},
      {ErrorCategory::kAuth, false, BackoffClass::kNormal, ErrorScope::kStream},
      {ErrorCategory::kPermission, false, BackoffClass::kNormal, ErrorScope::kStream},
      {ErrorCategory::kSchema, false, BackoffClass::kNormal, ErrorScope::kStream},
      {ErrorCategory::kInternal, false, BackoffClass::kNormal, ErrorScope::kStream},
      {ErrorCategory::kCancelled, false, BackoffClass::kNormal, ErrorScope::kStream},
      {ErrorCategory::kData, false, BackoffClass::kNormal, ErrorScope::kRecord},
      {ErrorCategory::kRateLimit, true, BackoffClass::kSlow, ErrorScope::kStream},
      {ErrorCategory::kTransientNetwork, true, BackoffClass::kNormal, ErrorScope::kStream},
      {ErrorCategory::kTransientDb, true, BackoffClass::kNormal, ErrorScope::kStream},
  };
  for (const auto& row : rows) {
    const auto e = ConnectorError::Make(row.category, "X", "m");
    EXPECT_EQ(e.retryable, row.retryable) << Name(row.category);
    EXPECT_EQ(e.safe_to_retry, row.retryable) << Name(row.category);
    EXPECT_EQ(e.backoff_class, row.backoff) << Name(row.category);
    EXPECT_EQ(e.scope, row.scope) << Name(row.category);
    EXPECT_FALSE(e.commit_state.has_value());
  }
}

TEST(ConnectorErrorTest, AfterCommitUnknownIsUnsafeButRetryable) {
  auto e = ConnectorError::Make(ErrorCategory::kTransientDb, "COMMIT_FAILED", "connection lost")
               .WithCommitState(CommitState::kAfterCommitUnknown);
  EXPECT_TRUE(e.retryable);
  EXPECT_FALSE(e.safe_to_retry);
  EXPECT_EQ(e.Display(), "[transient_db/stream] COMMIT_FAILED (retryable): connection lost");
}

TEST(ConnectorErrorTest, JsonRoundTrip) {
  auto e = ConnectorError::Make(ErrorCategory::kRateLimit, "SLOW_DOWN", "429");
  e.retry_after_ms = 1500;
  e.details = Json{{"sqlstate", "53300"}};
  ASSERT_OK_AND_ASSIGN(ConnectorError back, ConnectorError::FromJson(e.ToJson()));
  EXPECT_EQ(back.ToJson(), e.ToJson());
  EXPECT_EQ(back.retry_after_ms, 1500);
}

TEST(ConnectorErrorTest, DecodingIsStrictAboutIdentityLenientAboutTheRest) {
  EXPECT_FALSE(ConnectorError::FromJson(Json::array()).ok());
  EXPECT_FALSE(ConnectorError::FromJson(Json{{"code", "X"}}).ok());
  EXPECT_FALSE(ConnectorError::FromJson(Json{{"category", "weird"}, {"code", "X"}}).ok());
  EXPECT_FALSE(ConnectorError::FromJson(Json{{"category", "data"}}).ok());
  EXPECT_FALSE(
      ConnectorError::FromJson(Json{{"category", "data"}, {"code", "X"}, {"commit_state", "maybe"}})
          .ok());
  // Wrong types for optional fields fall back to the category defaults.
  ASSERT_OK_AND_ASSIGN(auto e, ConnectorError::FromJson(Json{
                                   {"category", "transient_db"}, {"code", "X"}, {"retryable", "yes"},
                                   {"retry_after_ms", -5}, {"unknown", 1}}));
  EXPECT_TRUE(e.retryable);
  EXPECT_FALSE(e.retry_after_ms.has_value());
  ASSERT_OK_AND_ASSIGN(auto unknown, ConnectorError::FromJson(Json{
                                         {"category", "transient_db"}, {"code", "C"},
                                         {"commit_state", "after_commit_unknown"},
                                         {"safe_to_retry", true}}));
  EXPECT_FALSE(unknown.safe_to_retry);
}

std::string Nested(std::size_t levels, char open, char close) {
  std::string text;
  for (std::size_t i = 0; i < levels; ++i) text += open == '{' ? std::string("{\"a\":") : "[";
  text += open == '{' ? "1" : "";
  text.append(levels, close);
  return text;
}

// Connector JSON is parsed without recursion and refused past kMaxJsonDepth, before anything
// recursive (copy, dump) sees it: 200,000 levels once overflowed the host's stack.
TEST(ParseJsonTest, RefusesDeepNestingAndNamesTheLimit) {
  std::string why;
  ASSERT_TRUE(ParseJson(Nested(kMaxJsonDepth, '[', ']'), &why).has_value()) << why;
  ASSERT_TRUE(ParseJson(Nested(kMaxJsonDepth, '{', '}'), &why).has_value()) << why;
  for (const std::size_t levels : {kMaxJsonDepth + 1, std::size_t{200000}}) {
    why.clear();
    EXPECT_FALSE(ParseJson(Nested(levels, '[', ']'), &why).has_value()) << levels;
    EXPECT_EQ(why, "nested deeper than 64 levels (the limit for connector JSON)");
    why.clear();
    EXPECT_FALSE(ParseJson(Nested(levels, '{', '}'), &why).has_value()) << levels;
    EXPECT_EQ(why, "nested deeper than 64 levels (the limit for connector JSON)");
  }
  // Brackets inside strings are text, not nesting.
  EXPECT_TRUE(ParseJson("[\"" + std::string(1000, '[') + "\"]").has_value());
  // Deep documents inside every decoder that takes connector text.
  const std::string deep_err =
      R"({"status":"err","error":{"category":"data","scope":"stream","code":"X",)"
      R"("message":"m","retryable":false,"details":)" + Nested(100000, '[', ']') + "}}";
  EXPECT_FALSE(Envelope::Parse(deep_err).ok());
  EXPECT_FALSE(Envelope::Parse(R"({"status":"ok","data":)" + Nested(100000, '[', ']') + "}").ok());
}

TEST(ParseJsonTest, RefusesSyntaxErrorsAndOversizedDocuments) {
  std::string why;
  EXPECT_FALSE(ParseJson("{\"a\":", &why).has_value());
  EXPECT_EQ(why.rfind("not valid JSON", 0), 0u) << why;
  why.clear();
  EXPECT_FALSE(ParseJson("[1] [2]", &why).has_value());
  EXPECT_FALSE(why.empty());
  why.clear();
  const std::string big = "\"" + std::string(kMaxJsonBytes, 'x') + "\"";
  EXPECT_FALSE(ParseJson(big, &why).has_value());
  EXPECT_NE(why.find("more than the 16 MiB limit"), std::string::npos) << why;
  const auto ok = ParseJson(R"({"a":[1,{"b":null}],"c":"d"})");
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(Dump(*ok), R"({"a":[1,{"b":null}],"c":"d"})");
}

TEST(EnvelopeTest, OkAndErr) {
  ASSERT_OK_AND_ASSIGN(auto ok, Envelope::Parse(Envelope::Ok(Json{{"records_read", 3}})));
  EXPECT_TRUE(ok.ok);
  EXPECT_EQ(ok.data["records_read"], 3);
  const auto err_text = Envelope::Err(ConnectorError::Make(ErrorCategory::kAuth, "AUTH_FAILED", "no"));
  ASSERT_OK_AND_ASSIGN(auto err, Envelope::Parse(err_text));
  EXPECT_FALSE(err.ok);
  EXPECT_EQ(err.error.code, "AUTH_FAILED");
  for (const char* bad : {"", "[]", "{}", R"({"status":"ok"})", R"({"status":"err"})",
                          R"({"status":"maybe","data":1})", R"({"status":"err","error":{}})",
                          "not json"}) {
    EXPECT_FALSE(Envelope::Parse(bad).ok()) << bad;
  }
}

TEST(SummaryTest, ReadSummaryRoundTripAndBackwardsCompatibility) {
  ReadSummary s;
  s.records_read = 1000;
  s.bytes_read = 65536;
  s.batches_emitted = 10;
  s.checkpoint_count = 2;
  s.perf = ReadPerf{0.1, 1.0, 3.0};
  ASSERT_OK_AND_ASSIGN(ReadSummary back, ReadSummary::FromJson(s.ToJson()));
  EXPECT_EQ(back, s);
  auto old = ParseJson(
      R"({"records_read":100,"bytes_read":4096,"batches_emitted":1,"checkpoint_count":1})");
  ASSERT_TRUE(old);
  ASSERT_OK_AND_ASSIGN(ReadSummary legacy, ReadSummary::FromJson(*old));
  EXPECT_FALSE(legacy.perf.has_value());
  EXPECT_EQ(legacy.records_skipped, 0u);
}

TEST(SummaryTest, WriteAndTransformSummaries) {
  WriteSummary w;
  w.records_written = 5;
  w.records_failed = 1;
  w.perf = WritePerf{0.5, 0.25, 0.125};
  ASSERT_OK_AND_ASSIGN(WriteSummary wb, WriteSummary::FromJson(w.ToJson()));
  EXPECT_EQ(wb, w);
  TransformSummary t{1, 2, 3, 4, 5};
  ASSERT_OK_AND_ASSIGN(TransformSummary tb, TransformSummary::FromJson(t.ToJson()));
  EXPECT_EQ(tb, t);
}

TEST(MetricTest, KindsLabelsAndEnvelope) {
  auto doc = ParseJson(R"({"protocol_version":"1","connector_id":"x","stream_name":"s",
      "payload":{"name":"records_read","value":{"counter":42},"labels":[["k","v"]]}})");
  ASSERT_TRUE(doc);
  ASSERT_OK_AND_ASSIGN(Metric m, Metric::FromJson(*doc));
  EXPECT_EQ(m.name, "records_read");
  EXPECT_EQ(m.kind, Metric::Kind::kCounter);
  EXPECT_EQ(m.counter, 42);
  ASSERT_EQ(m.labels.size(), 1u);
  ASSERT_OK_AND_ASSIGN(Metric gauge, Metric::FromJson(Json{{"name", "g"}, {"value", {{"gauge", 1.5}}}}));
  EXPECT_EQ(gauge.kind, Metric::Kind::kGauge);
  EXPECT_DOUBLE_EQ(gauge.number, 1.5);
  EXPECT_FALSE(Metric::FromJson(Json{{"name", "x"}}).ok());
  EXPECT_FALSE(Metric::FromJson(Json{{"name", "x"}, {"value", {{"counter", "many"}}}}).ok());
  EXPECT_FALSE(Metric::FromJson(Json{{"name", "x"}, {"value", {{"counter", 1}}}, {"labels", {1}}}).ok());
}

TEST(OpenInfoTest, Decode) {
  ASSERT_OK_AND_ASSIGN(OpenInfo info, OpenInfo::FromJson(Json{
                                          {"protocol_version", "1"},
                                          {"features", {"exactly_once", "bulk_load_copy"}},
                                          {"default_max_batch_bytes", 1024}}));
  EXPECT_EQ(info.features.size(), 2u);
  EXPECT_EQ(info.default_max_batch_bytes, 1024u);
  EXPECT_FALSE(OpenInfo::FromJson(Json{{"features", {1}}}).ok());
}

}  // namespace
}  // namespace rapidbyte::protocol
