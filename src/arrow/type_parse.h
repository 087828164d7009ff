// Reading a type back from its canonical spelling (DataType::ToString, SPEC §9.1), e.g. a
// catalog column's `data_type` (`timestamp[us, UTC]`, `decimal128(12, 4)`, `list<int32>`).
// The text is untrusted: every parameter is range-checked (DataType::Validate) and nesting
// is bounded. Portable.
#pragma once

#include <string_view>

#include "arrow/type.h"
#include "base/result.h"

namespace rapidbyte::arrow {

/// The type `text` spells, or InvalidArgument naming the text.
Result<DataType> ParseDataType(std::string_view text);

}  // namespace rapidbyte::arrow
