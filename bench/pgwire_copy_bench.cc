// PostgreSQL COPY binary codecs on the 1M-row, 12-column benchmark table (SPEC §10.6):
// decode COPY bytes into Arrow builders (one CopyData per row, as the server sends them, and
// 64 KiB chunks), and encode Arrow record batches into COPY bytes. Rows/s are reported as
// items_per_second.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "arrow/record_batch_builder.h"
#include "pgwire/copy_decoder.h"
#include "pgwire/copy_encoder.h"
#include "pgwire/type_map.h"

namespace {

using namespace rapidbyte;          // NOLINT(build/namespaces)
using namespace rapidbyte::pgwire;  // NOLINT(build/namespaces)

constexpr std::int64_t kRows = 1'000'000;

void Check(const Status& st) {
  if (!st.ok()) {
    std::fprintf(stderr, "%s\n", st.ToString().c_str());
    std::abort();
  }
}
template <typename T>
T Take(Result<T> r) {
  Check(r.status());
  return r.MoveValueUnsafe();
}

template <typename T>
T* NotNull(T* p) {
  if (p == nullptr) std::abort();
  return p;
}

std::vector<PgColumn> Columns() {
  const std::pair<const char*, std::uint32_t> specs[] = {
      {"id", oid::kInt8},     {"qty", oid::kInt4},   {"big", oid::kInt8},
      {"price", oid::kFloat8}, {"amount", oid::kNumeric}, {"name", oid::kText},
      {"code", oid::kVarchar}, {"flag", oid::kBool},  {"created", oid::kTimestamptz},
      {"day", oid::kDate},    {"uid", oid::kUuid},   {"note", oid::kText}};
  std::vector<PgColumn> out;
  for (const auto& [name, type] : specs) {
    PgColumn c;
    c.name = name;
    c.type_oid = c.base_oid = type;
    c.typmod = type == oid::kNumeric ? ((12 << 16) | 4) + 4 : -1;
    c.not_null = out.empty();
    out.push_back(c);
  }
  return out;
}

struct Fixture {
  std::vector<PgColumn> columns = Columns();
  RelationPlan plan = Take(MapRelation("public", "bench", columns, {"id"}));
  std::unique_ptr<arrow::RecordBatchBuilder> source = Take(arrow::RecordBatchBuilder::Make(plan.schema));
  arrow::RecordBatch batch;
  std::string stream;                 // the whole COPY stream
  std::vector<std::size_t> row_ends;  // CopyData boundaries: header, each row, trailer

