// Builder for list<T>: int32 offsets plus a child builder for the items. Portable.
#pragma once

#include <memory>

#include "arrow/builder.h"

namespace rapidbyte::arrow {

/// Builds list<T>. To append a list value: call Append(), then append its items to
/// item_builder(). A null slot is AppendNull(). The item builder is owned by this builder.
class ListBuilder final : public ArrayBuilder {
 public:
  /// `type` must be a list; `item_builder` must build type.item_type().
  ListBuilder(DataType type, std::unique_ptr<ArrayBuilder> item_builder)
      : ArrayBuilder(std::move(type)), items_(std::move(item_builder)) {}

  ArrayBuilder* item_builder() { return items_.get(); }
  /// The item builder as its concrete class, or nullptr if it is of another class.
  template <typename B>
  B* item_builder_as() {
    return dynamic_cast<B*>(items_.get());
  }

  /// Start a new (valid) list slot; its items are those appended to item_builder() until the
  /// next Append()/AppendNull()/Finish(). Fails past 2^31 - 1 items in total.
  Status Append() {
    if (length_ >= capacity_) RB_RETURN_NOT_OK(Grow(length_ + 1));
    RB_RETURN_NOT_OK(SetStartOffset());
    SetValid();
    ++length_;
    return Status::OK();
  }
  Status AppendNull() override {
    if (length_ >= capacity_) RB_RETURN_NOT_OK(Grow(length_ + 1));
    RB_RETURN_NOT_OK(SetStartOffset());
    ++length_;
    ++null_count_;
    return Status::OK();
  }
  void Reset() override {
    ResetBase();
    items_->Reset();
  }
  int64_t BufferBytes() const override {
    return ValidityBytes() + bit_util::PaddedLength((length_ + 1) * 4) + items_->BufferBytes();
  }
  ArrayView Finish() override;

 private:
  Status SetStartOffset();
  Status ResizeBuffers(int64_t new_capacity) override {
    return offsets_.Resize((new_capacity + 1) * 4);
  }
  std::unique_ptr<ArrayBuilder> items_;
  ByteBuffer offsets_;  // int32; offsets_[length_] is written by Finish()
};

}  // namespace rapidbyte::arrow
