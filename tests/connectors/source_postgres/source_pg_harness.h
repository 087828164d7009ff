// SourcePgTest: runs the built source-postgres connector (translated wasm, loaded through the
// real plugin host) against the harness's PostgreSQL cluster. A run creates an Instance with a
// FrameChannel output drained on another thread, records every checkpoint and metric the
// connector reports, and decodes the frames with our IPC reader so tests can compare values
// with what they inserted.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "arrow/array.h"
#include "arrow/record_batch.h"
#include "arrow/schema.h"
#include "plugin/frame_channel.h"
#include "tests/harness/pg_cluster_fixture.h"

namespace rapidbyte::testing {

/// What one rb_run_read produced.
struct ReadRun {
  nlohmann::json response;                 ///< the envelope: status ok/err
  std::vector<std::vector<std::uint8_t>> frames;
  std::vector<nlohmann::json> checkpoints;  ///< payloads (envelope removed)
  std::vector<int> checkpoint_kinds;
  std::vector<nlohmann::json> metrics;      ///< payloads

  const nlohmann::json& data() const { return response["data"]; }
  const nlohmann::json& error() const { return response["error"]; }
  /// The last value of counter `name`, or -1.
  std::int64_t Counter(const std::string& name) const;
};

/// Decoded frames: the schema of the first one and every row, each cell rendered as text by
/// CellText (nullopt for NULL).
struct Table {
  std::shared_ptr<const arrow::Schema> schema;
  std::vector<std::vector<std::optional<std::string>>> rows;
  std::vector<std::int64_t> rows_per_frame;
  std::size_t Column(const std::string& name) const;
};

/// Render one Arrow value as text: integers and dates/timestamps as their raw numbers, floats
/// with 17 significant digits (nan, inf, -inf, -0), bool as t/f, decimal128 as its decimal
/// text, utf8 as is, binary as \x<hex>, fixed_size_binary as hex, interval as
/// `<months>m<days>d<nanos>ns`, lists as {a,b,NULL}.
std::optional<std::string> CellText(const arrow::ArrayView& array, std::int64_t row);

class SourcePgTest : public PgClusterTest {
 protected:
  void SetUp() override;

  /// SQL in this test's own database (fails the test on error).
  void Sql(const std::string& sql);
  std::vector<std::vector<std::optional<std::string>>> Query(const std::string& sql);

  /// The connector config for this test's database (superuser, sslmode disable).
  nlohmann::json Config() const;
  /// A StreamContext for `stream` (full refresh, default limits).
  nlohmann::json Stream(const std::string& stream) const;

  /// rb_open(config) then rb_run_read(context); rb_open must succeed.
  ReadRun Read(const nlohmann::json& config, const nlohmann::json& context);
  ReadRun Read(const nlohmann::json& context) { return Read(Config(), context); }
  /// rb_discover / rb_validate responses (envelopes).
  nlohmann::json Discover(const nlohmann::json& config);
  nlohmann::json Validate(const nlohmann::json& config, const nlohmann::json& streams);

  /// Decode every frame (fails the test on malformed frames or differing schemas).
  Table Decode(const ReadRun& run);

  std::string db_;
  /// Called on the draining thread after the first frame of a Read (to cancel, or to break
  /// the server connection mid-read).
  std::function<void(plugin::FrameChannel*)> on_first_frame_;
};

}  // namespace rapidbyte::testing
