// Deterministic all-types batches and canonical value printing for the IPC tests.
#include "arrow/ipc/test_batches.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "arrow/ipc/writer.h"

namespace rapidbyte::arrow::ipc::testing {

std::shared_ptr<const Schema> AllTypesSchema() {
  std::vector<Field> f = {
      Field("null", DataType::Null()),
      Field("bool", DataType::Bool()),
      Field("i8", DataType::Int8()),
      Field("i16", DataType::Int16()).With(kPgTypeKey, "smallint"),
      Field("i32", DataType::Int32(), false).With(kPgTypeKey, "integer"),
      Field("i64", DataType::Int64()),
      Field("u8", DataType::UInt8()),
      Field("u16", DataType::UInt16()),
      Field("u32", DataType::UInt32()),
      Field("u64", DataType::UInt64()),
      Field("f32", DataType::Float32()),
      Field("f64", DataType::Float64()),
      Field("dec", DataType::Decimal128(12, 4)).With(kPgTypeKey, "numeric(12,4)"),
      Field("utf8", DataType::Utf8()),
      Field("large_utf8", DataType::LargeUtf8()),
      Field("binary", DataType::Binary()),
      Field("large_binary", DataType::LargeBinary()),
      Field("uuid", DataType::FixedSizeBinary(16)).WithExtension(kUuidExtension),
      Field("json", DataType::Utf8()).WithExtension(kJsonExtension).With(kPgTypeKey, "jsonb"),
      Field("date", DataType::Date32()),
      Field("time_us", DataType::Time64(TimeUnit::kMicro)),
      Field("time_ns", DataType::Time64(TimeUnit::kNano)),
      Field("ts_us", DataType::Timestamp(TimeUnit::kMicro)),
      Field("ts_us_utc", DataType::Timestamp(TimeUnit::kMicro, "UTC")),
      Field("ts_ns_utc", DataType::Timestamp(TimeUnit::kNano, "UTC")),
      Field("interval", DataType::IntervalMonthDayNano()),
      Field("list_i32", DataType::List(DataType::Int32())).With(kPgTypeKey, "integer[]"),
      Field("list_utf8", DataType::List(DataType::Utf8())),
  };
  KeyValueMetadata md;
  md.Append(std::string(kPgRelationKey), "public.all_types");
  md.Append(std::string(kPgPrimaryKeyKey), "[\"i32\"]");
  return std::make_shared<const Schema>(std::move(f), std::move(md));
}

namespace {

const char* const kWords[] = {"", "a", "héllo", "日本語", "emoji 🎉", "quote'\"\\", "x"};

template <typename B>
B* Col(RecordBatchBuilder* b, int i) {
  B* c = b->column_as<B>(i);
  if (c == nullptr) std::abort();
  return c;
}

}  // namespace

void FillAllTypes(RecordBatchBuilder* b, int64_t rows, int seed) {
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t k = r + seed * 1000;
    const bool null = (r % 3) == 1;
    const std::string word = std::string(kWords[(k % 7 + 7) % 7]) + std::to_string(k);
    int c = 0;
    auto val = [&](auto* col, auto v) {
      if (null) {
        col->AppendNull().IgnoreError();
      } else {
        col->Append(v).IgnoreError();
      }
    };
    Col<NullBuilder>(b, c++)->AppendNull().IgnoreError();
    val(Col<BooleanBuilder>(b, c++), k % 2 == 0);
    val(Col<Int8Builder>(b, c++), static_cast<int8_t>(r == 0 ? INT8_MIN : k));
    val(Col<Int16Builder>(b, c++), static_cast<int16_t>(r == 0 ? INT16_MAX : k * 7));
    Col<Int32Builder>(b, c++)->Append(static_cast<int32_t>(r == 0 ? INT32_MIN : k)).IgnoreError();
    val(Col<Int64Builder>(b, c++), r == 0 ? INT64_MAX : k * 1000003);
    val(Col<UInt8Builder>(b, c++), static_cast<uint8_t>(r == 0 ? 255 : k));
    val(Col<UInt16Builder>(b, c++), static_cast<uint16_t>(r == 0 ? 65535 : k));
    val(Col<UInt32Builder>(b, c++), static_cast<uint32_t>(r == 0 ? UINT32_MAX : k));
    val(Col<UInt64Builder>(b, c++), r == 0 ? UINT64_MAX : static_cast<uint64_t>(k));
    val(Col<Float32Builder>(b, c++), static_cast<float>(k) / 4.0f);
    val(Col<Float64Builder>(b, c++), r == 0 ? -0.0 : static_cast<double>(k) / 3.0);
    val(Col<Decimal128Builder>(b, c++), Decimal128::FromInt64(r == 0 ? -99999999 : k * 10001));
    val(Col<StringBuilder>(b, c++), std::string_view(word));
    val(Col<LargeStringBuilder>(b, c++), std::string_view(word));
    val(Col<BinaryBuilder>(b, c++), std::string_view("\x00\xff", 2));
    val(Col<LargeBinaryBuilder>(b, c++), std::string_view(word));
    std::string uuid(16, '\0');
    for (int i = 0; i < 16; ++i) uuid[static_cast<std::size_t>(i)] = static_cast<char>(k + i);
    val(Col<FixedSizeBinaryBuilder>(b, c++), std::string_view(uuid));
    val(Col<StringBuilder>(b, c++), std::string_view("{\"k\": " + std::to_string(k) + "}"));
    val(Col<Int32Builder>(b, c++), static_cast<int32_t>(r == 0 ? INT32_MAX : k));
    val(Col<Int64Builder>(b, c++), k * 1000000);
    val(Col<Int64Builder>(b, c++), k * 1000000001);
    val(Col<Int64Builder>(b, c++), r == 0 ? INT64_MIN : k * 1000);
    val(Col<Int64Builder>(b, c++), k * 1000 + 1);
    val(Col<Int64Builder>(b, c++), k * 1000000 + 7);
    val(Col<IntervalBuilder>(b, c++), MonthDayNano{static_cast<int32_t>(k), -1, k * 1000});
    auto* list = Col<ListBuilder>(b, c++);
    if (null) {
      list->AppendNull().IgnoreError();
    } else {
      list->Append().IgnoreError();
      auto* items = list->item_builder_as<Int32Builder>();
      for (int64_t i = 0; i < k % 4; ++i) {
        if (i == 1) {
          items->AppendNull().IgnoreError();
        } else {
          items->Append(static_cast<int32_t>(i + k)).IgnoreError();
        }
      }
    }
    auto* slist = Col<ListBuilder>(b, c++);
    if (null) {
      slist->AppendNull().IgnoreError();
    } else {
      slist->Append().IgnoreError();
      auto* items = slist->item_builder_as<StringBuilder>();
      for (int64_t i = 0; i < k % 3; ++i) items->Append(std::string_view(word)).IgnoreError();
    }
  }
}

