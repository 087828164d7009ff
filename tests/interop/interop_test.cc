// Interoperability with Apache Arrow JS (npm apache-arrow, pinned in package-lock.json):
// streams written by JS are read by rapidbyte, and streams written by rapidbyte are read by
// JS, with identical schemas and values (compared as canonical JSON, arrow_json.mjs).
// Fails, never skips, when node or the package is missing: run scripts/setup.sh.
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include "arrow/ipc/reader.h"
#include "arrow/ipc/test_batches.h"
#include "arrow/ipc/writer.h"
#include "base/test_util.h"
#include "tests/interop/canonical_json.h"
#include "tests/interop/run_command.h"

namespace rapidbyte::arrow::interop {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class InteropTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* src = std::getenv("RB_SOURCE_DIR");
    ASSERT_NE(src, nullptr) << "RB_SOURCE_DIR is not set (run through ctest)";
    scripts_ = fs::path(src) / "tests" / "interop";
    ASSERT_TRUE(fs::exists(scripts_ / "node_modules" / "apache-arrow" / "package.json"))
        << "apache-arrow is not installed in " << scripts_ << ": run scripts/setup.sh";
    ASSERT_EQ(std::system("node --version > /dev/null 2>&1"), 0)
        << "node is not installed: run scripts/setup.sh";
    std::string tmpl = (fs::path(::testing::TempDir()) / "rb_interop_XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    if (const char* keep = std::getenv("RB_INTEROP_KEEP_DIR")) keep_ = keep;
  }
  void TearDown() override {
    if (!keep_.empty()) {
      fs::create_directories(keep_);
      for (const auto& e : fs::directory_iterator(dir_)) {
        fs::copy_file(e.path(), fs::path(keep_) / e.path().filename(),
                      fs::copy_options::overwrite_existing);
      }
    }
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }

  // Run node with `args`; return its stdout, fail the test on a non-zero exit.
  std::string Node(const std::string& script, const std::string& arg) {
    return testing::RunCommand("cd '" + scripts_.string() + "' && node " + script + " '" + arg + "'");
  }

  static std::vector<uint8_t> ReadFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
  }

  // Compare column by column so a failure names the case, batch and column.
  static void ExpectSame(const json& ours, const json& theirs, const std::string& name) {
    ASSERT_EQ(ours["schema"], theirs["schema"]) << name << ": schemas differ";
    ASSERT_EQ(ours["batches"].size(), theirs["batches"].size()) << name;
    for (std::size_t b = 0; b < ours["batches"].size(); ++b) {
      const json& x = ours["batches"][b];
      const json& y = theirs["batches"][b];
      ASSERT_EQ(x["rows"], y["rows"]) << name << " batch " << b;
      for (std::size_t c = 0; c < x["columns"].size(); ++c) {
        EXPECT_EQ(x["columns"][c], y["columns"][c])
            << name << " batch " << b << " column " << ours["schema"]["fields"][c]["name"];
      }
    }
  }

  fs::path scripts_;
  fs::path dir_;
  std::string keep_;
};

TEST_F(InteropTest, JsStreamsReadByRapidbyte) {
  Node("write_streams.mjs", dir_.string());
  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    const std::string name = entry.path().filename().string();
    SCOPED_TRACE(name);
    std::vector<uint8_t> bytes = ReadFile(entry.path());
    auto contents = ipc::ReadStream(bytes, ipc::ReadOptions{ipc::Validation::kFull});
    ASSERT_TRUE(contents.ok()) << contents.status().ToString();
    ASSERT_OK_AND_ASSIGN(ipc::StreamSummary summary, ipc::InspectStream(bytes));
    int64_t rows = 0;
    for (const RecordBatch& b : contents->batches) rows += b.num_rows();
    EXPECT_EQ(summary.num_rows, rows);
    const json ours = StreamToJson(*contents->schema, contents->batches);
    const json theirs = json::parse(Node("read_stream.mjs", entry.path().string()));
    ExpectSame(ours, theirs, name);
    ++files;
  }
  EXPECT_EQ(files, 6);
}

// Streams rapidbyte writes, with their canonical JSON as built (before any reading).
struct OurCase {
  std::string name;
  ByteBuffer bytes;
  json expected;
};

OurCase AllTypesCase(const std::string& name, std::vector<int64_t> rows, int64_t slice_start = -1,
                     int64_t slice_count = 0) {
  OurCase c{name, {}, {}};
  auto schema = ipc::testing::AllTypesSchema();
  auto rbb = RecordBatchBuilder::Make(schema).value();
  ipc::StreamWriter w(&c.bytes);
  EXPECT_OK(w.WriteSchema(schema));
  c.expected = {{"schema", SchemaToJson(*schema)}, {"batches", json::array()}};
  int seed = 0;
  for (int64_t n : rows) {
    rbb->Reset();
    ipc::testing::FillAllTypes(rbb.get(), n, seed++);
    RecordBatch batch = rbb->Finish().value();
    if (slice_start >= 0) batch = batch.Slice(slice_start, slice_count);
    EXPECT_OK(w.WriteRecordBatch(batch));
    c.expected["batches"].push_back(BatchToJson(batch));
  }
  EXPECT_OK(w.WriteEndOfStream());
  return c;
}

