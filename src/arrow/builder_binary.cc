// Out-of-line parts of the binary builders: error paths and checked appends.
#include "arrow/builder_binary.h"

#include <string>

namespace rapidbyte::arrow {

template <typename OffsetT>
Status VarBinaryBuilder<OffsetT>::OffsetOverflow(int64_t bytes) const {
  return Status::ResourceExhausted(type_.ToString() + " builder cannot hold " +
                                   std::to_string(data_.size()) + " + " + std::to_string(bytes) +
                                   " bytes (offsets limit " + std::to_string(kMaxDataBytes) + ")");
}

template class VarBinaryBuilder<int32_t>;
template class VarBinaryBuilder<int64_t>;

Status FixedSizeBinaryBuilder::Append(std::string_view v) {
  if (static_cast<int64_t>(v.size()) != width_) {
    return Status::InvalidArgument(type_.ToString() + " value has " + std::to_string(v.size()) +
                                   " bytes");
  }
  RB_RETURN_NOT_OK(Reserve(1));
  AppendUnchecked(v.data());
  return Status::OK();
}

}  // namespace rapidbyte::arrow
