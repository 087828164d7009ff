// Arrow arrays -> levels and values (Dremel shredding for one optional level and the 3-level
// LIST). Definition levels count the defined ancestors: for a nullable list of nullable
// items, 0 = null list, 1 = empty list, 2 = null item, 3 = item.
//
// Flat columns take typed paths: the value accessor is chosen once per array, not per value;
// numeric statistics are kept as native min/max over the run and merged once; and a PLAIN
// column of fixed-width values without nulls is appended a page's worth at a time.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>

#include "parquet/column_writer.h"
#include "parquet/values.h"

namespace rapidbyte::parquet {
namespace {

using arrow::TypeId;

// Native min/max of one run of values (NaN left out, as StatsCollector does), merged into
// the collector as raw bytes at the end.
template <typename T>
class RunBounds {
 public:
  void Add(T v) {
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(v)) return;
    }
    if (!any_) {
      min_ = max_ = v;
      any_ = true;
    } else {
      min_ = v < min_ ? v : min_;
      max_ = max_ < v ? v : max_;
    }
  }
  void MergeInto(StatsCollector* stats) const {
    if (!any_) return;
    stats->Update({reinterpret_cast<const char*>(&min_), sizeof(T)});
    stats->Update({reinterpret_cast<const char*>(&max_), sizeof(T)});
  }

 private:
  bool any_ = false;
  T min_{};
  T max_{};
};

// Byte-wise bounds of one run of values that stay valid through the run (views into the
// Arrow array), merged into the collector at the end: one comparison a value, no copies.
class RunBytesBounds {
 public:
  void Add(std::string_view v) {
    if (!any_) {
      min_ = max_ = v;
      any_ = true;
    } else if (v < min_) {
      min_ = v;
    } else if (max_ < v) {
      max_ = v;
    }
  }
  void MergeInto(StatsCollector* stats) const {
    if (!any_) return;
    stats->Update(min_);
    stats->Update(max_);
  }

 private:
  bool any_ = false;
  std::string_view min_, max_;
};

// Value i of a fixed-width array as its physical type T: T's bytes at the start of each
// `stride`-byte slot (integers, floats, dates, times, timestamps; decimals stored as INT32 or
// INT64 are the low bytes of their 16-byte slot).
template <typename T>
struct NativeValues {
  using Native = T;
  static constexpr bool kStable = true;
  const char* base;
  int64_t stride;
  T Get(int64_t i) const {
    T v;
    std::memcpy(&v, base + i * stride, sizeof(T));
    return v;
  }
  std::string_view operator()(int64_t i) const {
    return {base + i * stride, sizeof(T)};
  }
};

// Byte strings by their offsets (utf8, binary, large_*).
template <typename OffsetT>
struct OffsetValues {
  using Native = void;
  static constexpr bool kStable = true;  // views into the array
  const arrow::VarBinaryArray<OffsetT> array;
  std::string_view operator()(int64_t i) const { return array.GetView(i); }
};

// Fixed-size binary (uuid): the slot itself, compared as bytes.
struct SlotValues {
  using Native = void;
  static constexpr bool kStable = true;
  const char* base;
  int64_t width;
  std::string_view operator()(int64_t i) const {
    return {base + i * width, static_cast<std::size_t>(width)};
  }
};

// Everything else (booleans, narrow integers, big-endian decimals, intervals as text).
struct ConvertedValues {
  using Native = void;
  static constexpr bool kStable = false;  // views into the scratch string
  const arrow::ArrayView* array;
  const ColumnDescriptor* col;
  std::string* scratch;
  std::string_view operator()(int64_t i) const { return PhysicalValue(*array, i, *col, scratch); }
};

template <typename T>
NativeValues<T> Native(const arrow::ArrayView& a, int64_t stride) {
  return {reinterpret_cast<const char*>(a.values) + a.offset * stride, stride};
}

// The physical width a column's statistics order implies for a native value, or 0.
int NativeWidth(Order order) {
  switch (order) {
    case Order::kSigned32: case Order::kUnsigned32: case Order::kFloat: return 4;
    case Order::kSigned64: case Order::kUnsigned64: case Order::kDouble: return 8;
    default: return 0;
  }
}

}  // namespace

Status ColumnWriter::WriteArray(const arrow::ArrayView& array, int64_t begin, int64_t end) {
  return col_.is_list ? WriteList(array, begin, end) : WriteFlat(array, begin, end);
}

