// StateBackend against SQLite and PostgreSQL: the pipeline lock (SPEC §6.3) within a process,
// across processes (fork) and across backend objects, and compare-and-set from concurrent
// threads; plus backend-specific construction (in-memory, Describe without password).
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "state/state_backend_test_fixture.h"
#include "state/state_util.h"

namespace rapidbyte::state::testing {
namespace {

class StateLockTest : public StateBackendTest {
 protected:
  /// In a forked child: open a fresh backend and try the lock. Exit codes: 0 refused with the
  /// "already running" message, 1 acquired (the lock dies with the child), 2 other error.
  int TryLockInChild(const std::string& pipeline) {
    pid_t pid = fork();
    if (pid == 0) {
      auto backend = OpenStateBackend(spec_);
      if (!backend.ok()) _exit(2);
      auto lock = (*backend)->TryLock(pipeline);
      if (lock.ok()) _exit(1);
      bool refused = lock.status().code() == StatusCode::kFailedPrecondition &&
                     lock.status().message().find("is already running") != std::string::npos;
      _exit(refused ? 0 : 2);
    }
    int status = 0;
    EXPECT_EQ(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
};
class StateConcurrencyTest : public StateBackendTest {};

TEST_P(StateLockTest, SecondTryLockIsRefusedWithTheRunningRun) {
  ASSERT_OK_AND_ASSIGN(auto backend, Open());
  ASSERT_OK_AND_ASSIGN(auto other, Open());  // another backend object, as another process
  ASSERT_OK_AND_ASSIGN(bool free_before, other->IsLocked("lk"));
  EXPECT_FALSE(free_before);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<PipelineLock> lock, backend->TryLock("lk"));
  ASSERT_NE(lock, nullptr);

  // No running row yet: the message has no run details.
  Result<std::unique_ptr<PipelineLock>> bare = other->TryLock("lk");
  ASSERT_FALSE(bare.ok());
  EXPECT_EQ(bare.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(bare.status().message(),
            "Pipeline 'lk' is already running. Wait for it to finish or stop it.");

  ASSERT_OK_AND_ASSIGN(std::int64_t run, backend->StartRun("lk"));
  ASSERT_OK_AND_ASSIGN(auto runs, backend->ListRuns("lk", 1));
  ASSERT_EQ(runs.size(), 1u);
  std::string expected = "Pipeline 'lk' is already running (run #" + std::to_string(run) +
                         " started " + runs[0].started_at + " on host " + HostName() + ", pid " +
                         std::to_string(getpid()) + "). Wait for it to finish or stop it.";
  Result<std::unique_ptr<PipelineLock>> refused = other->TryLock("lk");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(), expected);
  // The holder's own backend refuses a second lock too: one run per pipeline.
  Result<std::unique_ptr<PipelineLock>> same = backend->TryLock("lk");
  ASSERT_FALSE(same.ok());
  EXPECT_EQ(same.status().message(), expected);
  ASSERT_OK_AND_ASSIGN(bool held, other->IsLocked("lk"));
  EXPECT_TRUE(held);

  // Other pipelines lock independently.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<PipelineLock> independent, other->TryLock("lk-2"));
  ASSERT_NE(independent, nullptr);

  lock.reset();  // released on destruction
  ASSERT_OK_AND_ASSIGN(bool free_after, other->IsLocked("lk"));
  EXPECT_FALSE(free_after);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<PipelineLock> relocked, other->TryLock("lk"));
  EXPECT_NE(relocked, nullptr);
}

TEST_P(StateLockTest, AnotherProcessIsRefusedWhileHeld) {
  ASSERT_OK_AND_ASSIGN(auto backend, Open());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<PipelineLock> lock, backend->TryLock("fork"));
  EXPECT_EQ(TryLockInChild("fork"), 0);
  lock.reset();
  EXPECT_EQ(TryLockInChild("fork"), 1);
}

// SQLite only: flock is released synchronously when the process exits; PostgreSQL drops the
// advisory lock when the server notices the closed session, which would need polling.
class StateSqliteLockTest : public StateBackendTest {};

TEST_P(StateSqliteLockTest, LockOfADeadProcessIsReleased) {
  { ASSERT_OK_AND_ASSIGN(auto warm, Open()); }  // migrate before forking
  pid_t pid = fork();
  if (pid == 0) {
    auto backend = OpenStateBackend(spec_);
    if (!backend.ok()) _exit(2);
    auto lock = (*backend)->TryLock("dies");
    _exit(lock.ok() ? 0 : 3);  // exits holding the lock: no destructor runs
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  ASSERT_OK_AND_ASSIGN(auto backend, Open());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<PipelineLock> lock, backend->TryLock("dies"));
  EXPECT_NE(lock, nullptr);
}

TEST_P(StateConcurrencyTest, CompareAndSetIncrementsFromTwoThreadsAreExact) {
  constexpr int kPerThread = 40;
  std::vector<std::unique_ptr<StateBackend>> backends;
  for (int i = 0; i < 2; ++i) {
    ASSERT_OK_AND_ASSIGN(auto backend, Open());  // own connection each, as two processes
    backends.push_back(std::move(backend));
  }
  ASSERT_OK(backends[0]->PutValue("cas", Scope::kPipeline, "", "n", "0"));
  std::vector<Status> errors(2);
  auto increment = [&](int t) {
    StateBackend& b = *backends[static_cast<std::size_t>(t)];
    for (int done = 0; done < kPerThread;) {
      Result<std::optional<std::string>> current = b.GetValue("cas", Scope::kPipeline, "", "n");
      if (!current.ok() || !current->has_value()) {
        errors[static_cast<std::size_t>(t)] = current.status();
        return;
      }
      std::string next = std::to_string(std::stoll(**current) + 1);
      Result<bool> swapped =
          b.CompareAndSetValue("cas", Scope::kPipeline, "", "n", **current, next);
      if (!swapped.ok()) {
        errors[static_cast<std::size_t>(t)] = swapped.status();
        return;
      }
      if (*swapped) ++done;
    }
  };
  std::thread a(increment, 0);
  std::thread b(increment, 1);
  a.join();
  b.join();
  EXPECT_OK(errors[0]);
  EXPECT_OK(errors[1]);
  ASSERT_OK_AND_ASSIGN(auto total, backends[1]->GetValue("cas", Scope::kPipeline, "", "n"));
  EXPECT_EQ(total, std::optional<std::string>(std::to_string(2 * kPerThread)));
}

TEST_P(StateConcurrencyTest, ThreadsShareOneBackend) {
  ASSERT_OK_AND_ASSIGN(auto backend, Open());
  auto work = [&](const std::string& stream) {
    for (int i = 0; i < 20; ++i) {
      EXPECT_OK(backend->EnsureCursor("shared", stream, "id").status());
      EXPECT_OK(backend->PutValue("shared", Scope::kStream, stream, std::to_string(i), "v"));
    }
  };
  std::thread a(work, "a");
  std::thread b(work, "b");
  a.join();
  b.join();
  ASSERT_OK_AND_ASSIGN(auto counts, backend->CountValues("shared"));
  EXPECT_EQ(counts, (std::vector<std::int64_t>{0, 40, 0}));
}

INSTANTIATE_TEST_SUITE_P(Backends, StateLockTest,
                         ::testing::Values(BackendKind::kSqlite, BackendKind::kPostgres),
                         KindName);
INSTANTIATE_TEST_SUITE_P(Backends, StateSqliteLockTest, ::testing::Values(BackendKind::kSqlite),
                         KindName);
INSTANTIATE_TEST_SUITE_P(Backends, StateConcurrencyTest,
                         ::testing::Values(BackendKind::kSqlite, BackendKind::kPostgres),
                         KindName);

TEST(InMemoryStateBackendTest, WorksAndLocksInProcess) {
  ASSERT_OK_AND_ASSIGN(auto backend, OpenInMemoryStateBackend());
  EXPECT_EQ(backend->Describe(), "sqlite :memory:");
  ASSERT_OK_AND_ASSIGN(int version, backend->SchemaVersion());
  EXPECT_EQ(version, kSchemaVersion);
  ASSERT_OK(backend->PutValue("m", Scope::kPipeline, "", "k", "v"));
  ASSERT_OK_AND_ASSIGN(auto value, backend->GetValue("m", Scope::kPipeline, "", "k"));
  EXPECT_EQ(value, std::optional<std::string>("v"));
  ASSERT_OK_AND_ASSIGN(auto lock, backend->TryLock("m"));
  EXPECT_FALSE(backend->TryLock("m").ok());
  ASSERT_OK_AND_ASSIGN(bool held, backend->IsLocked("m"));
  EXPECT_TRUE(held);
  lock.reset();
  ASSERT_OK_AND_ASSIGN(bool released, backend->IsLocked("m"));
  EXPECT_FALSE(released);
  // Two in-memory backends are separate databases.
  ASSERT_OK_AND_ASSIGN(auto second, OpenInMemoryStateBackend());
  ASSERT_OK_AND_ASSIGN(auto absent, second->GetValue("m", Scope::kPipeline, "", "k"));
  EXPECT_FALSE(absent.has_value());
}

TEST(SqliteStateBackendTest, EmptyConnectionWithoutHomeIsRefused) {
  const char* home = std::getenv("HOME");
  std::string saved = home ? home : "";
  unsetenv("HOME");
  config::StateSpec spec;  // sqlite, connection ""
  Result<std::unique_ptr<StateBackend>> result = OpenStateBackend(spec);
  if (home) setenv("HOME", saved.c_str(), 1);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().message(), "HOME is not set; set state.connection");
}

