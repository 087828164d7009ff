// StateBackend against SQLite and PostgreSQL: connector key/value state per scope (get, put,
// compare-and-set, counts) and `state reset` of a pipeline or one stream (SPEC §6.4, §3.6).
#include "state/state_backend_test_fixture.h"

namespace rapidbyte::state::testing {
namespace {

class StateValuesTest : public StateBackendTest {};
class StateResetTest : public StateBackendTest {
 protected:
  /// Two streams with cursors and keys in every scope, plus a second pipeline.
  void Populate(StateBackend& backend) {
    for (const char* pipeline : {"rp", "rp-other"}) {
      for (const char* stream : {"users", "orders"}) {
        ASSERT_OK(backend.EnsureCursor(pipeline, stream, "id").status());
        ASSERT_OK(backend.PutValue(pipeline, Scope::kStream, stream, "k", "v"));
      }
      ASSERT_OK(backend.PutValue(pipeline, Scope::kPipeline, "", "k", "v"));
      ASSERT_OK(backend.PutValue(pipeline, Scope::kConnectorInstance, "source:pg", "k1", "v"));
      ASSERT_OK(backend.PutValue(pipeline, Scope::kConnectorInstance, "source:pg", "k2", "v"));
    }
  }
};

const Scope kScopes[] = {Scope::kPipeline, Scope::kStream, Scope::kConnectorInstance};

std::string ScopeKey(Scope scope) {
  switch (scope) {
    case Scope::kPipeline:
      return "";
    case Scope::kStream:
      return "users";
    case Scope::kConnectorInstance:
      return "destination:postgres";
  }
  return "";
}

TEST_P(StateValuesTest, GetPutCompareAndSetPerScope) {
  ASSERT_OK_AND_ASSIGN(auto backend, Open());
  for (Scope scope : kScopes) {
    SCOPED_TRACE(std::string(ScopeName(scope)));
    std::string sk = ScopeKey(scope);
    ASSERT_OK_AND_ASSIGN(auto absent, backend->GetValue("kv", scope, sk, "counter"));
    EXPECT_FALSE(absent.has_value());
    ASSERT_OK_AND_ASSIGN(bool inserted,
                         backend->CompareAndSetValue("kv", scope, sk, "counter", std::nullopt, "1"));
    EXPECT_TRUE(inserted);
    ASSERT_OK_AND_ASSIGN(bool reinserted,
                         backend->CompareAndSetValue("kv", scope, sk, "counter", std::nullopt, "9"));
    EXPECT_FALSE(reinserted) << "expect-absent must fail when the key exists";
    ASSERT_OK_AND_ASSIGN(bool mismatch, backend->CompareAndSetValue(
                                            "kv", scope, sk, "counter", std::string("7"), "8"));
    EXPECT_FALSE(mismatch);
    ASSERT_OK_AND_ASSIGN(bool swapped, backend->CompareAndSetValue(
                                           "kv", scope, sk, "counter", std::string("1"), "2"));
    EXPECT_TRUE(swapped);
    ASSERT_OK_AND_ASSIGN(auto value, backend->GetValue("kv", scope, sk, "counter"));
    EXPECT_EQ(value, std::optional<std::string>("2"));
  }
  // Same key in another scope key or pipeline is a different entry.
  ASSERT_OK_AND_ASSIGN(auto other_stream, backend->GetValue("kv", Scope::kStream, "x", "counter"));
  EXPECT_FALSE(other_stream.has_value());
  ASSERT_OK_AND_ASSIGN(auto other_pipeline,
                       backend->GetValue("kv2", Scope::kPipeline, "", "counter"));
  EXPECT_FALSE(other_pipeline.has_value());
}

TEST_P(StateValuesTest, PutOverwritesAndKeepsBinaryBytes) {
  ASSERT_OK_AND_ASSIGN(auto backend, Open());
  std::string binary("\x00\xff\x01\\x'\"", 7);
  ASSERT_OK(backend->PutValue("bin", Scope::kPipeline, "", "blob", "first"));
  ASSERT_OK(backend->PutValue("bin", Scope::kPipeline, "", "blob", binary));
  ASSERT_OK_AND_ASSIGN(auto got, backend->GetValue("bin", Scope::kPipeline, "", "blob"));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, binary);
  ASSERT_OK(backend->PutValue("bin", Scope::kPipeline, "", "empty", ""));
  ASSERT_OK_AND_ASSIGN(auto empty, backend->GetValue("bin", Scope::kPipeline, "", "empty"));
  EXPECT_EQ(empty, std::optional<std::string>(""));  // present and empty, not absent
  ASSERT_OK_AND_ASSIGN(bool swapped, backend->CompareAndSetValue("bin", Scope::kPipeline, "",
                                                                 "blob", binary, "next"));
  EXPECT_TRUE(swapped);
}

TEST_P(StateValuesTest, CountValuesPerScope) {
  ASSERT_OK_AND_ASSIGN(auto backend, Open());
  ASSERT_OK_AND_ASSIGN(auto zero, backend->CountValues("cnt"));
  EXPECT_EQ(zero, (std::vector<std::int64_t>{0, 0, 0}));
  ASSERT_OK(backend->PutValue("cnt", Scope::kPipeline, "", "a", "1"));
  ASSERT_OK(backend->PutValue("cnt", Scope::kStream, "s1", "a", "1"));
  ASSERT_OK(backend->PutValue("cnt", Scope::kStream, "s2", "a", "1"));
  ASSERT_OK(backend->PutValue("cnt", Scope::kConnectorInstance, "source:pg", "a", "1"));
  ASSERT_OK(backend->PutValue("cnt", Scope::kConnectorInstance, "source:pg", "b", "1"));
  ASSERT_OK(backend->PutValue("cnt", Scope::kConnectorInstance, "source:pg", "c", "1"));
  ASSERT_OK(backend->PutValue("cnt-other", Scope::kPipeline, "", "a", "1"));
  ASSERT_OK_AND_ASSIGN(auto counts, backend->CountValues("cnt"));
  EXPECT_EQ(counts, (std::vector<std::int64_t>{1, 2, 3}));
}

TEST_P(StateResetTest, WholePipeline) {
  ASSERT_OK_AND_ASSIGN(auto backend, Open());
  Populate(*backend);
  ASSERT_OK_AND_ASSIGN(std::int64_t run, backend->StartRun("rp"));
  ASSERT_OK_AND_ASSIGN(CursorRecord before, backend->EnsureCursor("rp", "users", "id"));

  ASSERT_OK_AND_ASSIGN(ResetCounts counts, backend->Reset("rp", std::nullopt));
  EXPECT_EQ(counts.cursors, 2);
  EXPECT_EQ(counts.connector_state_keys, 5);
  ASSERT_OK_AND_ASSIGN(auto cursors, backend->ListCursors("rp"));
  EXPECT_TRUE(cursors.empty());
  ASSERT_OK_AND_ASSIGN(auto left, backend->CountValues("rp"));
  EXPECT_EQ(left, (std::vector<std::int64_t>{0, 0, 0}));
  ASSERT_OK_AND_ASSIGN(CursorRecord after, backend->EnsureCursor("rp", "users", "id"));
  EXPECT_NE(after.state_id, before.state_id);
  ASSERT_OK_AND_ASSIGN(auto runs, backend->ListRuns("rp", 10));
  ASSERT_EQ(runs.size(), 1u);  // run history is kept
  EXPECT_EQ(runs[0].id, run);
  // The other pipeline is untouched.
  ASSERT_OK_AND_ASSIGN(auto other_cursors, backend->ListCursors("rp-other"));
  EXPECT_EQ(other_cursors.size(), 2u);
  ASSERT_OK_AND_ASSIGN(auto other_counts, backend->CountValues("rp-other"));
  EXPECT_EQ(other_counts, (std::vector<std::int64_t>{1, 2, 2}));
}

TEST_P(StateResetTest, OneStream) {
  ASSERT_OK_AND_ASSIGN(auto backend, Open());
  Populate(*backend);
  ASSERT_OK_AND_ASSIGN(CursorRecord orders_before, backend->EnsureCursor("rp", "orders", "id"));
  ASSERT_OK_AND_ASSIGN(CursorRecord users_before, backend->EnsureCursor("rp", "users", "id"));

  ASSERT_OK_AND_ASSIGN(ResetCounts counts, backend->Reset("rp", std::string("users")));
  EXPECT_EQ(counts.cursors, 1);
  EXPECT_EQ(counts.connector_state_keys, 1);  // only the stream-scope key of users
  ASSERT_OK_AND_ASSIGN(auto users, backend->GetCursor("rp", "users"));
  EXPECT_FALSE(users.has_value());
  ASSERT_OK_AND_ASSIGN(auto orders, backend->GetCursor("rp", "orders"));
  ASSERT_TRUE(orders.has_value());
  EXPECT_EQ(orders->state_id, orders_before.state_id);
  ASSERT_OK_AND_ASSIGN(auto users_key, backend->GetValue("rp", Scope::kStream, "users", "k"));
  EXPECT_FALSE(users_key.has_value());
  ASSERT_OK_AND_ASSIGN(auto orders_key, backend->GetValue("rp", Scope::kStream, "orders", "k"));
  EXPECT_TRUE(orders_key.has_value());
  ASSERT_OK_AND_ASSIGN(auto counts_left, backend->CountValues("rp"));
  EXPECT_EQ(counts_left, (std::vector<std::int64_t>{1, 1, 2}));
  ASSERT_OK_AND_ASSIGN(CursorRecord users_after, backend->EnsureCursor("rp", "users", "id"));
  EXPECT_NE(users_after.state_id, users_before.state_id);
}

INSTANTIATE_TEST_SUITE_P(Backends, StateValuesTest,
                         ::testing::Values(BackendKind::kSqlite, BackendKind::kPostgres),
                         KindName);
INSTANTIATE_TEST_SUITE_P(Backends, StateResetTest,
                         ::testing::Values(BackendKind::kSqlite, BackendKind::kPostgres),
                         KindName);

}  // namespace
}  // namespace rapidbyte::state::testing
