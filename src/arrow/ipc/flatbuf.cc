// Checked flatbuffer reading (tables, strings, vectors) and front-to-back writing.
#include <algorithm>
#include <string>
#include <utility>

#include "arrow/ipc/flatbuf_internal.h"

namespace rapidbyte::arrow::ipc::internal {

namespace {

Status Malformed(const std::string& what, uint64_t pos) {
  return Status::InvalidArgument("malformed flatbuffer: " + what + " at byte " +
                                 std::to_string(pos));
}

}  // namespace

Result<FbTable> FbTable::Root(const uint8_t* data, uint64_t size) {
  if (size < 8) return Malformed("buffer of " + std::to_string(size) + " bytes is too short", 0);
  return At(data, size, LoadLE<uint32_t>(data));
}

Result<FbTable> FbTable::At(const uint8_t* data, uint64_t size, uint64_t pos) {
  if (pos > size || size - pos < 4) return Malformed("table out of bounds", pos);
  const int64_t soffset = LoadLE<int32_t>(data + pos);
  const int64_t vtable = static_cast<int64_t>(pos) - soffset;
  if (vtable < 0 || static_cast<uint64_t>(vtable) > size - 4) {
    return Malformed("vtable out of bounds", pos);
  }
  const uint16_t vt_size = LoadLE<uint16_t>(data + vtable);
  const uint16_t t_size = LoadLE<uint16_t>(data + vtable + 2);
  if (vt_size < 4 || (vt_size & 1) != 0 || static_cast<uint64_t>(vtable) + vt_size > size) {
    return Malformed("bad vtable size " + std::to_string(vt_size), static_cast<uint64_t>(vtable));
  }
  if (t_size < 4 || pos + t_size > size) {
    return Malformed("bad table size " + std::to_string(t_size), pos);
  }
  return FbTable(data, size, pos, static_cast<uint64_t>(vtable), vt_size, t_size);
}

Result<uint64_t> FbTable::FieldPos(int id, uint32_t width) const {
  const uint64_t slot = 4 + 2 * static_cast<uint64_t>(id);
  if (slot + 2 > vt_size_) return uint64_t{0};
  const uint16_t field_offset = LoadLE<uint16_t>(buf_ + vtable_ + slot);
  if (field_offset == 0) return uint64_t{0};
  if (field_offset < 4 || static_cast<uint64_t>(field_offset) + width > t_size_) {
    return Malformed("field " + std::to_string(id) + " outside its table", pos_);
  }
  return pos_ + field_offset;
}

Result<uint64_t> FbTable::Deref(int id) const {
  RB_ASSIGN_OR_RETURN(uint64_t pos, FieldPos(id, 4));
  if (pos == 0) return uint64_t{0};
  const uint64_t target = pos + LoadLE<uint32_t>(buf_ + pos);
  if (target >= size_) return Malformed("offset of field " + std::to_string(id) + " too big", pos);
  return target;
}

Result<std::optional<FbTable>> FbTable::Table(int id) const {
  RB_ASSIGN_OR_RETURN(uint64_t target, Deref(id));
  if (target == 0) return std::optional<FbTable>();
  RB_ASSIGN_OR_RETURN(FbTable t, At(buf_, size_, target));
  return std::optional<FbTable>(t);
}

Result<std::string_view> FbStringAt(const uint8_t* buf, uint64_t size, uint64_t pos) {
  if (pos > size || size - pos < 4) return Malformed("string out of bounds", pos);
  const uint64_t len = LoadLE<uint32_t>(buf + pos);
  if (len > size - pos - 4) return Malformed("string longer than the buffer", pos);
  return std::string_view(reinterpret_cast<const char*>(buf + pos + 4),
                          static_cast<std::size_t>(len));
}

Result<std::optional<std::string_view>> FbTable::String(int id) const {
  RB_ASSIGN_OR_RETURN(uint64_t target, Deref(id));
  if (target == 0) return std::optional<std::string_view>();
  RB_ASSIGN_OR_RETURN(std::string_view s, FbStringAt(buf_, size_, target));
  return std::optional<std::string_view>(s);
}

Result<FbVector> FbTable::Vector(int id, uint32_t elem_size) const {
  RB_ASSIGN_OR_RETURN(uint64_t target, Deref(id));
  if (target == 0) return FbVector();
  if (size_ - target < 4) return Malformed("vector out of bounds", target);
  const uint32_t count = LoadLE<uint32_t>(buf_ + target);
  if (static_cast<uint64_t>(count) * elem_size > size_ - target - 4) {
    return Malformed("vector of " + std::to_string(count) + " elements exceeds the buffer", target);
  }
  return FbVector(buf_, size_, target + 4, count);
}

Result<FbTable> FbVector::TableAt(uint32_t i) const {
  const uint64_t slot = start_ + 4 * static_cast<uint64_t>(i);
  return FbTable::At(buf_, buf_size_, slot + LoadLE<uint32_t>(buf_ + slot));
}

void FbWriter::Pad(int64_t align, int64_t phase) {
  while ((size() + phase) % align != 0) buf_.push_back(0);
}

int64_t FbWriter::ReserveOffset() {
  Pad(4);
  const int64_t pos = size();
  Put("\0\0\0\0", 4);
  return pos;
}

void FbWriter::PatchOffset(int64_t slot, int64_t target) {
  const uint32_t rel = static_cast<uint32_t>(target - slot);
  std::memcpy(buf_.data() + slot, &rel, sizeof(rel));
}

int64_t FbWriter::EndTable() {
  // Lay out fields widest first so each is naturally aligned after the 4-byte soffset.
  // (Insertion sort: at most 8 fields, and stable.)
  for (int i = 1; i < num_fields_; ++i) {
    for (int j = i; j > 0 && pending_[j - 1].width < pending_[j].width; --j) {
      std::swap(pending_[j - 1], pending_[j]);
    }
  }
  bool has_wide = false;
  int max_id = -1;
  uint16_t field_offsets[8] = {};
  uint16_t at = 4;
  for (int i = 0; i < num_fields_; ++i) {
    has_wide = has_wide || pending_[i].width == 8;
    max_id = std::max(max_id, pending_[i].id);
    field_offsets[pending_[i].id] = at;
    at = static_cast<uint16_t>(at + pending_[i].width);
  }
  const uint16_t vt_size = static_cast<uint16_t>(4 + 2 * (max_id + 1));
  const uint16_t t_size = at;
  Pad(2);
  const int64_t vtable = size();
  Put(&vt_size, 2);
  Put(&t_size, 2);
  Put(field_offsets, static_cast<std::size_t>(2 * (max_id + 1)));
  if (has_wide) {
    Pad(8, 4);
  } else {
    Pad(4);
  }
  const int64_t table = size();
  const int32_t soffset = static_cast<int32_t>(table - vtable);
  Put(&soffset, 4);
  for (int i = 0; i < num_fields_; ++i) {
    slots_[pending_[i].id] = size();
    Put(pending_[i].bytes, pending_[i].width);
  }
  return table;
}

int64_t FbWriter::WriteString(std::string_view s) {
  Pad(4);
  const int64_t pos = size();
  const uint32_t len = static_cast<uint32_t>(s.size());
  Put(&len, 4);
  Put(s.data(), s.size());
  buf_.push_back(0);
  return pos;
}

int64_t FbWriter::WriteOffsetVector(int64_t n) {
  Pad(4);
  const int64_t pos = size();
  const uint32_t len = static_cast<uint32_t>(n);
  Put(&len, 4);
  buf_.resize(buf_.size() + static_cast<std::size_t>(4 * n), 0);
  return pos;
}

int64_t FbWriter::WriteStructVector(const void* elems, int64_t n, int64_t elem_size) {
  Pad(8, 4);
  const int64_t pos = size();
  const uint32_t len = static_cast<uint32_t>(n);
  Put(&len, 4);
  Put(elems, static_cast<std::size_t>(n * elem_size));
  return pos;
}

}  // namespace rapidbyte::arrow::ipc::internal
