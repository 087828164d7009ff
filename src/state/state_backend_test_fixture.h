// StateBackendTest: one parameterised fixture that runs every backend test against an SQLite
// temp file and against a schema in a real PostgreSQL started by the harness, plus raw SQL
// access (outside the backend) to inspect and tamper with the stored tables.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "base/test_util.h"
#include "state/state_backend.h"
#include "tests/harness/pg_cluster_fixture.h"

namespace rapidbyte::state::testing {

enum class BackendKind { kSqlite, kPostgres };

inline std::string KindName(const ::testing::TestParamInfo<BackendKind>& info) {
  return info.param == BackendKind::kSqlite ? "Sqlite" : "Postgres";
}

class StateBackendTest : public rapidbyte::testing::PgClusterTest,
                         public ::testing::WithParamInterface<BackendKind> {
 protected:
  void SetUp() override {
    if (GetParam() == BackendKind::kPostgres) {
      PgClusterTest::SetUp();
      if (HasFatalFailure()) return;
      static std::atomic<int> counter{0};
      spec_.backend = config::StateBackendKind::kPostgres;
      spec_.connection = cluster()->Url("postgres");
      spec_.schema = "state_t" + std::to_string(counter.fetch_add(1));
      return;
    }
    std::string pattern = (std::filesystem::temp_directory_path() / "rb_state_XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    spec_.backend = config::StateBackendKind::kSqlite;
    spec_.connection = dir_ + "/nested/dir/state.db";  // parents are created on open
  }

  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  bool IsSqlite() const { return GetParam() == BackendKind::kSqlite; }

  Result<std::unique_ptr<StateBackend>> Open() const { return OpenStateBackend(spec_); }

  /// `$S.` in `sql` becomes the backend's schema prefix.
  std::string Expand(std::string sql) const {
    std::string prefix = IsSqlite() ? "" : "\"" + spec_.schema + "\".";
    for (std::size_t at = sql.find("$S."); at != std::string::npos; at = sql.find("$S.", at)) {
      sql.replace(at, 3, prefix);
    }
    return sql;
  }

  /// Run `sql` outside the backend; the first column of each row as text ("" for NULL).
  std::vector<std::string> RawQuery(const std::string& sql) const {
    std::vector<std::string> out;
    if (!IsSqlite()) {
      auto rows = cluster()->Query("postgres", Expand(sql));
      EXPECT_TRUE(rows.ok()) << rows.status().ToString();
      if (!rows.ok()) return out;
      for (const auto& row : *rows) out.push_back(row.empty() ? "" : row[0].value_or(""));
      return out;
    }
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(spec_.connection.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    auto collect = [](void* sink, int, char** values, char**) {
      static_cast<std::vector<std::string>*>(sink)->push_back(values[0] ? values[0] : "");
      return 0;
    };
    int rc = sqlite3_exec(db, Expand(sql).c_str(), collect, &out, &error);
    EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
    return out;
  }

  config::StateSpec spec_;
  std::string dir_;
};

}  // namespace rapidbyte::state::testing
