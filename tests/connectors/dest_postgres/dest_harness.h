// Test harness for dest-postgres: runs the real translated connector through the plugin host
// (Instance + HostContext) against the shared throwaway PostgreSQL cluster. The test thread
// runs rb_open and rb_run_write; a producer thread feeds Arrow IPC frames built on the host
// into the instance's input FrameChannel, then finishes it or fails it after the connector
// has received a given number of frames. The engine's commit-protocol hooks are simple test
// versions that record what the connector did, in order.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "arrow/record_batch_builder.h"
#include "tests/harness/pg_cluster_fixture.h"

namespace rapidbyte::dest_test {

using Frame = std::vector<std::uint8_t>;
using Json = nlohmann::json;

/// One rapidbyte frame (schema, `batch`, end-of-stream) for `batch`.
Frame EncodeFrame(const arrow::RecordBatch& batch);

/// A field with `pg_type` metadata (none when empty).
arrow::Field PgField(std::string name, arrow::DataType type, bool nullable,
                     std::string pg_type = "");

/// The "users" stream: id bigint NOT NULL, name varchar(64), score numeric(12,2); rows
/// [first, first + count) with name `<prefix><id>` and score id * 1.25. Schema metadata
/// carries pg_primary_key ["id"].
Frame UsersFrame(std::int64_t first, std::int64_t count, const std::string& prefix = "user");

struct RunSpec {
  Json config = Json::object();  ///< merged over the connection defaults
  Json context;                  ///< the StreamContext
  std::vector<Frame> frames;
  /// >= 0: fail the producer once the connector has received this many frames (and never
  /// send the rest); -1: send every frame, then end the stream.
  int fail_after_frames = -1;
  /// With fail_after_frames: cancel the attempt instead of failing the producer.
  bool cancel_instead_of_fail = false;
  /// What on_report_commit answers.
  bool already_complete = false;
  /// Pause before every frame after the first (time-based checkpoints).
  int gap_ms = 0;
  /// The `position` of minted commit tokens; unset: a WAL position for a cdc stream (its
  /// snapshot is done), null otherwise.
  std::optional<Json> token_position;
};

struct RunOutcome {
  Json open;                        ///< rb_open response envelope
  Json write;                       ///< rb_run_write response envelope
  std::vector<std::string> events;  ///< "report_commit", "next_batch", "commit_token", "checkpoint"
  std::vector<std::string> reported_tokens;
  std::vector<Json> checkpoints;  ///< payloads of destination checkpoints
  std::vector<Json> metrics;      ///< payloads of metrics
  std::vector<std::string> minted_tokens;
};

/// A StreamContext for `stream` with `write_mode` and default limits and policies.
Json StreamContext(const std::string& stream, const Json& write_mode = "append");

class DestPostgresTest : public testing::PgClusterTest {
 protected:
  void SetUp() override;

  /// Run the connector once with `spec` against this test's database.
  RunOutcome Run(const RunSpec& spec);
  /// rb_validate with `config` merged over the connection defaults; the response envelope.
  Json Validate(const Json& config, const Json& streams);
  /// Rows of `sql` in this test's database (text cells; NULL as "NULL").
  std::vector<std::vector<std::string>> Rows(const std::string& sql);
  /// `name: format_type [not null]` per column of `table` (e.g. `public.users`).
  std::vector<std::string> ColumnTypes(const std::string& table);
  void Exec(const std::string& sql);

  /// The connection part of the config for this test's database.
  Json BaseConfig() const;

  std::string db_;
};

}  // namespace rapidbyte::dest_test
