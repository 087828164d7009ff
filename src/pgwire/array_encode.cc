// Arrow list<T> -> PostgreSQL one-dimensional array (array_recv format), and the check for
// columns that need the text COPY format.
#include "pgwire/value_encode_internal.h"

namespace rapidbyte::pgwire {

bool RequiresTextFormat(const arrow::DataType& type, const TargetColumn& target) {
  if (type.id() == arrow::TypeId::kList) {
    return RequiresTextFormat(type.item_type(), TargetColumn{target.elem_oid, 0, {}});
  }
  return encode_internal::IsTextInputOnly(type, target);
}

namespace encode_internal {

bool EncodeList(const arrow::ArrayView& array, std::int64_t i, EncodeContext& ctx,
                arrow::ByteBuffer* out) {
  const arrow::ListArray list(array);
  const std::int64_t start = list.value_offset(i);
  const std::int64_t count = list.value_length(i);
  const arrow::ArrayView& items = list.values();
  if (count > 0x7FFFFFF) return Fail(ctx, Status::OutOfRange("array with too many elements"));
  bool has_null = false;
  for (std::int64_t j = 0; j < count && !has_null; ++j) has_null = items.IsNull(start + j);
  const std::int64_t length_at = out->size();
  const std::int64_t header = count == 0 ? 12 : 20;
  std::uint8_t* p = Extend(out, 4 + header, ctx);
  if (p == nullptr) return false;
  StoreBe32(p + 4, count == 0 ? 0 : 1);  // ndim
  StoreBe32(p + 8, has_null ? 1 : 0);
  StoreBe32(p + 12, ctx.elem_oid);
  if (count > 0) {
    StoreBe32(p + 16, static_cast<std::uint32_t>(count));
    StoreBe32(p + 20, 1);  // lower bound
  }
  for (std::int64_t j = 0; j < count; ++j) {
    if (items.IsNull(start + j)) {
      std::uint8_t* q = Extend(out, 4, ctx);
      if (q == nullptr) return false;
      StoreBe32(q, 0xFFFFFFFFu);
      continue;
    }
    if (!ctx.element(items, start + j, ctx, out)) return false;
  }
  const std::int64_t length = out->size() - length_at - 4;
  if (length > 0x3FFFFFFF) return Fail(ctx, Status::OutOfRange("array larger than 1 GiB"));
  StoreBe32(out->data() + length_at, static_cast<std::uint32_t>(length));
  return true;
}

}  // namespace encode_internal
}  // namespace rapidbyte::pgwire
