// Tests for the SPEC §2.7 role, mode and memory checks.
#include "plugin/manifest/role_checks.h"

#include <gtest/gtest.h>

#include "plugin/manifest/test_fixtures.h"

namespace rapidbyte::plugin::manifest {
namespace {

Manifest Load(const std::string& name) {
  Result<Manifest> m = ParseManifest(testing::TestManifestText(name), name);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return m.ok() ? m.MoveValueUnsafe() : Manifest{};
}

TEST(RoleChecksTest, RoleMustBeDeclared) {
  config::Problems problems;
  const Manifest dest = Load("dest-postgres");
  CheckRole(dest, Role::kDestination, "destination.use", problems);
  EXPECT_TRUE(problems.empty());
  CheckRole(dest, Role::kTransform, "transforms[0].use", problems);
  EXPECT_EQ(problems.lines(),
            std::vector<std::string>{"transforms[0].use: connector 'dest-postgres' does not "
                                     "support the transform role (roles: destination)"});
}

TEST(RoleChecksTest, SyncModesMustBeSupported) {
  const Manifest source = Load("source-postgres");
  std::vector<config::StreamSpec> streams(3);
  for (std::size_t i = 0; i < streams.size(); ++i) {
    streams[i].path = "source.streams[" + std::to_string(i) + "]";
  }
  streams[0].sync_mode = config::SyncMode::kCdc;
  streams[1].sync_mode = config::SyncMode::kIncremental;
  streams[2].sync_mode = config::SyncMode::kCdc;
  config::Problems problems;
  CheckSyncModes(source, streams, problems);
  EXPECT_EQ(
      problems.lines(),
      (std::vector<std::string>{"source.streams[0].sync_mode: 'cdc' is not supported by connector "
                                "source-postgres 0.1.0 (supported: full_refresh, incremental)",
                                "source.streams[2].sync_mode: 'cdc' is not supported by connector "
                                "source-postgres 0.1.0 (supported: full_refresh, incremental)"}));
  config::Problems none;
  CheckSyncModes(Load("dest-postgres"), streams, none);  // no source role: nothing to check
  EXPECT_TRUE(none.empty());
}

TEST(RoleChecksTest, WriteModeMustBeSupported) {
  Manifest dest = Load("dest-postgres");
  ASSERT_TRUE(dest.destination);
  config::Problems problems;
  CheckWriteMode(dest, config::WriteMode::kUpsert, problems);
  EXPECT_TRUE(problems.empty());
  dest.destination->supported_write_modes = {config::WriteMode::kAppend,
                                             config::WriteMode::kReplace};
  CheckWriteMode(dest, config::WriteMode::kUpsert, problems);
  EXPECT_EQ(problems.lines(),
            std::vector<std::string>{"destination.write_mode: 'upsert' is not supported by "
                                     "connector dest-postgres 0.1.0 (supported: append, "
                                     "replace)"});
}

TEST(RoleChecksTest, MaxMemoryMustCoverTheManifestMinimum) {
  const Manifest source = Load("source-postgres");  // min_memory_mb 64
  config::Problems problems;
  CheckMinMemory(source, 64 * config::kMiB, problems);
  EXPECT_TRUE(problems.empty());
  CheckMinMemory(source, 32 * config::kMiB, problems);
  EXPECT_EQ(problems.lines(),
            std::vector<std::string>{"resources.max_memory: must be at least 64 MiB for "
                                     "connector source-postgres 0.1.0 "
                                     "(artifact.min_memory_mb), got 32 MiB"});
  config::Problems none;
  CheckMinMemory(Load("dest-postgres"), 1, none);  // no minimum declared
  EXPECT_TRUE(none.empty());
}

}  // namespace
}  // namespace rapidbyte::plugin::manifest
