// Orderings per SPEC §16.3 ("correct orderings"). NaN is left out of min/max and zero bounds
// are written as -0 (min) and +0 (max), as the Parquet format asks, so readers that prune
// with them never skip a page holding the other zero.
#include "parquet/statistics.h"

#include <cmath>
#include <cstring>

namespace rapidbyte::parquet {
namespace {

template <typename T>
T Load(std::string_view raw) {
  T v;
  std::memcpy(&v, raw.data(), sizeof(T));
  return v;
}

template <typename T>
int Cmp(T a, T b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

int CompareBigEndianSigned(std::string_view a, std::string_view b) {
  const bool neg_a = !a.empty() && (static_cast<uint8_t>(a[0]) & 0x80) != 0;
  const bool neg_b = !b.empty() && (static_cast<uint8_t>(b[0]) & 0x80) != 0;
  if (neg_a != neg_b) return neg_a ? -1 : 1;
  return a.compare(b);  // same sign and width: unsigned byte order is numeric order
}

bool IsNaN(Order order, std::string_view raw) {
  if (order == Order::kFloat) return std::isnan(Load<float>(raw));
  if (order == Order::kDouble) return std::isnan(Load<double>(raw));
  return false;
}

template <typename T>
void FixZero(std::string* bound, bool negative) {
  if (Load<T>(*bound) != 0) return;
  const T zero = negative ? -T{0} : T{0};
  bound->assign(reinterpret_cast<const char*>(&zero), sizeof(T));
}

}  // namespace

int CompareValues(Order order, std::string_view a, std::string_view b) {
  switch (order) {
    case Order::kBool: return Cmp(a[0], b[0]);
    case Order::kSigned32: return Cmp(Load<int32_t>(a), Load<int32_t>(b));
    case Order::kSigned64: return Cmp(Load<int64_t>(a), Load<int64_t>(b));
    case Order::kUnsigned32: return Cmp(Load<uint32_t>(a), Load<uint32_t>(b));
    case Order::kUnsigned64: return Cmp(Load<uint64_t>(a), Load<uint64_t>(b));
    case Order::kFloat: return Cmp(Load<float>(a), Load<float>(b));
    case Order::kDouble: return Cmp(Load<double>(a), Load<double>(b));
    case Order::kSignedBigEndian: return CompareBigEndianSigned(a, b);
    case Order::kBytes: break;
  }
  return a.compare(b);  // std::string_view compares as unsigned char
}

void StatsCollector::Update(std::string_view raw) {
  if (IsNaN(order_, raw)) return;
  if (!has_bounds_) {
    min_.assign(raw);
    max_.assign(raw);
    has_bounds_ = true;
    return;
  }
  if (CompareValues(order_, raw, min_) < 0) min_.assign(raw);
  if (CompareValues(order_, raw, max_) > 0) max_.assign(raw);
}

Statistics StatsCollector::Get() const {
  Statistics s{.null_count = null_count_};
  if (!has_bounds_) return s;
  s.min_value = min_;
  s.max_value = max_;
  if (order_ == Order::kFloat) {
    FixZero<float>(&*s.min_value, true);
    FixZero<float>(&*s.max_value, false);
  } else if (order_ == Order::kDouble) {
    FixZero<double>(&*s.min_value, true);
    FixZero<double>(&*s.max_value, false);
  }
  return s;
}

void StatsCollector::Reset() {
  has_bounds_ = false;
  null_count_ = 0;
  min_.clear();
  max_.clear();
}

}  // namespace rapidbyte::parquet
