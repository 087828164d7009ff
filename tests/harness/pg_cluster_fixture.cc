// PgClusterTest implementation: the per-binary shared cluster and the environment that stops
// it after the last test.
#include "tests/harness/pg_cluster_fixture.h"

#include <memory>
#include <utility>

namespace rapidbyte::testing {
namespace {

struct SharedCluster {
  bool attempted = false;
  std::unique_ptr<PgCluster> cluster;
  Status start_error;
};

SharedCluster& Shared() {
  static SharedCluster shared;
  return shared;
}

void EnsureStarted() {
  SharedCluster& shared = Shared();
  if (shared.attempted) return;
  shared.attempted = true;
  // Logical WAL everywhere, so cdc tests (SPEC §14) share the cluster with the rest.
  PgClusterOptions options;
  options.extra_config = {"wal_level = logical", "max_replication_slots = 20",
                          "max_wal_senders = 20"};
  Result<std::unique_ptr<PgCluster>> started = PgCluster::Start(options);
  if (started.ok()) {
    shared.cluster = started.MoveValueUnsafe();
  } else {
    shared.start_error = started.status();
  }
}

// Stops the shared cluster after all tests, before static destruction and leak checking.
class SharedClusterEnvironment : public ::testing::Environment {
 public:
  void TearDown() override {
    Shared().cluster.reset();
    Shared().attempted = false;  // --gtest_repeat starts a fresh one
  }
};

[[maybe_unused]] ::testing::Environment* const kSharedClusterEnvironment =
    ::testing::AddGlobalTestEnvironment(new SharedClusterEnvironment);

}  // namespace

PgCluster* PgClusterTest::cluster() { return Shared().cluster.get(); }

void PgClusterTest::SetUpTestSuite() { EnsureStarted(); }

void PgClusterTest::SetUp() {
  EnsureStarted();  // also covers fixtures whose own SetUpTestSuite hides ours
  if (cluster() == nullptr) {
    FAIL() << "PostgreSQL test cluster did not start: " << Shared().start_error.ToString();
  }
}

}  // namespace rapidbyte::testing
