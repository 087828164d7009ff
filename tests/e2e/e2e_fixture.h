// The fixture of the SPEC §11 acceptance suite: the real `rapidbyte` binary moving data
// between two databases of a throwaway PostgreSQL 15 server (tests/harness), with a fresh
// HOME per test. It creates the §11 fixture tables, runs SQL, compares tables ("exact
// copy"), writes pipeline files and runs the binary with JSON output.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/harness/pg_cluster_fixture.h"
#include "tests/harness/rapidbyte_process.h"

namespace rapidbyte::e2e {

using Json = nlohmann::json;
using testing::CommandOptions;
using testing::CommandRun;
using testing::PgCluster;

/// One database on one server. Helpers fail the current test (non-fatally) on SQL errors.
struct Db {
  const PgCluster* cluster = nullptr;
  std::string name;

  void Exec(const std::string& sql) const;
  /// Rows of `sql` as text cells (NULL is std::nullopt); empty and a failure on error.
  std::vector<PgCluster::Row> Query(const std::string& sql) const;
  /// The first cell of `sql`, "<NULL>" for NULL, "<error: ...>" on error.
  std::string Scalar(const std::string& sql) const;
  std::int64_t Count(const std::string& table) const;
  /// True when `schema.table` exists (any relation kind).
  bool Exists(const std::string& qualified) const;
  /// `name format_type[ not null]` per column of `qualified`, in column order.
  std::vector<std::string> ColumnTypes(const std::string& qualified) const;
  /// Every row of `sql` as one line `c1|c2|...` (NULL as `<NULL>`), sorted.
  std::vector<std::string> SortedRows(const std::string& sql) const;
};

/// A pipeline file. Connector configs point at `src`/`dst` of the fixture unless the test
/// replaces them; YAML fragments are pasted as given (mind the indentation noted per field).
struct PipelineSpec {
  std::string name = "e2e_pg";
  /// Items of source.streams, each line indented by 4 ("    - name: users\n").
  std::string streams;
  std::string source_use = "source-postgres";
  /// The whole source config flow map; empty = the fixture's source database.
  std::string source_config;
  /// Extra "key: value" items appended inside the source config flow map.
  std::string source_extra;
  /// Extra "key: value" items appended inside the destination config flow map.
  std::string dest_extra;
  std::string dest_schema = "raw";
  std::string write_mode = "append";
  /// Extra lines under `destination:`, indented by 2 ("  primary_key: [id]\n").
  std::string destination;
  /// Whole top-level blocks pasted after destination (e.g. "transforms:\n  - use: x\n").
  std::string extra;
  /// Lines under `resources:`, indented by 2.
  std::string resources;
  /// The destination database; null = the fixture's `dst`.
  const Db* dest_db = nullptr;
};

/// The outcome of `rapidbyte run ... --output json`.
struct RunOutput {
  CommandRun cmd;
  Json result;  ///< the parsed stdout document (null when stdout was not one JSON document)
  int exit_code() const { return cmd.exit_code; }
  /// The stream object named `name` from result["streams"] (null when absent).
  Json Stream(const std::string& name) const;
  /// Everything for a failure message: exit code, stdout and the end of stderr.
  std::string Describe() const;
};

class E2eTest : public testing::PgClusterTest {
 protected:
  void SetUp() override;
  void TearDown() override;

  /// The shared server.
  static const PgCluster& pg() { return *cluster(); }

  /// §11 fixtures: users(id serial pk, name text not null, email text, updated_at
  /// timestamptz) with Alice, Bob, Carol and orders(...) with 3 rows, in `db`'s public schema.
  static void CreateUsersAndOrders(const Db& db);
  /// §10.6 `bench_events` with `rows` deterministic rows in `db`'s public schema.
  static void CreateBenchEvents(const Db& db, std::int64_t rows);
  /// Options for a run whose peak RSS is measured: ASan's quarantine off (it would keep
  /// every freed frame resident; what is measured is the memory the program holds).
  static CommandOptions WithoutAsanQuarantine();
  /// Rows for volume scenarios: $RB_E2E_ROWS when set, else `default_rows`.
  static std::int64_t RowsKnob(std::int64_t default_rows);

  /// Write the pipeline file (in this test's temp dir) and return its path.
  std::string WritePipeline(const PipelineSpec& spec);
  /// A pipeline `sandbox`: the hostile test connector (connectors/testing/hostile_source.cc)
  /// with `config` (a flow map) reading `streams` (the mode of rb_run_read is each name's last
  /// segment) into test-sink; `resources`: lines under `resources:`, indented by 2.
  std::string HostilePipeline(const std::vector<std::string>& streams,
                              const std::string& config = "{}", const std::string& resources = "");
  /// The source/destination config flow map for `db` (`extra` items appended).
  static std::string PgConfig(const Db& db, const std::string& extra = "");

  /// `rapidbyte run <pipeline> --output json [extra...]` with this test's HOME.
  RunOutput Run(const std::string& pipeline, const std::vector<std::string>& extra = {},
                CommandOptions options = {});
  /// `rapidbyte <args...>` with this test's HOME.
  CommandRun Cli(const std::vector<std::string>& args, CommandOptions options = {});

  /// Expect `dst_sql` to return exactly the rows of `src_sql` `copies` times over
  /// (compared as text, order-independent; rows missing on either side are listed).
  void ExpectSameRows(const Db& src, const std::string& src_sql, const Db& dst,
                      const std::string& dst_sql, int copies = 1);
  /// SPEC §11 "exact copy" of `src_table` (in src) as `dst_table` (in dst): same row count,
  /// count(distinct key) = count(*), no row only on one side. `columns` is a select list.
  void ExpectExactCopy(const std::string& src_table, const std::string& dst_table,
                       const std::string& key = "id", const std::string& columns = "*");
  void ExpectExactCopy(const Db& src, const std::string& src_table, const Db& dst,
                       const std::string& dst_table, const std::string& key,
                       const std::string& columns);

  /// $HOME/.rapidbyte/state.db of this test.
  std::string StatePath() const { return home_ + "/.rapidbyte/state.db"; }
  /// Rows of `sql` against the state file, "a|b\n" per row (NULL as "NULL").
  std::string StateQuery(const std::string& sql) const;

  Db src_;
  Db dst_;
  std::string home_;  ///< fresh HOME of this test
  std::string dir_;   ///< temp dir for pipeline files
  int pipelines_ = 0;
};

/// The findings test-hostile logged for `stream` (`probe <mode>: {...}`, read from
/// `--log-format json` stderr), or null.
Json Probe(const RunOutput& r, const std::string& stream);

/// Expect `stream` to have failed once (no retry) in the Source stage with `code` and a
/// message equal to `message` (or, with `substring`, containing it).
void ExpectStreamError(const RunOutput& r, const std::string& stream, const std::string& code,
                       const std::string& message, bool substring = false);

/// A loopback port nothing listens on (bound, then released).
int UnusedPort();

/// True once `pid` has exited (without reaping it: RunRapidbyte's waitpid does that).
bool ChildExited(int pid);

/// Poll `ready` every 20 ms until it returns true (→ true), or `pid` exits or `timeout_secs`
/// pass (→ false). For CommandOptions.while_running callbacks.
bool WaitWhileRunning(int pid, double timeout_secs, const std::function<bool()>& ready);

/// True when `haystack` contains `needle`.
inline bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace rapidbyte::e2e
