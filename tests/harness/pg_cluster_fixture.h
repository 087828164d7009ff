// PgClusterTest: a gtest fixture base for integration tests that need PostgreSQL. All tests
// of one test binary share a single PgCluster, started by the first suite that needs it and
// stopped after the last test (a global ::testing::Environment owns it).
#pragma once

#include <gtest/gtest.h>

#include "tests/harness/pg_cluster.h"

namespace rapidbyte::testing {

/// Derive test fixtures from this class. If the cluster cannot start, every test FAILS with
/// the reason (it is never skipped). Tests share the cluster, so each should use its own
/// database or table names. Fixtures that override SetUp() must call PgClusterTest::SetUp()
/// first (and return if it failed: `if (HasFatalFailure()) return;`).
///
/// Not thread-safe: SetUpTestSuite/SetUp run on gtest's main thread. The cluster pointer stays
/// valid until the end of the test program.
class PgClusterTest : public ::testing::Test {
 public:
  /// The shared cluster; nullptr only if it failed to start.
  static PgCluster* cluster();

 protected:
  /// Starts the shared cluster if no earlier suite did (one attempt per binary).
  static void SetUpTestSuite();
  /// Fails the test with the start error when there is no cluster.
  void SetUp() override;
};

}  // namespace rapidbyte::testing