OurCase SpecialValuesCase() {
  auto schema = std::make_shared<const Schema>(std::vector<Field>{
      Field("text", DataType::Utf8()), Field("large_text", DataType::LargeUtf8()),
      Field("blob", DataType::LargeBinary()), Field("f64", DataType::Float64()),
      Field("f32", DataType::Float32()), Field("dec", DataType::Decimal128(38, 10)),
      Field("tags", DataType::List(DataType::Utf8())),
      Field("nums", DataType::List(Field("n", DataType::Int64(), false)))});
  auto rbb = RecordBatchBuilder::Make(schema).value();
  const std::vector<std::string> texts = {"",
                                          "Ünïcödé",
                                          "日本語テキスト",
                                          "🎉👩‍👩‍👧‍👦",
                                          std::string("nul\0byte", 8),
                                          "\U0010FFFF",
                                          std::string(1 << 20, 'x')};
  const double f64[] = {0.0,
                        -0.0,
                        std::numeric_limits<double>::quiet_NaN(),
                        std::numeric_limits<double>::infinity(),
                        -1e308,
                        5e-324,
                        1.0 / 3};
  for (std::size_t i = 0; i < texts.size(); ++i) {
    EXPECT_OK(rbb->column_as<StringBuilder>(0)->Append(texts[i]));
    EXPECT_OK(rbb->column_as<LargeStringBuilder>(1)->Append(texts[texts.size() - 1 - i]));
    EXPECT_OK(rbb->column_as<LargeBinaryBuilder>(2)->Append(std::string(i * 50000, char(i))));
    EXPECT_OK(rbb->column_as<Float64Builder>(3)->Append(f64[i]));
    EXPECT_OK(rbb->column_as<Float32Builder>(4)->Append(static_cast<float>(f64[i])));
    const Decimal128 max{0x098a223fffffffffull, 0x4b3b4ca85a86c47a};  // 10^38 - 1
    const Decimal128 min{~max.low + 1, ~max.high};                    // -(10^38 - 1)
    EXPECT_OK(
        rbb->column_as<Decimal128Builder>(5)->Append(i % 2 ? max : (i == 0 ? Decimal128{} : min)));
    auto* tags = rbb->column_as<ListBuilder>(6);
    EXPECT_OK(tags->Append());
    for (std::size_t j = 0; j <= i; ++j) {
      EXPECT_OK(tags->item_builder_as<StringBuilder>()->Append(texts[j].size() < 100 ? texts[j]
                                                                                     : "long"));
    }
    auto* nums = rbb->column_as<ListBuilder>(7);
    EXPECT_OK(nums->Append());
    for (int j = 0; j < 1000 * static_cast<int>(i); ++j) {
      EXPECT_OK(nums->item_builder_as<Int64Builder>()->Append(j == 0 ? INT64_MIN
                                                                     : (j == 1 ? INT64_MAX : j)));
    }
  }
  OurCase c{"special_values", {}, {}};
  RecordBatch batch = rbb->Finish().value();
  EXPECT_OK(ipc::WriteFrame(batch, &c.bytes));
  c.expected = StreamToJson(*schema, std::span<const RecordBatch>(&batch, 1));
  return c;
}

TEST_F(InteropTest, RapidbyteStreamsReadByJs) {
  std::vector<OurCase> cases;
  cases.push_back(AllTypesCase("ours_all_types", {12, 7}));
  cases.push_back(AllTypesCase("ours_empty_batches", {0, 5, 0}));
  cases.push_back(AllTypesCase("ours_zero_rows", {}));
  cases.push_back(AllTypesCase("ours_many_batches", {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
  cases.push_back(AllTypesCase("ours_sliced", {50, 50}, 13, 30));
  cases.push_back(SpecialValuesCase());
  for (const OurCase& c : cases) {
    SCOPED_TRACE(c.name);
    const fs::path path = dir_ / (c.name + ".arrows");
    {
      std::ofstream out(path, std::ios::binary);
      out.write(reinterpret_cast<const char*>(c.bytes.data()), c.bytes.size());
    }
    const json theirs = json::parse(Node("read_stream.mjs", path.string()));
    ExpectSame(c.expected, theirs, c.name);
    // And our own reader agrees with what was built.
    auto contents = ipc::ReadStream(c.bytes.span(), ipc::ReadOptions{ipc::Validation::kFull});
    ASSERT_TRUE(contents.ok()) << contents.status().ToString();
    ExpectSame(c.expected, StreamToJson(*contents->schema, contents->batches), c.name);
  }
}

}  // namespace
}  // namespace rapidbyte::arrow::interop