namespace {

std::string Hex(std::string_view bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned char ch : bytes) {
    out += kDigits[ch >> 4];
    out += kDigits[ch & 15];
  }
  return out;
}

}  // namespace

std::string ValueToString(const ArrayView& a, int64_t i) {
  if (a.IsNull(i)) return "null";
  switch (a.type->id()) {
    case TypeId::kNull:
      return "null";
    case TypeId::kBool:
      return BooleanArray(a).Value(i) ? "true" : "false";
    case TypeId::kInt8:
      return std::to_string(Int8Array(a).Value(i));
    case TypeId::kInt16:
      return std::to_string(Int16Array(a).Value(i));
    case TypeId::kInt32:
    case TypeId::kDate32:
      return std::to_string(Int32Array(a).Value(i));
    case TypeId::kInt64:
    case TypeId::kTime64:
    case TypeId::kTimestamp:
      return std::to_string(Int64Array(a).Value(i));
    case TypeId::kUInt8:
      return std::to_string(UInt8Array(a).Value(i));
    case TypeId::kUInt16:
      return std::to_string(UInt16Array(a).Value(i));
    case TypeId::kUInt32:
      return std::to_string(UInt32Array(a).Value(i));
    case TypeId::kUInt64:
      return std::to_string(UInt64Array(a).Value(i));
    case TypeId::kFloat32: {
      float f = Float32Array(a).Value(i);
      return Hex(std::string_view(reinterpret_cast<const char*>(&f), 4));
    }
    case TypeId::kFloat64: {
      double d = Float64Array(a).Value(i);
      return Hex(std::string_view(reinterpret_cast<const char*>(&d), 8));
    }
    case TypeId::kDecimal128: {
      Decimal128 d = Decimal128Array(a).Value(i);
      return std::to_string(d.high) + ":" + std::to_string(d.low);
    }
    case TypeId::kIntervalMonthDayNano: {
      MonthDayNano m = IntervalArray(a).Value(i);
      return std::to_string(m.months) + "m" + std::to_string(m.days) + "d" +
             std::to_string(m.nanoseconds) + "ns";
    }
    case TypeId::kUtf8:
      return "'" + std::string(StringArray(a).GetView(i)) + "'";
    case TypeId::kLargeUtf8:
      return "'" + std::string(LargeStringArray(a).GetView(i)) + "'";
    case TypeId::kBinary:
      return Hex(BinaryArray(a).GetView(i));
    case TypeId::kLargeBinary:
      return Hex(LargeBinaryArray(a).GetView(i));
    case TypeId::kFixedSizeBinary:
      return Hex(FixedSizeBinaryArray(a).GetView(i));
    case TypeId::kList: {
      ListArray l(a);
      std::string out = "[";
      for (int64_t j = l.value_offset(i); j < l.value_offset(i + 1); ++j) {
        if (j != l.value_offset(i)) out += ", ";
        out += ValueToString(l.values(), j);
      }
      return out + "]";
    }
  }
  return "?";
}

std::vector<std::string> BatchCells(const RecordBatch& batch) {
  std::vector<std::string> cells;
  for (int64_t r = 0; r < batch.num_rows(); ++r) {
    for (int c = 0; c < batch.num_columns(); ++c) {
      cells.push_back(batch.schema().field(c).name() + "=" + ValueToString(batch.column(c), r));
    }
  }
  return cells;
}

ByteBuffer AllTypesStream(std::span<const int64_t> batch_rows) {
  auto schema = AllTypesSchema();
  auto rbb = RecordBatchBuilder::Make(schema).value();
  ByteBuffer out;
  StreamWriter writer(&out);
  if (!writer.WriteSchema(schema).ok()) std::abort();
  int seed = 0;
  for (int64_t rows : batch_rows) {
    rbb->Reset();
    FillAllTypes(rbb.get(), rows, seed++);
    auto batch = rbb->Finish();
    if (!batch.ok() || !writer.WriteRecordBatch(*batch).ok()) std::abort();
  }
  if (!writer.WriteEndOfStream().ok()) std::abort();
  return out;
}

}  // namespace rapidbyte::arrow::ipc::testing
