// RecordBatch slicing.
#include "arrow/record_batch.h"

#include <algorithm>

namespace rapidbyte::arrow {

RecordBatch RecordBatch::Slice(int64_t start, int64_t count) const {
  start = std::clamp<int64_t>(start, 0, num_rows_);
  count = std::clamp<int64_t>(count, 0, num_rows_ - start);
  std::vector<ArrayView> sliced;
  sliced.reserve(columns_.size());
  for (const ArrayView& c : columns_) sliced.push_back(c.Slice(start, count));
  return RecordBatch(schema_, count, std::move(sliced));
}

}  // namespace rapidbyte::arrow
