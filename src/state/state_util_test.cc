// Unit tests of the state helpers: lock keys (checked against Python's hashlib), UUIDs,
// timestamps and the "already running" message.
#include "state/state_util.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "base/test_util.h"

namespace rapidbyte::state {
namespace {

TEST(StateUtilTest, LockFileStemIsFirst16HexOfSha256) {
  // hashlib.sha256(b"orders").hexdigest()[:16]
  EXPECT_EQ(LockFileStem("orders"), "1c168adb00d208e4");
}

TEST(StateUtilTest, AdvisoryLockKeyIsSignedBigEndianPrefix) {
  // struct.unpack(">q", hashlib.sha256(b"rapidbyte:orders").digest()[:8])
  EXPECT_EQ(AdvisoryLockKey("orders"), 6658152716513350796);
  EXPECT_EQ(AdvisoryLockKey("a"), -3760299753652642303);  // top bit set: negative
}

TEST(StateUtilTest, NewUuidIsVersion4AndFresh) {
  std::regex shape("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    ASSERT_OK_AND_ASSIGN(std::string id, NewUuid());
    EXPECT_TRUE(std::regex_match(id, shape)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 50u);
}

TEST(StateUtilTest, NowIsIsoUtcWithMilliseconds) {
  const std::string now = NowIso8601();
  EXPECT_TRUE(std::regex_match(now, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
      << now;
}

TEST(StateUtilTest, AlreadyRunningMessageWithAndWithoutRun) {
  RunRecord run;
  run.id = 41;
  run.started_at = "2026-03-01T10:00:00Z";
  run.hostname = "h";
  run.pid = 123;
  Status with = AlreadyRunningError("x", run);
  EXPECT_EQ(with.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(with.message(),
            "Pipeline 'x' is already running (run #41 started 2026-03-01T10:00:00Z on host h, "
            "pid 123). Wait for it to finish or stop it.");
  EXPECT_EQ(AlreadyRunningError("x", std::nullopt).message(),
            "Pipeline 'x' is already running. Wait for it to finish or stop it.");
}

TEST(StateUtilTest, NewerSchemaMessage) {
  Status s = NewerSchemaError(3);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(), "state database schema version 3 is newer than this rapidbyte "
                         "supports (" + std::to_string(kSchemaVersion) + "); upgrade rapidbyte");
}

TEST(StateUtilTest, StatusNamesRoundTrip) {
  for (RunStatus s : {RunStatus::kRunning, RunStatus::kCompleted, RunStatus::kFailed,
                      RunStatus::kCancelled, RunStatus::kInterrupted}) {
    ASSERT_OK_AND_ASSIGN(RunStatus parsed, ParseRunStatus(RunStatusName(s)));
    EXPECT_EQ(parsed, s);
  }
  EXPECT_EQ(StreamStatusName(StreamStatus::kNotStarted), "not_started");
  EXPECT_EQ(ScopeName(Scope::kConnectorInstance), "connector_instance");
  EXPECT_FALSE(ParseRunStatus("done").ok());
}

}  // namespace
}  // namespace rapidbyte::state