  Fixture() {
    auto* b = source.get();
    Check(b->Reserve(kRows));
    auto* c0 = NotNull(b->column_as<arrow::Int64Builder>(0));
    auto* c1 = NotNull(b->column_as<arrow::Int32Builder>(1));
    auto* c2 = NotNull(b->column_as<arrow::Int64Builder>(2));
    auto* c3 = NotNull(b->column_as<arrow::Float64Builder>(3));
    auto* c4 = NotNull(b->column_as<arrow::Decimal128Builder>(4));
    auto* c5 = NotNull(b->column_as<arrow::StringBuilder>(5));
    auto* c6 = NotNull(b->column_as<arrow::StringBuilder>(6));
    auto* c7 = NotNull(b->column_as<arrow::BooleanBuilder>(7));
    auto* c8 = NotNull(b->column_as<arrow::Int64Builder>(8));
    auto* c9 = NotNull(b->column_as<arrow::Int32Builder>(9));
    auto* c10 = NotNull(b->column_as<arrow::FixedSizeBinaryBuilder>(10));
    auto* c11 = NotNull(b->column_as<arrow::StringBuilder>(11));
    char text[32];
    for (std::int64_t i = 0; i < kRows; ++i) {
      Check(c0->Append(i));
      Check(c1->Append(static_cast<std::int32_t>(i % 1000)));
      Check(c2->Append(i * 7919));
      Check(c3->Append(static_cast<double>(i) * 0.25));
      Check(c4->Append(
          arrow::Decimal128::FromInt64(i * 10007 % 1000000000)));
      const int n = std::snprintf(text, sizeof(text), "name%06lld", static_cast<long long>(i % 1000000));
      Check(c5->Append(text, n));
      Check(c6->Append(text, 8));
      Check(c7->Append(i % 3 == 0));
      Check(c8->Append(1700000000000000 + i * 1000));
      Check(c9->Append(19000 + static_cast<std::int32_t>(i % 3000)));
      std::uint8_t uuid[16] = {};
      for (int k = 0; k < 8; ++k) uuid[k] = static_cast<std::uint8_t>(i >> (8 * k));
      Check(c10->Reserve(1));
      c10->AppendUnchecked(uuid);
      if (i % 10 == 0) {
        Check(c11->AppendNull());
      } else {
        Check(c11->Append(text, n));
      }
    }
    batch = Take(b->Finish());
    std::vector<TargetColumn> targets;
    for (const PgColumn& c : columns) targets.push_back({c.type_oid, 0, {}});
    CopyBinaryEncoder encoder = Take(CopyBinaryEncoder::Make(*plan.schema, targets));
    arrow::ByteBuffer out;
    Check(CopyBinaryEncoder::AppendHeader(&out));
    row_ends.push_back(static_cast<std::size_t>(out.size()));
    for (std::int64_t r = 0; r < kRows; ++r) {
      Check(encoder.EncodeRow(batch, r, &out));
      row_ends.push_back(static_cast<std::size_t>(out.size()));
    }
    Check(CopyBinaryEncoder::AppendTrailer(&out));
    row_ends.push_back(static_cast<std::size_t>(out.size()));
    stream.assign(reinterpret_cast<const char*>(out.data()), static_cast<std::size_t>(out.size()));
  }
};

Fixture& Shared() {
  static Fixture* f = new Fixture();
  return *f;
}

// Decode the whole stream; chunk == 0 feeds one CopyData per row.
void Decode(benchmark::State& state, std::size_t chunk) {
  Fixture& f = Shared();
  auto builder = Take(arrow::RecordBatchBuilder::Make(f.plan.schema));
  const auto* data = reinterpret_cast<const std::uint8_t*>(f.stream.data());
  for (auto _ : state) {
    auto decoder = Take(CopyBinaryDecoder::Make(f.plan.codecs, builder.get()));
    std::size_t pos = 0, next_row = 0;
    std::int64_t rows = 0;
    while (true) {
      const FillStop stop = Take(FillBatch(decoder.get(), builder.get(), 1 << 20, 64 << 20));
      if (stop == FillStop::kEnd) break;
      if (stop == FillStop::kBatchFull) {
        rows += builder->num_rows();
        benchmark::DoNotOptimize(Take(builder->Finish()));
        builder->Reset();
        continue;
      }
      if (stop != FillStop::kNeedMore) std::abort();
      const std::size_t end = chunk == 0 ? f.row_ends[next_row++]
                                         : std::min(f.stream.size(), pos + chunk);
      Check(decoder->Feed(rapidbyte::pgwire::Bytes(data + pos, end - pos)));
      pos = end;
    }
    rows += builder->num_rows();
    builder->Reset();
    if (rows != kRows) std::abort();
  }
  state.SetItemsProcessed(state.iterations() * kRows);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(f.stream.size()));
}

void BM_CopyDecodePerRowMessages(benchmark::State& state) { Decode(state, 0); }
void BM_CopyDecode64KiBChunks(benchmark::State& state) { Decode(state, 64 << 10); }

void BM_CopyEncode(benchmark::State& state) {
  Fixture& f = Shared();
  std::vector<TargetColumn> targets;
  for (const PgColumn& c : f.columns) targets.push_back({c.type_oid, 0, {}});
  CopyBinaryEncoder encoder = Take(CopyBinaryEncoder::Make(*f.plan.schema, targets));
  arrow::ByteBuffer out;
  for (auto _ : state) {
    out.Clear();
    Check(CopyBinaryEncoder::AppendHeader(&out));
    Check(encoder.EncodeBatch(f.batch, &out));
    Check(CopyBinaryEncoder::AppendTrailer(&out));
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * kRows);
  state.SetBytesProcessed(state.iterations() * out.size());
}

BENCHMARK(BM_CopyDecodePerRowMessages)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CopyDecode64KiBChunks)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CopyEncode)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
