// RecordBatch body decoding and validation: field nodes and buffers are consumed in schema
// order (depth first), checked against the body, then offsets and UTF-8 as the level asks.
#include <cstring>
#include <string>

#include "arrow/bit_util.h"
#include "arrow/ipc/batch_decode_internal.h"
#include "arrow/ipc/format_internal.h"
#include "base/utf8.h"

namespace rapidbyte::arrow::ipc::internal {

namespace {

struct BufferSpan {
  const uint8_t* data;
  uint64_t size;
};

// Return true if every byte in [p, p + n) is ASCII.
bool AllAscii(const uint8_t* p, uint64_t n) {
  uint64_t acc = 0;
  uint64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    acc |= w;
  }
  for (; i < n; ++i) acc |= p[i];
  return (acc & 0x8080808080808080ull) == 0;
}

// Check offsets [0, count) monotonic with offsets[0] >= 0 and offsets[count-1] <= limit.
template <typename OffsetT>
bool OffsetsValid(const uint8_t* p, int64_t count, int64_t limit, int64_t* bad_index) {
  OffsetT prev;
  std::memcpy(&prev, p, sizeof(prev));
  if (prev < 0) {
    *bad_index = 0;
    return false;
  }
  bool ok = true;
  for (int64_t i = 1; i < count; ++i) {
    OffsetT cur;
    std::memcpy(&cur, p + i * static_cast<int64_t>(sizeof(OffsetT)), sizeof(cur));
    ok &= cur >= prev;
    prev = cur;
    if ((i & 1023) == 0 && !ok) break;
  }
  if (!ok) {
    for (int64_t i = 1; i < count; ++i) {
      OffsetT a, b;
      std::memcpy(&a, p + (i - 1) * static_cast<int64_t>(sizeof(OffsetT)), sizeof(a));
      std::memcpy(&b, p + i * static_cast<int64_t>(sizeof(OffsetT)), sizeof(b));
      if (b < a) {
        *bad_index = i;
        return false;
      }
    }
  }
  if (static_cast<int64_t>(prev) > limit) {
    *bad_index = count - 1;
    return false;
  }
  return true;
}

template <typename OffsetT>
int64_t OffsetAt(const uint8_t* p, int64_t i) {
  OffsetT o;
  std::memcpy(&o, p + i * static_cast<int64_t>(sizeof(OffsetT)), sizeof(o));
  return static_cast<int64_t>(o);
}

class BatchDecoder {
 public:
  BatchDecoder(const BatchMeta& meta, const uint8_t* body, uint64_t body_size, CheckLevel level)
      : meta_(meta), body_(body), body_size_(body_size), level_(level) {}

  Status DecodeColumn(const Field& field, int64_t expected_length, const std::string& name,
                      ArrayView* out);
  Status CheckAllConsumed() const;

 private:
  Status Fail(const std::string& name, const std::string& what) const {
    return Status::InvalidArgument("column '" + name + "': " + what);
  }
  Result<BufferSpan> NextBuffer(const std::string& name);
  Status DecodeOffsets(const ArrayView& a, const BufferSpan& offsets, int width,
                       const std::string& name, const uint8_t** out);
  template <typename OffsetT>
  Status CheckOffsets(const ArrayView& a, int64_t limit, const std::string& name) const;
  Status CheckUtf8(const ArrayView& a, bool wide, const std::string& name) const;