Status ColumnWriter::WriteFlat(const arrow::ArrayView& array, int64_t begin, int64_t end) {
  const TypeId id = array.type->id();
  if (id == TypeId::kUtf8 || id == TypeId::kBinary) {
    return WriteValues(array, begin, end, OffsetValues<int32_t>{arrow::StringArray(array)});
  }
  if (id == TypeId::kLargeUtf8 || id == TypeId::kLargeBinary) {
    return WriteValues(array, begin, end, OffsetValues<int64_t>{arrow::LargeStringArray(array)});
  }
  if (id == TypeId::kFixedSizeBinary) {
    const int64_t w = array.type->byte_width();
    const char* base = reinterpret_cast<const char*>(array.values) + array.offset * w;
    return WriteValues(array, begin, end, SlotValues{base, w});
  }
  // Values whose physical bytes are the first 4 or 8 bytes of their slot, as the order reads.
  const bool converted = id == TypeId::kBool || id == TypeId::kInt8 || id == TypeId::kInt16 ||
                         id == TypeId::kUInt8 || id == TypeId::kUInt16 ||
                         id == TypeId::kIntervalMonthDayNano ||
                         (id == TypeId::kDecimal128 &&
                          col_.type == PhysicalType::kFixedLenByteArray);
  const int width = NativeWidth(col_.order);
  if (!converted && width != 0) {
    const int64_t stride = id == TypeId::kDecimal128 ? 16 : array.type->fixed_width();
    if (stride >= width) {
      switch (col_.order) {
        case Order::kSigned32: return WriteValues(array, begin, end, Native<int32_t>(array, stride));
        case Order::kUnsigned32:
          return WriteValues(array, begin, end, Native<uint32_t>(array, stride));
        case Order::kFloat: return WriteValues(array, begin, end, Native<float>(array, stride));
        case Order::kSigned64: return WriteValues(array, begin, end, Native<int64_t>(array, stride));
        case Order::kUnsigned64:
          return WriteValues(array, begin, end, Native<uint64_t>(array, stride));
        case Order::kDouble: return WriteValues(array, begin, end, Native<double>(array, stride));
        default: break;
      }
    }
  }
  return WriteValues(array, begin, end, ConvertedValues{&array, &col_, &scratch_});
}

// PLAIN values of a page without nulls, as many as fit the page: one append of the slots
// (when they are the values themselves) and a native pass for the statistics.
template <typename T>
int64_t ColumnWriter::AppendPlainRun(const char* base, int64_t begin, int64_t end) {
  const NativeValues<T> values{base, sizeof(T)};
  const int64_t room =
      (options_.data_page_bytes - OpenPageBytes()) / static_cast<int64_t>(sizeof(T)) + 1;
  const int64_t n = std::max<int64_t>(
      1, std::min({end - begin, room, static_cast<int64_t>(kMaxPageValues - page_values_)}));
  plain_.append(values.base + begin * static_cast<int64_t>(sizeof(T)),
                static_cast<std::size_t>(n) * sizeof(T));
  if (col_.max_def > 0) {
    def_.insert(def_.end(), static_cast<std::size_t>(n), static_cast<uint32_t>(col_.max_def));
  }
  page_values_ += static_cast<std::size_t>(n);
  RunBounds<T> bounds;
  for (int64_t i = begin; i < begin + n; ++i) bounds.Add(values.Get(i));
  bounds.MergeInto(&stats_);
  return begin + n;
}

template <typename Values>
Status ColumnWriter::WriteValues(const arrow::ArrayView& array, int64_t begin, int64_t end,
                                 Values values) {
  using T = typename Values::Native;
  constexpr bool kNative = !std::is_void_v<T>;
  const auto max_def = static_cast<uint32_t>(col_.max_def);
  const bool nulls = array.null_count != 0;
  int64_t i = begin;
  while (i < end) {
    RB_RETURN_NOT_OK(StartRow());
    if constexpr (kNative) {
      if (!dict_active_ && !nulls && values.stride == static_cast<int64_t>(sizeof(T))) {
        i = AppendPlainRun<T>(values.base, i, end);
        continue;
      }
    }
    // One row at a time until the page fills or the dictionary falls back. Statistics of
    // stable byte-ordered views are kept per run too.
    const bool run_bytes = !kNative && Values::kStable && col_.order == Order::kBytes;
    [[maybe_unused]] std::conditional_t<kNative, RunBounds<T>, RunBytesBounds> bounds{};
    for (const int64_t first = i; i < end; ++i) {
      if (i != first && (fallback_pending_ || PageFull())) break;
      if (nulls && array.IsNull(i)) {
        AddLevel(0);
        stats_.AddNull();
        continue;
      }
      AddLevel(max_def);
      const std::string_view v = values(i);
      if constexpr (kNative) {
        bounds.Add(values.Get(i));
      } else {
        if (run_bytes) {
          bounds.Add(v);
        } else {
          stats_.Update(v);
        }
      }
      if (dict_active_) {
        AddToDictionary(v);
      } else {
        AppendPlain(v, &plain_);
      }
    }
    bounds.MergeInto(&stats_);
  }
  return Status::OK();
}

Status ColumnWriter::WriteList(const arrow::ArrayView& array, int64_t begin, int64_t end) {
  const arrow::ListArray list(array);
  const arrow::ArrayView& items = list.values();
  const auto max_def = static_cast<uint32_t>(col_.max_def);
  const uint32_t empty_def = col_.list_nullable ? 1 : 0;
  for (int64_t i = begin; i < end; ++i) {
    if (array.null_count != 0 && list.IsNull(i)) {
      RB_RETURN_NOT_OK(Add(0, 0, {}));
      continue;
    }
    const int64_t first = list.value_offset(i);
    const int64_t last = list.value_offset(i + 1);
    if (first == last) RB_RETURN_NOT_OK(Add(0, empty_def, {}));
    for (int64_t j = first; j < last; ++j) {
      const uint32_t rep = j == first ? 0 : 1;
      if (items.null_count != 0 && items.IsNull(j)) {
        RB_RETURN_NOT_OK(Add(rep, max_def - 1, {}));
      } else {
        RB_RETURN_NOT_OK(Add(rep, max_def, PhysicalValue(items, j, col_, &scratch_)));
      }
    }
  }
  return Status::OK();
}

}  // namespace rapidbyte::parquet
