// Arrow arrays -> levels and values (Dremel shredding for one optional level and the 3-level
// LIST). Definition levels count the defined ancestors: for a nullable list of nullable
// items, 0 = null list, 1 = empty list, 2 = null item, 3 = item.
#include "parquet/column_writer.h"
#include "parquet/values.h"

namespace rapidbyte::parquet {

Status ColumnWriter::WriteArray(const arrow::ArrayView& array, int64_t begin, int64_t end) {
  return col_.is_list ? WriteList(array, begin, end) : WriteFlat(array, begin, end);
}

Status ColumnWriter::WriteFlat(const arrow::ArrayView& array, int64_t begin, int64_t end) {
  const auto max_def = static_cast<uint32_t>(col_.max_def);
  for (int64_t i = begin; i < end; ++i) {
    if (array.null_count != 0 && array.IsNull(i)) {
      RB_RETURN_NOT_OK(Add(0, 0, {}));
    } else {
      RB_RETURN_NOT_OK(Add(0, max_def, PhysicalValue(array, i, col_, &scratch_)));
    }
  }
  return Status::OK();
}

Status ColumnWriter::WriteList(const arrow::ArrayView& array, int64_t begin, int64_t end) {
  const arrow::ListArray list(array);
  const arrow::ArrayView& items = list.values();
  const auto max_def = static_cast<uint32_t>(col_.max_def);
  const uint32_t empty_def = col_.list_nullable ? 1 : 0;
  for (int64_t i = begin; i < end; ++i) {
    if (array.null_count != 0 && list.IsNull(i)) {
      RB_RETURN_NOT_OK(Add(0, 0, {}));
      continue;
    }
    const int64_t first = list.value_offset(i);
    const int64_t last = list.value_offset(i + 1);
    if (first == last) RB_RETURN_NOT_OK(Add(0, empty_def, {}));
    for (int64_t j = first; j < last; ++j) {
      const uint32_t rep = j == first ? 0 : 1;
      if (items.null_count != 0 && items.IsNull(j)) {
        RB_RETURN_NOT_OK(Add(rep, max_def - 1, {}));
      } else {
        RB_RETURN_NOT_OK(Add(rep, max_def, PhysicalValue(items, j, col_, &scratch_)));
      }
    }
  }
  return Status::OK();
}

}  // namespace rapidbyte::parquet
