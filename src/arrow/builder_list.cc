// ListBuilder offsets.
#include "arrow/builder_list.h"

#include <cstring>
#include <limits>
#include <string>

namespace rapidbyte::arrow {

Status ListBuilder::SetStartOffset() {
  const int64_t start = items_->length();
  if (start > std::numeric_limits<int32_t>::max()) {
    return Status::ResourceExhausted("list builder holds more than 2^31 - 1 items");
  }
  const int32_t o = static_cast<int32_t>(start);
  std::memcpy(offsets_.data() + length_ * 4, &o, sizeof(o));
  return Status::OK();
}

ArrayView ListBuilder::Finish() {
  ArrayView v = BaseView();
  if (offsets_.size() > 0) {
    // The end offset; the slot exists because offsets_ holds capacity_ + 1 entries. Item
    // counts above INT32_MAX are refused by the next Append(), so clamp here.
    const int64_t end = items_->length();
    const int32_t o = static_cast<int32_t>(
        end > std::numeric_limits<int32_t>::max() ? std::numeric_limits<int32_t>::max() : end);
    std::memcpy(offsets_.data() + length_ * 4, &o, sizeof(o));
    v.values = offsets_.data();
  } else {
    v.values = bit_util::kZeroBytes;
  }
  v.children.push_back(items_->Finish());
  return v;
}

}  // namespace rapidbyte::arrow
