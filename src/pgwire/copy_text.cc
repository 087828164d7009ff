// COPY text format: value escaping and a row writer for text and integer columns.
#include "pgwire/copy_text.h"

#include <charconv>
#include <cstring>

namespace rapidbyte::pgwire {
namespace {

// The escape letter for a byte that must not appear raw, or 0.
char EscapeFor(unsigned char c) {
  switch (c) {
    case '\\': return '\\';
    case '\t': return 't';
    case '\n': return 'n';
    case '\r': return 'r';
    case '\b': return 'b';
    case '\f': return 'f';
    case '\v': return 'v';
    default: return 0;
  }
}

template <typename T>
Status AppendInt(const arrow::ArrayView& a, std::int64_t i, arrow::ByteBuffer* out) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof(buf), arrow::FixedWidthArray<T>(a).Value(i));
  return out->Append(buf, r.ptr - buf);
}

template <typename OffsetT>
Status AppendText(const arrow::ArrayView& a, std::int64_t i, arrow::ByteBuffer* out) {
  return AppendCopyTextEscaped(arrow::VarBinaryArray<OffsetT>(a).GetView(i), out);
}

Status AppendValue(const arrow::ArrayView& a, std::int64_t i, arrow::ByteBuffer* out) {
  using arrow::TypeId;
  switch (a.type->id()) {
    case TypeId::kUtf8: return AppendText<std::int32_t>(a, i, out);
    case TypeId::kLargeUtf8: return AppendText<std::int64_t>(a, i, out);
    case TypeId::kBool: return out->Append(arrow::BooleanArray(a).Value(i) ? "t" : "f", 1);
    case TypeId::kInt8: return AppendInt<std::int8_t>(a, i, out);
    case TypeId::kInt16: return AppendInt<std::int16_t>(a, i, out);
    case TypeId::kInt32: return AppendInt<std::int32_t>(a, i, out);
    case TypeId::kInt64: return AppendInt<std::int64_t>(a, i, out);
    case TypeId::kUInt8: return AppendInt<std::uint8_t>(a, i, out);
    case TypeId::kUInt16: return AppendInt<std::uint16_t>(a, i, out);
    case TypeId::kUInt32: return AppendInt<std::uint32_t>(a, i, out);
    case TypeId::kUInt64: return AppendInt<std::uint64_t>(a, i, out);
    default:
      return Status::InvalidArgument("the text COPY writer does not support " +
                                     a.type->ToString());
  }
}

}  // namespace

Status AppendCopyTextEscaped(std::string_view value, arrow::ByteBuffer* out) {
  if (!value.empty() && std::memchr(value.data(), 0, value.size()) != nullptr) {
    return Status::InvalidArgument("text contains a NUL byte");
  }
  // Worst case every byte doubles.
  RB_RETURN_NOT_OK(out->Reserve(out->size() + 2 * static_cast<std::int64_t>(value.size())));
  std::size_t run = 0;  // start of the pending unescaped run
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char e = EscapeFor(static_cast<unsigned char>(value[i]));
    if (e == 0) continue;
    out->UnsafeAppend(value.data() + run, static_cast<std::int64_t>(i - run));
    const char seq[2] = {'\\', e};
    out->UnsafeAppend(seq, 2);
    run = i + 1;
  }
  out->UnsafeAppend(value.data() + run, static_cast<std::int64_t>(value.size() - run));
  return Status::OK();
}

Status AppendCopyTextRow(const arrow::RecordBatch& batch, std::int64_t row,
                         arrow::ByteBuffer* out) {
  const std::int64_t start = out->size();
  for (int c = 0; c < batch.num_columns(); ++c) {
    Status st;
    if (c > 0) st = out->Append("\t", 1);
    const arrow::ArrayView& a = batch.column(c);
    if (st.ok()) {
      st = a.IsNull(row) ? out->Append(kCopyTextNull.data(), 2) : AppendValue(a, row, out);
    }
    if (!st.ok()) {
      out->UnsafeSetSize(start);
      return st.WithContext("column " + batch.schema().field(c).name());
    }
  }
  return out->Append("\n", 1);
}

}  // namespace rapidbyte::pgwire
