// Column chunk statistics: null count and min/max in the order of the column's logical type
// (signed or unsigned integers, IEEE floats without NaN, byte-wise strings, big-endian
// decimals). Values are the raw physical bytes of values.h. Portable.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "parquet/format.h"
#include "parquet/schema_map.h"

namespace rapidbyte::parquet {

/// <0, 0 or >0 as `a` sorts before, with or after `b` in `order`.
int CompareValues(Order order, std::string_view a, std::string_view b);

/// Collects the statistics of one column chunk. Not thread-safe.
class StatsCollector {
 public:
  explicit StatsCollector(Order order) : order_(order) {}

  /// Account for one non-null value.
  void Update(std::string_view raw);
  void AddNull() { ++null_count_; }
  /// The statistics so far (min/max absent when no orderable value was seen).
  Statistics Get() const;
  void Reset();

 private:
  Order order_;
  bool has_bounds_ = false;
  int64_t null_count_ = 0;
  std::string min_;
  std::string max_;
};

}  // namespace rapidbyte::parquet
