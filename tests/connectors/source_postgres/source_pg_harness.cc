// SourcePgTest implementation.
#include "tests/connectors/source_postgres/source_pg_harness.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "arrow/ipc/reader.h"
#include "pgwire/numeric.h"
#include "plugin/instance.h"
#include "plugin/module.h"

namespace rapidbyte::testing {
namespace {

std::shared_ptr<plugin::Module> SourceModule() {
  static std::shared_ptr<plugin::Module> module = [] {
    auto m = plugin::Module::Load(
        std::string(std::getenv("RB_BINARY_DIR")) + "/connectors/source-postgres.so",
        "source-postgres");
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    return m.ok() ? *m : nullptr;
  }();
  return module;
}

nlohmann::json Parse(const Result<std::string>& response) {
  EXPECT_TRUE(response.ok()) << response.status().ToString();
  if (!response.ok()) return nullptr;
  return nlohmann::json::parse(*response);
}

plugin::HostContext MakeHost(const std::string& stream) {
  plugin::HostContext host;
  host.connector_id = "rapidbyte/source-postgres";
  host.connector_version = "0.1.0";
  host.stage = "source";
  host.stream = stream;
  host.role = plugin::HostContext::Role::kSource;
  host.allowed_hosts = {"127.0.0.1"};
  return host;
}

nlohmann::json OpenContext(const nlohmann::json& config) {
  return {{"config", {{"json", config}}},
          {"connector_id", "rapidbyte/source-postgres"},
          {"connector_version", "0.1.0"},
          {"pipeline", "test"},
          {"run_id", 1}};
}

std::string Hex(std::string_view bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::string FloatText(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0 && std::signbit(v)) return "-0";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace

std::int64_t ReadRun::Counter(const std::string& name) const {
  std::int64_t value = -1;
  for (const auto& m : metrics) {
    if (m["name"] == name) value = m["value"]["counter"].get<std::int64_t>();
  }
  return value;
}

std::size_t Table::Column(const std::string& name) const {
  const int i = schema->GetFieldIndex(name);
  EXPECT_GE(i, 0) << "no column " << name;
  return static_cast<std::size_t>(i < 0 ? 0 : i);
}

std::optional<std::string> CellText(const arrow::ArrayView& a, std::int64_t row) {
  if (a.IsNull(row)) return std::nullopt;
  using arrow::TypeId;
  const arrow::DataType& type = *a.type;
  switch (type.id()) {
    case TypeId::kInt16:
      return std::to_string(arrow::FixedWidthArray<std::int16_t>(a).Value(row));
    case TypeId::kInt32:
    case TypeId::kDate32:
      return std::to_string(arrow::FixedWidthArray<std::int32_t>(a).Value(row));
    case TypeId::kInt64:
    case TypeId::kTime64:
    case TypeId::kTimestamp:
      return std::to_string(arrow::FixedWidthArray<std::int64_t>(a).Value(row));
    case TypeId::kFloat32:
      return FloatText(arrow::FixedWidthArray<float>(a).Value(row));
    case TypeId::kFloat64:
      return FloatText(arrow::FixedWidthArray<double>(a).Value(row));
    case TypeId::kBool:
      return arrow::BooleanArray(a).Value(row) ? "t" : "f";
    case TypeId::kDecimal128: {
      char buf[64];
      const auto v = arrow::FixedWidthArray<arrow::Decimal128>(a).Value(row);
      return std::string(buf, static_cast<std::size_t>(pgwire::Decimal128ToText(v, type.scale(), buf)));
    }
    case TypeId::kUtf8:
      return std::string(arrow::VarBinaryArray<std::int32_t>(a).GetView(row));
    case TypeId::kBinary:
      return "\\x" + Hex(arrow::VarBinaryArray<std::int32_t>(a).GetView(row));
    case TypeId::kFixedSizeBinary:
      return Hex(arrow::FixedSizeBinaryArray(a).GetView(row));
    case TypeId::kIntervalMonthDayNano: {
      const auto v = arrow::FixedWidthArray<arrow::MonthDayNano>(a).Value(row);
      return std::to_string(v.months) + "m" + std::to_string(v.days) + "d" +
             std::to_string(v.nanoseconds) + "ns";
    }
    case TypeId::kList: {
      const arrow::ListArray list(a);
      std::string out = "{";
      for (std::int64_t i = list.value_offset(row); i < list.value_offset(row + 1); ++i) {
        if (i > list.value_offset(row)) out += ",";
        out += CellText(list.values(), i).value_or("NULL");
      }
      return out + "}";
    }
    default:
      return "<unsupported " + type.ToString() + ">";
  }
}

void SourcePgTest::SetUp() {
  PgClusterTest::SetUp();
  if (HasFatalFailure()) return;
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  db_ = "src_" + std::string(info->name());
  for (char& c : db_) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  ASSERT_TRUE(cluster()->Exec("postgres", "DROP DATABASE IF EXISTS " + db_).ok());
  Status created = cluster()->CreateDatabase(db_);
  ASSERT_TRUE(created.ok()) << created.ToString();
}

void SourcePgTest::Sql(const std::string& sql) {
  Status st = cluster()->Exec(db_, sql);
  ASSERT_TRUE(st.ok()) << st.ToString() << "\n" << sql;
}

std::vector<std::vector<std::optional<std::string>>> SourcePgTest::Query(const std::string& sql) {
  auto rows = cluster()->Query(db_, sql);
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  return rows.ok() ? *rows : std::vector<std::vector<std::optional<std::string>>>{};
}

nlohmann::json SourcePgTest::Config() const {
  return {{"host", "127.0.0.1"}, {"port", cluster()->port()}, {"user", "postgres"},
          {"password", ""},      {"database", db_},           {"schema", "public"},
          {"sslmode", "disable"}, {"connect_timeout", 10},    {"max_batch_rows", 100000}};
}

nlohmann::json SourcePgTest::Stream(const std::string& stream) const {
  return {{"pipeline", "test"},
          {"run_id", 1},
          {"attempt", 1},
          {"stream_name", stream},
          {"schema", {{"columns", nlohmann::json::array()}}},
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
          {"policies", {{"on_data_error", "fail"}}},
          {"write_mode", "append"},
          {"selected_columns", nullptr},
          {"primary_key", nlohmann::json::array()}};
}

ReadRun SourcePgTest::Read(const nlohmann::json& config, const nlohmann::json& context) {
  ReadRun run;
  auto cancel = std::make_shared<plugin::CancellationToken>();
  plugin::FrameChannel channel(4, cancel);
  plugin::HostContext host = MakeHost(context["stream_name"].get<std::string>());
  host.output = &channel;
  host.cancel = cancel;
  // The engine as the source sees it: keeps checkpoints and metrics for the test.
  struct Engine : plugin::EngineLink {
    explicit Engine(ReadRun& run_in) : run(run_in) {}
    Status Checkpoint(int kind, const nlohmann::json& doc) override {
      run.checkpoint_kinds.push_back(kind);
      run.checkpoints.push_back(doc.contains("payload") ? doc["payload"] : nlohmann::json());
      return Status::OK();
    }
    Status Metric(const nlohmann::json& doc) override {
      run.metrics.push_back(doc.contains("payload") ? doc["payload"] : nlohmann::json());
      return Status::OK();
    }
    ReadRun& run;
  } engine(run);
  host.engine = &engine;
  std::thread drain([&] {
    plugin::Frame frame;
    while (channel.Receive(&frame) == plugin::FrameChannel::ReceiveResult::kFrame) {
      run.frames.push_back(frame);
      if (run.frames.size() == 1 && on_first_frame_) on_first_frame_(&channel);
    }
  });
  auto instance = plugin::Instance::Create(SourceModule(), std::move(host));
  EXPECT_TRUE(instance.ok()) << instance.status().ToString();
  if (instance.ok()) {
    auto open = Parse((*instance)->CallJson(plugin::Export::kOpen, OpenContext(config).dump()));
    EXPECT_EQ(open["status"], "ok") << open.dump();
    run.response = Parse((*instance)->CallJson(plugin::Export::kRunRead, context.dump()));
    (*instance)->Close().status().IgnoreError();
  }
  channel.Finish();
  drain.join();
  return run;
}

nlohmann::json SourcePgTest::Discover(const nlohmann::json& config) {
  auto instance = plugin::Instance::Create(SourceModule(), MakeHost(""));
  EXPECT_TRUE(instance.ok()) << instance.status().ToString();
  if (!instance.ok()) return nullptr;
  return Parse((*instance)->CallJson(plugin::Export::kDiscover, OpenContext(config).dump()));
}

nlohmann::json SourcePgTest::Validate(const nlohmann::json& config, const nlohmann::json& streams) {
  auto instance = plugin::Instance::Create(SourceModule(), MakeHost(""));
  EXPECT_TRUE(instance.ok()) << instance.status().ToString();
  if (!instance.ok()) return nullptr;
  nlohmann::json request = OpenContext(config);
  request["streams"] = streams;
  return Parse((*instance)->CallJson(plugin::Export::kValidate, request.dump()));
}

Table SourcePgTest::Decode(const ReadRun& run) {
  Table table;
  for (const auto& frame : run.frames) {
    auto contents = arrow::ipc::ReadStream(frame, {arrow::ipc::Validation::kFull});
    EXPECT_TRUE(contents.ok()) << contents.status().ToString();
    if (!contents.ok()) return table;
    if (table.schema == nullptr) table.schema = contents->schema;
    EXPECT_TRUE(*table.schema == *contents->schema) << "frames have different schemas";
    EXPECT_EQ(contents->batches.size(), 1u) << "a frame holds exactly one batch";
    for (const arrow::RecordBatch& batch : contents->batches) {
      table.rows_per_frame.push_back(batch.num_rows());
      for (std::int64_t r = 0; r < batch.num_rows(); ++r) {
        std::vector<std::optional<std::string>> row;
        for (int c = 0; c < batch.num_columns(); ++c) row.push_back(CellText(batch.column(c), r));
        table.rows.push_back(std::move(row));
      }
    }
  }
  return table;
}

}  // namespace rapidbyte::testing
