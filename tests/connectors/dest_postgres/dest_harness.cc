// dest-postgres test harness (see dest_harness.h).
#include "tests/connectors/dest_postgres/dest_harness.h"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "arrow/ipc/writer.h"
#include "plugin/instance.h"
#include "plugin/module.h"

namespace rapidbyte::dest_test {
namespace {

std::shared_ptr<plugin::Module> DestModule() {
  static std::shared_ptr<plugin::Module> module = [] {
    auto m = plugin::Module::Load(
        std::string(std::getenv("RB_BINARY_DIR")) + "/connectors/dest-postgres.so",
        "dest-postgres");
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    return m.ok() ? *m : nullptr;
  }();
  return module;
}

Json ParseEnvelope(const Result<std::string>& response) {
  EXPECT_TRUE(response.ok()) << response.status().ToString();
  if (!response.ok())
    return Json{{"status", "host_error"}, {"message", response.status().ToString()}};
  return Json::parse(*response);
}

// The payload of a checkpoint or metric document (inside the envelope's "payload" key).
Json Payload(const Json& doc) { return doc.contains("payload") ? doc["payload"] : doc; }

}  // namespace

Frame EncodeFrame(const arrow::RecordBatch& batch) {
  arrow::ByteBuffer buffer;
  Status st = arrow::ipc::WriteFrame(batch, &buffer);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return Frame(buffer.data(), buffer.data() + buffer.size());
}

arrow::Field PgField(std::string name, arrow::DataType type, bool nullable, std::string pg_type) {
  arrow::Field field(std::move(name), std::move(type), nullable);
  return pg_type.empty() ? field : field.With(arrow::kPgTypeKey, pg_type);
}

Frame UsersFrame(std::int64_t first, std::int64_t count, const std::string& prefix) {
  auto schema = std::make_shared<const arrow::Schema>(
      std::vector<arrow::Field>{
          PgField("id", arrow::DataType::Int64(), false, "bigint"),
          PgField("name", arrow::DataType::Utf8(), true, "character varying(64)"),
          PgField("score", arrow::DataType::Decimal128(12, 2), true, "numeric(12,2)")},
      arrow::KeyValueMetadata{{std::string(arrow::kPgRelationKey), "public.users"},
                              {std::string(arrow::kPgPrimaryKeyKey), "[\"id\"]"}});
  auto builder = arrow::RecordBatchBuilder::Make(schema);
  EXPECT_TRUE(builder.ok());
  auto& b = **builder;
  for (std::int64_t id = first; id < first + count; ++id) {
    EXPECT_TRUE(b.column_as<arrow::Int64Builder>(0)->Append(id).ok());
    EXPECT_TRUE(b.column_as<arrow::StringBuilder>(1)->Append(prefix + std::to_string(id)).ok());
    EXPECT_TRUE(b.column_as<arrow::Decimal128Builder>(2)
                    ->Append(arrow::Decimal128::FromInt64(id * 125))
                    .ok());
  }
  auto batch = b.Finish();
  EXPECT_TRUE(batch.ok());
  return EncodeFrame(*batch);
}

Json StreamContext(const std::string& stream, const Json& write_mode) {
  return Json{{"pipeline", "dest_test"},
              {"run_id", 7},
              {"attempt", 1},
              {"stream_name", stream},
              {"schema", {{"columns", Json::array()}}},
              {"sync_mode", "full_refresh"},
              {"cursor_info", nullptr},
              {"limits",
               {{"max_batch_bytes", 4 << 20},
                {"max_record_bytes", 16 << 20},
                {"max_inflight_batches", 4},
                {"max_parallel_requests", 1},
                {"checkpoint_interval_bytes", 0},
                {"checkpoint_interval_rows", 0},
                {"checkpoint_interval_seconds", 0}}},
              {"policies",
               {{"on_data_error", "fail"},
                {"schema_evolution",
                 {{"new_column", "add"},
                  {"removed_column", "ignore"},
                  {"type_change", "fail"},
                  {"nullability_change", "allow"}}}}},
              {"write_mode", write_mode},
              {"selected_columns", nullptr},
              {"primary_key", Json::array()}};
}

void DestPostgresTest::SetUp() {
  PgClusterTest::SetUp();
  if (HasFatalFailure()) return;
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  db_ = "d_" + std::string(info->name());
  for (char& c : db_) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (db_.size() > 60) db_.resize(60);
  Status st = cluster()->CreateDatabase(db_);
  ASSERT_TRUE(st.ok()) << st.ToString();
}

void DestPostgresTest::Exec(const std::string& sql) {
  Status st = cluster()->Exec(db_, sql);
  ASSERT_TRUE(st.ok()) << sql << ": " << st.ToString();
}

std::vector<std::vector<std::string>> DestPostgresTest::Rows(const std::string& sql) {
  auto rows = cluster()->Query(db_, sql);
  EXPECT_TRUE(rows.ok()) << sql << ": " << rows.status().ToString();
  std::vector<std::vector<std::string>> out;
  if (!rows.ok()) return out;
  for (const auto& row : *rows) {
    std::vector<std::string> cells;
    for (const auto& cell : row) cells.push_back(cell.value_or("NULL"));
    out.push_back(std::move(cells));
  }
  return out;
}

std::vector<std::string> DestPostgresTest::ColumnTypes(const std::string& table) {
  std::vector<std::string> out;
  for (const auto& row :
       Rows("SELECT attname, format_type(atttypid, atttypmod), attnotnull FROM pg_attribute "
            "WHERE attrelid = '" +
            table +
            "'::regclass AND attnum > 0 AND NOT attisdropped "
            "ORDER BY attnum")) {
    out.push_back(row[0] + ": " + row[1] + (row[2] == "t" ? " not null" : ""));
  }
  return out;
}

Json DestPostgresTest::BaseConfig() const {
  return Json{{"host", "127.0.0.1"},      {"port", cluster()->port()},
              {"user", "postgres"},       {"password", ""},
              {"database", db_},          {"schema", "public"},
              {"sslmode", "disable"},     {"connect_timeout", 10},
              {"load_method", "copy"},    {"copy_flush_bytes", 4194304},
              {"insert_batch_rows", 1000}};
}

Json DestPostgresTest::Validate(const Json& config, const Json& streams) {
  plugin::HostContext host;
  host.connector_id = "rapidbyte/dest-postgres";
  host.connector_version = "0.1.0";
  host.stage = "destination";
  host.role = plugin::HostContext::Role::kDestination;
  host.allowed_hosts = {"127.0.0.1"};
  auto instance = plugin::Instance::Create(DestModule(), std::move(host));
  EXPECT_TRUE(instance.ok()) << instance.status().ToString();
  if (!instance.ok()) return nullptr;
  Json merged = BaseConfig();
  merged.update(config);
  Json request = {{"config", {{"json", merged}}},
                  {"connector_id", "rapidbyte/dest-postgres"},
                  {"connector_version", "0.1.0"},
                  {"pipeline", "dest_test"},
                  {"run_id", 7},
                  {"streams", streams}};
  Json out = ParseEnvelope((*instance)->CallJson(plugin::Export::kValidate, request.dump()));
  (*instance)->Close().status().IgnoreError();
  return out;
}

RunOutcome DestPostgresTest::Run(const RunSpec& spec) {
  RunOutcome out;
  std::mutex mu;  // events come from the instance thread only, but keep it simple and safe
  auto cancel = std::make_shared<plugin::CancellationToken>();
  plugin::FrameChannel channel(1, cancel);
  std::atomic<int> received{0};

  plugin::HostContext host;
  host.connector_id = "rapidbyte/dest-postgres";
  host.connector_version = "0.1.0";
  host.stage = "destination";
  host.stream = spec.context.value("stream_name", "");
  host.role = plugin::HostContext::Role::kDestination;
  host.cancel = cancel;
  host.input = &channel;
  host.allowed_hosts = {"127.0.0.1"};
  // The engine as the destination sees it: records every call, mints tokens, answers the
  // reported commit with `spec.already_complete`.
  struct Engine : plugin::EngineLink {
    Engine(std::mutex& mu_in, RunOutcome& out_in, const RunSpec& spec_in,
           std::atomic<int>& received_in)
        : mu(mu_in), out(out_in), spec(spec_in), received(received_in) {}
    Result<bool> ReportCommit(const std::string& token) override {
      std::lock_guard<std::mutex> lock(mu);
      out.events.push_back("report_commit");
      out.reported_tokens.push_back(token);
      return spec.already_complete;
    }
    Status OnReceive(plugin::Frame*) override {
      std::lock_guard<std::mutex> lock(mu);
      out.events.push_back("next_batch");
      ++received;
      return Status::OK();
    }
    Json TokenPosition() const {
      if (spec.token_position) return *spec.token_position;
      if (spec.context.value("sync_mode", "") == "cdc") return {{"lsn", "0/1000"}, {"tx", nullptr}};
      return nullptr;
    }
    Result<std::string> CommitToken() override {
      std::lock_guard<std::mutex> lock(mu);
      out.events.push_back("commit_token");
      Json token = {{"state_id", "00000000-0000-4000-8000-000000000001"},
                    {"run_id", 7},
                    {"seq", ++seq},
                    {"stream", spec.context.value("stream_name", "")},
                    {"position", TokenPosition()},
                    {"final", false}};
      out.minted_tokens.push_back(token.dump());
      return token.dump();
    }
    Status Checkpoint(int kind, const Json& doc) override {
      std::lock_guard<std::mutex> lock(mu);
      out.events.push_back("checkpoint");
      EXPECT_EQ(kind, 1);
      out.checkpoints.push_back(Payload(doc));
      return Status::OK();
    }
    Status Metric(const Json& doc) override {
      std::lock_guard<std::mutex> lock(mu);
      out.metrics.push_back(Payload(doc));
      return Status::OK();
    }
    std::mutex& mu;
    RunOutcome& out;
    const RunSpec& spec;
    std::atomic<int>& received;
    int seq = 0;
  } engine(mu, out, spec, received);
  host.engine = &engine;

  auto instance = plugin::Instance::Create(DestModule(), std::move(host));
  EXPECT_TRUE(instance.ok()) << instance.status().ToString();
  if (!instance.ok()) return out;

  Json config = BaseConfig();
  config.update(spec.config);
  Json open_request = {{"config", {{"json", config}}},
                       {"connector_id", "rapidbyte/dest-postgres"},
                       {"connector_version", "0.1.0"},
                       {"pipeline", "dest_test"},
                       {"run_id", 7}};
  out.open = ParseEnvelope((*instance)->CallJson(plugin::Export::kOpen, open_request.dump()));

  std::thread producer([&] {
    int sent = 0;
    for (const Frame& frame : spec.frames) {
      if (spec.fail_after_frames >= 0 && sent >= spec.fail_after_frames) break;
      if (sent > 0 && spec.gap_ms > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(spec.gap_ms));
      }
      if (channel.Send(frame) != plugin::FrameChannel::SendResult::kOk) return;
      ++sent;
    }
    if (spec.fail_after_frames < 0) {
      channel.Finish();
      return;
    }
    // Fail only once the connector holds every frame we sent (nothing left in the queue).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (received.load() < spec.fail_after_frames &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (spec.cancel_instead_of_fail) {
      cancel->Cancel();
    } else {
      channel.FailProducer();
    }
  });
  out.write = ParseEnvelope((*instance)->CallJson(plugin::Export::kRunWrite, spec.context.dump()));
  channel.FailConsumer();  // unblock the producer if the connector stopped early
  producer.join();
  (*instance)->Close().status().IgnoreError();
  return out;
}

}  // namespace rapidbyte::dest_test
