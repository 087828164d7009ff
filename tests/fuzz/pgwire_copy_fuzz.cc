// libFuzzer target for the COPY binary decoder: arbitrary bytes, split into chunks whose size
// comes from the first input byte, decoded into builders for a schema that uses every value
// codec (arrays included); complete batches are re-encoded with the COPY binary encoder.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "arrow/record_batch_builder.h"
#include "pgwire/copy_decoder.h"
#include "pgwire/copy_encoder.h"
#include "pgwire/type_map.h"

namespace {

using namespace rapidbyte;          // NOLINT(build/namespaces)
using namespace rapidbyte::pgwire;  // NOLINT(build/namespaces)

std::vector<PgColumn> Columns() {
  struct Spec {
    std::uint32_t type;
    std::int32_t typmod;
    std::uint32_t elem;
  };
  const Spec specs[] = {{oid::kBool, -1, 0},      {oid::kInt2, -1, 0},
                        {oid::kInt4, -1, 0},      {oid::kInt8, -1, 0},
                        {oid::kFloat4, -1, 0},    {oid::kFloat8, -1, 0},
                        {oid::kNumeric, ((12 << 16) | 4) + 4, 0},
                        {oid::kNumeric, -1, 0},   {oid::kText, -1, 0},
                        {oid::kJsonb, -1, 0},     {oid::kBytea, -1, 0},
                        {oid::kDate, -1, 0},      {oid::kTime, -1, 0},
                        {oid::kTimestamptz, -1, 0}, {oid::kInterval, -1, 0},
                        {oid::kUuid, -1, 0},      {1007, -1, oid::kInt4},
                        {1231, ((10 << 16) | 2) + 4, oid::kNumeric}};
  std::vector<PgColumn> out;
  for (const Spec& s : specs) {
    PgColumn c;
    c.name = "c" + std::to_string(out.size());
    c.type_oid = c.base_oid = s.type;
    c.typmod = s.typmod;
    c.elem_oid = s.elem;
    c.typcategory = s.elem != 0 ? 'A' : 'U';
    c.not_null = out.size() == 3;
    out.push_back(std::move(c));
  }
  return out;
}

void Reencode(const RelationPlan& plan, const std::vector<PgColumn>& columns,
              arrow::RecordBatchBuilder* builder) {
  Result<arrow::RecordBatch> batch = builder->Finish();
  if (!batch.ok()) return;
  std::vector<TargetColumn> targets;
  for (const PgColumn& c : columns) targets.push_back({c.type_oid, c.elem_oid, {}});
  Result<CopyBinaryEncoder> encoder = CopyBinaryEncoder::Make(*plan.schema, targets);
  if (!encoder.ok()) return;
  arrow::ByteBuffer out;
  std::vector<RowError> rejected;
  encoder->EncodeBatch(*batch, &out, &rejected).IgnoreError();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static const std::vector<PgColumn> columns = Columns();
  static const RelationPlan plan = MapRelation("s", "t", columns, {}).ValueOr(RelationPlan{});
  Result<std::unique_ptr<arrow::RecordBatchBuilder>> builder =
      arrow::RecordBatchBuilder::Make(plan.schema);
  if (!builder.ok()) __builtin_trap();
  auto decoder = CopyBinaryDecoder::Make(plan.codecs, builder->get(),
                                         CopyDecoderOptions{1 << 16, 1 << 10});
  if (!decoder.ok()) __builtin_trap();
  const std::size_t chunk = std::size_t{data[0]} + 1;
  const std::uint8_t* p = data + 1;
  std::size_t left = size - 1;
  while (true) {
    Result<CopyEvent> event = (*decoder)->Peek();
    if (!event.ok()) break;
    if (*event == CopyEvent::kEnd) break;
    if (*event == CopyEvent::kDataError) (*decoder)->Skip();
    if (*event == CopyEvent::kRow) {
      // Exercise the batch limit arithmetic too.
      if ((*builder)->BufferBytes() + (*decoder)->row().arrow_bytes > (1 << 20)) break;
      if (!(*decoder)->Append().ok()) break;
    }
    if (*event == CopyEvent::kNeedMore) {
      if (left == 0) break;
      const std::size_t n = left < chunk ? left : chunk;
      if (!(*decoder)->Feed(rapidbyte::pgwire::Bytes(p, n)).ok()) break;
      p += n;
      left -= n;
    }
  }
  Reencode(plan, columns, builder->get());
  return 0;
}
