// ArrayView slicing.
#include "arrow/array.h"

#include <algorithm>

namespace rapidbyte::arrow {

ArrayView ArrayView::Slice(int64_t start, int64_t count) const {
  start = std::clamp<int64_t>(start, 0, length);
  count = std::clamp<int64_t>(count, 0, length - start);
  ArrayView out = *this;
  out.offset = offset + start;
  out.length = count;
  if (validity != nullptr) {
    out.null_count = count - bit_util::CountSetBits(validity, out.offset, count);
  } else {
    out.null_count = null_count != 0 ? count : 0;
  }
  return out;
}

}  // namespace rapidbyte::arrow