  const BatchMeta& meta_;
  const uint8_t* body_;
  uint64_t body_size_;
  CheckLevel level_;
  uint32_t next_node_ = 0;
  uint32_t next_buffer_ = 0;
};

Result<BufferSpan> BatchDecoder::NextBuffer(const std::string& name) {
  if (next_buffer_ >= meta_.buffers.size()) {
    return Fail(name, "missing buffer " + std::to_string(next_buffer_) + " (message has " +
                          std::to_string(meta_.buffers.size()) + ")");
  }
  const uint32_t index = next_buffer_++;
  const uint8_t* spec = meta_.buffers.ElementBytes(index, kStructSize);
  const int64_t offset = LoadLE<int64_t>(spec);
  const int64_t length = LoadLE<int64_t>(spec + 8);
  if (offset < 0 || length < 0 || static_cast<uint64_t>(offset) > body_size_ ||
      static_cast<uint64_t>(length) > body_size_ - static_cast<uint64_t>(offset)) {
    return Fail(name, "buffer " + std::to_string(index) + " [offset " + std::to_string(offset) +
                          ", length " + std::to_string(length) + "] exceeds the body of " +
                          std::to_string(body_size_) + " bytes");
  }
  return BufferSpan{body_ + offset, static_cast<uint64_t>(length)};
}

Status BatchDecoder::DecodeOffsets(const ArrayView& a, const BufferSpan& offsets, int width,
                                   const std::string& name, const uint8_t** out) {
  // An empty array may omit its offsets buffer entirely.
  if (a.length == 0 && offsets.size == 0) {
    *out = bit_util::kZeroBytes;
    return Status::OK();
  }
  if (static_cast<uint64_t>(a.length) >= offsets.size / static_cast<uint64_t>(width)) {
    return Fail(name, "offsets buffer of " + std::to_string(offsets.size) +
                          " bytes is too small for " + std::to_string(a.length) + " values");
  }
  *out = offsets.data;
  return Status::OK();
}

template <typename OffsetT>
Status BatchDecoder::CheckOffsets(const ArrayView& a, int64_t limit,
                                  const std::string& name) const {
  int64_t bad = 0;
  if (!OffsetsValid<OffsetT>(a.values, a.length + 1, limit, &bad)) {
    return Fail(name, "offset " + std::to_string(bad) + " (" +
                          std::to_string(OffsetAt<OffsetT>(a.values, bad)) +
                          ") is decreasing, negative or past the end (" + std::to_string(limit) +
                          ")");
  }
  return Status::OK();
}

Status BatchDecoder::CheckUtf8(const ArrayView& a, bool wide, const std::string& name) const {
  const int64_t first = wide ? OffsetAt<int64_t>(a.values, 0) : OffsetAt<int32_t>(a.values, 0);
  const int64_t last =
      wide ? OffsetAt<int64_t>(a.values, a.length) : OffsetAt<int32_t>(a.values, a.length);
  if (AllAscii(a.data + first, static_cast<uint64_t>(last - first))) return Status::OK();
  for (int64_t i = 0; i < a.length; ++i) {
    const int64_t s = wide ? OffsetAt<int64_t>(a.values, i) : OffsetAt<int32_t>(a.values, i);
    const int64_t e =
        wide ? OffsetAt<int64_t>(a.values, i + 1) : OffsetAt<int32_t>(a.values, i + 1);
    std::string_view v(reinterpret_cast<const char*>(a.data) + s, static_cast<std::size_t>(e - s));
    const std::size_t bad = FindInvalidUtf8(v);
    if (bad != std::string_view::npos) {
      return Fail(name, "value " + std::to_string(i) + " is not valid UTF-8 (byte " +
                            std::to_string(bad) + ")");
    }
  }
  return Status::OK();
}

Status BatchDecoder::DecodeColumn(const Field& field, int64_t expected_length,
                                  const std::string& name, ArrayView* out) {
  if (next_node_ >= meta_.nodes.size()) {
    return Fail(name, "missing field node " + std::to_string(next_node_) + " (message has " +
                          std::to_string(meta_.nodes.size()) + ")");
  }
  const uint8_t* node = meta_.nodes.ElementBytes(next_node_++, kStructSize);
  ArrayView& a = *out;
  a.type = &field.type();
  a.length = LoadLE<int64_t>(node);
  a.null_count = LoadLE<int64_t>(node + 8);
  if (a.length < 0 || a.null_count < 0 || a.null_count > a.length) {
    return Fail(name, "implausible length " + std::to_string(a.length) + " / null count " +
                          std::to_string(a.null_count));
  }
  if (expected_length >= 0 && a.length != expected_length) {
    return Fail(name, "has " + std::to_string(a.length) + " rows, the batch " +
                          std::to_string(expected_length));
  }
  const DataType& type = field.type();
  const Layout layout = type.layout();
  if (layout == Layout::kNull) {
    a.null_count = a.length;
    return Status::OK();
  }
  RB_ASSIGN_OR_RETURN(BufferSpan validity, NextBuffer(name));
  if (a.null_count > 0) {
    if (validity.size < static_cast<uint64_t>(bit_util::BytesForBits(a.length))) {
      return Fail(name, "validity bitmap of " + std::to_string(validity.size) +
                            " bytes is too small for " + std::to_string(a.length) + " values");
    }
    a.validity = validity.data;
    if (level_ == CheckLevel::kFull &&
        a.length - bit_util::CountSetBits(a.validity, 0, a.length) != a.null_count) {
      return Fail(name, "null count " + std::to_string(a.null_count) +
                            " does not match the validity bitmap");
    }
  }
  RB_ASSIGN_OR_RETURN(BufferSpan values, NextBuffer(name));
  switch (layout) {
    case Layout::kBitmap:
      if (values.size < static_cast<uint64_t>(bit_util::BytesForBits(a.length))) {
        return Fail(name, "values buffer of " + std::to_string(values.size) +
                              " bytes is too small for " + std::to_string(a.length) + " values");
      }
      a.values = values.data;
      return Status::OK();
    case Layout::kFixedWidth: {
      const uint64_t width = static_cast<uint64_t>(type.fixed_width());
      if (static_cast<uint64_t>(a.length) > values.size / width) {
        return Fail(name, "values buffer of " + std::to_string(values.size) +
                              " bytes is too small for " + std::to_string(a.length) + " values");
      }
      a.values = values.data;
      return Status::OK();
    }
    case Layout::kVarBinary32:
    case Layout::kVarBinary64: {
      const bool wide = layout == Layout::kVarBinary64;
      RB_RETURN_NOT_OK(DecodeOffsets(a, values, wide ? 8 : 4, name, &a.values));
      RB_ASSIGN_OR_RETURN(BufferSpan data, NextBuffer(name));
      a.data = data.data;
      if (level_ == CheckLevel::kMetadata) return Status::OK();
      const int64_t limit = static_cast<int64_t>(data.size);
      RB_RETURN_NOT_OK(wide ? CheckOffsets<int64_t>(a, limit, name)
                            : CheckOffsets<int32_t>(a, limit, name));
      const bool text = type.id() == TypeId::kUtf8 || type.id() == TypeId::kLargeUtf8;
      if (level_ == CheckLevel::kFull && text) RB_RETURN_NOT_OK(CheckUtf8(a, wide, name));
      return Status::OK();
    }
    case Layout::kList32: {
      RB_RETURN_NOT_OK(DecodeOffsets(a, values, 4, name, &a.values));
      a.children.resize(1);
      RB_RETURN_NOT_OK(DecodeColumn(type.item_field(), -1, name + ".item", &a.children[0]));
      if (level_ == CheckLevel::kMetadata) return Status::OK();
      return CheckOffsets<int32_t>(a, a.children[0].length, name);
    }
    case Layout::kNull:
      break;
  }
  return Status::OK();
}

Status BatchDecoder::CheckAllConsumed() const {
  if (next_node_ != meta_.nodes.size() || next_buffer_ != meta_.buffers.size()) {
    return Status::InvalidArgument("record batch has " + std::to_string(meta_.nodes.size()) +
                                   " field nodes and " + std::to_string(meta_.buffers.size()) +
                                   " buffers, the schema needs " + std::to_string(next_node_) +
                                   " and " + std::to_string(next_buffer_));
  }
  return Status::OK();
}

}  // namespace

Result<RecordBatch> DecodeRecordBatch(const std::shared_ptr<const Schema>& schema,
                                      const BatchMeta& meta, const uint8_t* body,
                                      uint64_t body_size, CheckLevel level) {
  BatchDecoder decoder(meta, body, body_size, level);
  std::vector<ArrayView> columns(static_cast<std::size_t>(schema->num_fields()));
  for (int i = 0; i < schema->num_fields(); ++i) {
    const Field& f = schema->field(i);
    RB_RETURN_NOT_OK(decoder.DecodeColumn(f, meta.length, f.name(), &columns[i]));
    if (!f.nullable() && columns[i].null_count > 0 && f.type().id() != TypeId::kNull) {
      return Status::InvalidArgument("column '" + f.name() + "': non-nullable but holds " +
                                     std::to_string(columns[i].null_count) + " nulls");
    }
  }
  RB_RETURN_NOT_OK(decoder.CheckAllConsumed());
  return RecordBatch(schema, meta.length, std::move(columns));
}

}  // namespace rapidbyte::arrow::ipc::internal
