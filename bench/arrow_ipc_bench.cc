// Arrow builders and IPC: build + encode, and decode (structural / full validation), of a
// 64 MiB batch shaped like the `events` benchmark table (SPEC §10.6): int8 id, int4, int8,
// float8, numeric(12,4), text ~10 chars, varchar(16), bool, timestamptz, date, uuid,
// nullable text (NULL one row in ten).
#include <cstdlib>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "arrow/ipc/reader.h"
#include "arrow/ipc/writer.h"
#include "arrow/record_batch_builder.h"

namespace rapidbyte::arrow {
namespace {

constexpr int64_t kTargetBytes = int64_t{64} << 20;

std::shared_ptr<const Schema> EventsSchema() {
  return std::make_shared<const Schema>(std::vector<Field>{
      Field("id", DataType::Int64(), false).With(kPgTypeKey, "bigint"),
      Field("small", DataType::Int32(), false).With(kPgTypeKey, "integer"),
      Field("big", DataType::Int64(), false).With(kPgTypeKey, "bigint"),
      Field("ratio", DataType::Float64(), false).With(kPgTypeKey, "double precision"),
      Field("amount", DataType::Decimal128(12, 4), false).With(kPgTypeKey, "numeric(12,4)"),
      Field("name", DataType::Utf8(), false).With(kPgTypeKey, "text"),
      Field("code", DataType::Utf8(), false).With(kPgTypeKey, "character varying(16)"),
      Field("active", DataType::Bool(), false).With(kPgTypeKey, "boolean"),
      Field("created_at", DataType::Timestamp(TimeUnit::kMicro, "UTC"), false)
          .With(kPgTypeKey, "timestamp with time zone"),
      Field("birthday", DataType::Date32(), false).With(kPgTypeKey, "date"),
      Field("token", DataType::FixedSizeBinary(16), false)
          .WithExtension(kUuidExtension)
          .With(kPgTypeKey, "uuid"),
      Field("note", DataType::Utf8()).With(kPgTypeKey, "text")});
}

// Pre-generated source values, so the benchmark measures the builders, not value generation.
struct Source {
  std::vector<std::string> names;  // ~10 chars
  std::vector<std::string> codes;  // up to 16 chars
  std::vector<std::string> notes;
  std::vector<std::string> uuids;  // 16 bytes
  Source() {
    for (int i = 0; i < 1024; ++i) {
      names.push_back("name_" + std::to_string(10000 + i));
      codes.push_back("CODE-" + std::to_string(i * 7919 % 100000) + "-X");
      notes.push_back("note about row " + std::to_string(i));
      std::string u(16, '\0');
      for (int k = 0; k < 16; ++k) u[static_cast<std::size_t>(k)] = static_cast<char>(i * 31 + k);
      uuids.push_back(u);
    }
  }
};

// Append `rows` rows with the unchecked (reserved) fast path.
void Build(RecordBatchBuilder* b, const Source& src, int64_t rows) {
  if (!b->Reserve(rows).ok()) std::abort();
  auto* id = b->column_as<Int64Builder>(0);
  auto* small = b->column_as<Int32Builder>(1);
  auto* big = b->column_as<Int64Builder>(2);
  auto* ratio = b->column_as<Float64Builder>(3);
  auto* amount = b->column_as<Decimal128Builder>(4);
  auto* name = b->column_as<StringBuilder>(5);
  auto* code = b->column_as<StringBuilder>(6);
  auto* active = b->column_as<BooleanBuilder>(7);
  auto* created = b->column_as<Int64Builder>(8);
  auto* birthday = b->column_as<Int32Builder>(9);
  auto* token = b->column_as<FixedSizeBinaryBuilder>(10);
  auto* note = b->column_as<StringBuilder>(11);
  if (!name->ReserveData(rows * 10).ok() || !code->ReserveData(rows * 16).ok() ||
      !note->ReserveData(rows * 20).ok()) {
    std::abort();
  }
  for (int64_t r = 0; r < rows; ++r) {
    const std::size_t k = static_cast<std::size_t>(r & 1023);
    id->AppendUnchecked(r + 1);
    small->AppendUnchecked(static_cast<int32_t>(r * 7));
    big->AppendUnchecked(r * 1000003);
    ratio->AppendUnchecked(static_cast<double>(r) * 0.25);
    amount->AppendUnchecked(Decimal128::FromInt64(r * 12345));
    name->AppendUnchecked(src.names[k]);
    code->AppendUnchecked(src.codes[k]);
    active->AppendUnchecked((r & 1) != 0);
    created->AppendUnchecked(1700000000000000 + r * 1000);
    birthday->AppendUnchecked(static_cast<int32_t>(7000 + (r % 20000)));
    token->AppendUnchecked(src.uuids[k].data());
    if (r % 10 == 9) {
      note->AppendNullUnchecked();
    } else {
      note->AppendUnchecked(src.notes[k]);
    }
  }
}

// Rows that make the batch's Arrow buffers about 64 MiB.
int64_t RowsFor64MiB(const Source& src) {
  auto b = RecordBatchBuilder::Make(EventsSchema()).value();
  Build(b.get(), src, 10000);
  return kTargetBytes * 10000 / b->BufferBytes();
}

void BM_BuildAndEncode(benchmark::State& state) {
  Source src;
  const int64_t rows = RowsFor64MiB(src);
  auto b = RecordBatchBuilder::Make(EventsSchema()).value();
  ByteBuffer frame;
  for (auto _ : state) {
    b->Reset();
    Build(b.get(), src, rows);
    RecordBatch batch = b->Finish().value();
    frame.Clear();
    if (!ipc::WriteFrame(batch, &frame).ok()) std::abort();
    benchmark::DoNotOptimize(frame.data());
  }
  state.SetBytesProcessed(state.iterations() * frame.size());
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["frame_MiB"] = static_cast<double>(frame.size()) / (1 << 20);
}

void BM_Build(benchmark::State& state) {
  Source src;
  const int64_t rows = RowsFor64MiB(src);
  auto b = RecordBatchBuilder::Make(EventsSchema()).value();
  for (auto _ : state) {
    b->Reset();
    Build(b.get(), src, rows);
    benchmark::DoNotOptimize(b->Finish().value().num_rows());
  }
  state.SetBytesProcessed(state.iterations() * b->BufferBytes());
}

ByteBuffer MakeFrame() {
  Source src;
  auto b = RecordBatchBuilder::Make(EventsSchema()).value();
  Build(b.get(), src, RowsFor64MiB(src));
  ByteBuffer frame;
  if (!ipc::WriteFrame(b->Finish().value(), &frame).ok()) std::abort();
  return frame;
}

void BM_Encode(benchmark::State& state) {
  Source src;
  auto b = RecordBatchBuilder::Make(EventsSchema()).value();
  Build(b.get(), src, RowsFor64MiB(src));
  RecordBatch batch = b->Finish().value();
  ByteBuffer frame;
  for (auto _ : state) {
    frame.Clear();
    if (!ipc::WriteFrame(batch, &frame).ok()) std::abort();
    benchmark::DoNotOptimize(frame.data());
  }
  state.SetBytesProcessed(state.iterations() * frame.size());
}

void Decode(benchmark::State& state, ipc::Validation validation) {
  const ByteBuffer frame = MakeFrame();
  for (auto _ : state) {
    auto contents = ipc::ReadStream(frame.span(), ipc::ReadOptions{validation});
    if (!contents.ok()) std::abort();
    benchmark::DoNotOptimize(contents->batches[0].num_rows());
  }
  state.SetBytesProcessed(state.iterations() * frame.size());
}

void BM_DecodeStructural(benchmark::State& state) { Decode(state, ipc::Validation::kStructural); }
void BM_DecodeFull(benchmark::State& state) { Decode(state, ipc::Validation::kFull); }

void BM_InspectStream(benchmark::State& state) {
  const ByteBuffer frame = MakeFrame();
  for (auto _ : state) {
    auto summary = ipc::InspectStream(frame.span());
    if (!summary.ok()) std::abort();
    benchmark::DoNotOptimize(summary->num_rows);
  }
  state.SetBytesProcessed(state.iterations() * frame.size());
}

BENCHMARK(BM_BuildAndEncode)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Build)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Encode)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecodeStructural)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecodeFull)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_InspectStream)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace rapidbyte::arrow

BENCHMARK_MAIN();