class PostgresStateBackendTest : public rapidbyte::testing::PgClusterTest {};

TEST_F(PostgresStateBackendTest, PasswordAuthAndDescribeHidesThePassword) {
  ASSERT_OK(cluster()->Exec("postgres", "GRANT CREATE ON DATABASE postgres TO " +
                                            std::string(rapidbyte::testing::kPgScramRole)));
  config::StateSpec spec;
  spec.backend = config::StateBackendKind::kPostgres;
  spec.connection = cluster()->Url("postgres", rapidbyte::testing::kPgScramRole,
                                   rapidbyte::testing::kPgScramPassword) +
                    "?sslmode=disable";
  spec.schema = "state scram";  // needs quoting
  ASSERT_OK_AND_ASSIGN(auto backend, OpenStateBackend(spec));
  EXPECT_EQ(backend->Describe(), "postgres postgres://rb_auth@" + cluster()->host() + ":" +
                                     std::to_string(cluster()->port()) +
                                     "/postgres (schema state scram)");
  ASSERT_OK(backend->PutValue("pw", Scope::kPipeline, "", "k", "v"));

  spec.connection = cluster()->Url("postgres", rapidbyte::testing::kPgScramRole, "wrong-secret");
  Result<std::unique_ptr<StateBackend>> denied = OpenStateBackend(spec);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.status().message().find("wrong-secret"), std::string::npos)
      << denied.status().message();
  EXPECT_NE(denied.status().message().find("postgres://rb_auth@"), std::string::npos)
      << denied.status().message();
}

}  // namespace
}  // namespace rapidbyte::state::testing
