// ArrayBuilder growth and reset, the null and bool builders, and MakeBuilder().
#include "arrow/builder.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "arrow/builder_binary.h"
#include "arrow/builder_list.h"
#include "arrow/builder_primitive.h"
#include "arrow/schema.h"

namespace rapidbyte::arrow {

Status ArrayBuilder::Grow(int64_t min_capacity) {
  if (min_capacity < 0 || min_capacity > (int64_t{1} << 40)) {
    return Status::ResourceExhausted("cannot reserve " + std::to_string(min_capacity) +
                                     " slots in a " + type_.ToString() + " builder");
  }
  const int64_t new_capacity = std::max<int64_t>({min_capacity, capacity_ * 2, 32});
  RB_RETURN_NOT_OK(ResizeBuffers(new_capacity));
  const int64_t old_bytes = validity_.size();
  const int64_t new_bytes = bit_util::BytesForBits(new_capacity);
  RB_RETURN_NOT_OK(validity_.Resize(new_bytes));
  std::memset(validity_.data() + old_bytes, 0, static_cast<std::size_t>(new_bytes - old_bytes));
  capacity_ = new_capacity;
  return Status::OK();
}

Status ArrayBuilder::AppendNulls(int64_t n) {
  RB_RETURN_NOT_OK(Reserve(n));
  for (int64_t i = 0; i < n; ++i) RB_RETURN_NOT_OK(AppendNull());
  return Status::OK();
}

void ArrayBuilder::ResetBase() {
  const int64_t used = bit_util::BytesForBits(length_);
  if (used > 0) std::memset(validity_.data(), 0, static_cast<std::size_t>(used));
  length_ = 0;
  null_count_ = 0;
}

ArrayView ArrayBuilder::BaseView() const {
  ArrayView v;
  v.type = &type_;
  v.length = length_;
  v.null_count = null_count_;
  v.validity = null_count_ > 0 ? validity_.data() : nullptr;
  return v;
}

Status NullBuilder::AppendNulls(int64_t n) {
  length_ += n;
  null_count_ += n;
  return Status::OK();
}

void NullBuilder::Reset() {
  length_ = 0;
  null_count_ = 0;
}

ArrayView NullBuilder::Finish() {
  ArrayView v;
  v.type = &type_;
  v.length = length_;
  v.null_count = length_;
  return v;
}

void BooleanBuilder::Reset() {
  const int64_t used = bit_util::BytesForBits(length_);
  if (used > 0) std::memset(values_.data(), 0, static_cast<std::size_t>(used));
  ResetBase();
}

ArrayView BooleanBuilder::Finish() {
  ArrayView v = BaseView();
  v.values = values_.size() > 0 ? values_.data() : bit_util::kZeroBytes;
  return v;
}

Status BooleanBuilder::ResizeBuffers(int64_t new_capacity) {
  const int64_t old_bytes = values_.size();
  const int64_t new_bytes = bit_util::BytesForBits(new_capacity);
  RB_RETURN_NOT_OK(values_.Resize(new_bytes));
  std::memset(values_.data() + old_bytes, 0, static_cast<std::size_t>(new_bytes - old_bytes));
  return Status::OK();
}

Result<std::unique_ptr<ArrayBuilder>> MakeBuilder(const DataType& type) {
  RB_RETURN_NOT_OK(type.Validate());
  std::unique_ptr<ArrayBuilder> b;
  switch (type.id()) {
    case TypeId::kNull:
      b = std::make_unique<NullBuilder>(type);
      break;
    case TypeId::kBool:
      b = std::make_unique<BooleanBuilder>(type);
      break;
    case TypeId::kInt8:
      b = std::make_unique<Int8Builder>(type);
      break;
    case TypeId::kInt16:
      b = std::make_unique<Int16Builder>(type);
      break;
    case TypeId::kInt32:
    case TypeId::kDate32:
      b = std::make_unique<Int32Builder>(type);
      break;
    case TypeId::kInt64:
    case TypeId::kTime64:
    case TypeId::kTimestamp:
      b = std::make_unique<Int64Builder>(type);
      break;
    case TypeId::kUInt8:
      b = std::make_unique<UInt8Builder>(type);
      break;
    case TypeId::kUInt16:
      b = std::make_unique<UInt16Builder>(type);
      break;
    case TypeId::kUInt32:
      b = std::make_unique<UInt32Builder>(type);
      break;
    case TypeId::kUInt64:
      b = std::make_unique<UInt64Builder>(type);
      break;
    case TypeId::kFloat32:
      b = std::make_unique<Float32Builder>(type);
      break;
    case TypeId::kFloat64:
      b = std::make_unique<Float64Builder>(type);
      break;
    case TypeId::kDecimal128:
      b = std::make_unique<Decimal128Builder>(type);
      break;
    case TypeId::kIntervalMonthDayNano:
      b = std::make_unique<IntervalBuilder>(type);
      break;
    case TypeId::kFixedSizeBinary:
      b = std::make_unique<FixedSizeBinaryBuilder>(type);
      break;
    case TypeId::kUtf8:
    case TypeId::kBinary:
      b = std::make_unique<StringBuilder>(type);
      break;
    case TypeId::kLargeUtf8:
    case TypeId::kLargeBinary:
      b = std::make_unique<LargeStringBuilder>(type);
      break;
    case TypeId::kList: {
      RB_ASSIGN_OR_RETURN(std::unique_ptr<ArrayBuilder> items, MakeBuilder(type.item_type()));
      b = std::make_unique<ListBuilder>(type, std::move(items));
      break;
    }
  }
  if (b == nullptr) return Status::InvalidArgument("no builder for type " + type.ToString());
  return b;
}

}  // namespace rapidbyte::arrow
