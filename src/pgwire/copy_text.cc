// COPY text format: value escaping and the row encoder (binary tuple -> text line).
#include "pgwire/copy_text.h"

#include <cstring>

#include "pgwire/type_map.h"
#include "pgwire/wire_buffer.h"

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

// The column the binary encoder writes: text (or text[]) for values that reach their column
// only through the type's text input, the column itself otherwise.
TargetColumn BinaryTarget(const arrow::DataType& type, const TargetColumn& target) {
  if (!RequiresTextFormat(type, target)) return target;
  if (target.elem_oid != 0) return TargetColumn{oid::kTextArray, oid::kText, "_text"};
  return TargetColumn{oid::kText, 0, "text"};
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

Result<CopyTextEncoder> CopyTextEncoder::Make(const arrow::Schema& schema,
                                              const std::vector<TargetColumn>& targets) {
  if (targets.size() != static_cast<std::size_t>(schema.num_fields())) {
    return Status::InvalidArgument("text COPY: " + std::to_string(schema.num_fields()) +
                                   " fields but " + std::to_string(targets.size()) + " columns");
  }
  std::vector<TargetColumn> binary_targets;
  for (int i = 0; i < schema.num_fields(); ++i) {
    binary_targets.push_back(
        BinaryTarget(schema.field(i).type(), targets[static_cast<std::size_t>(i)]));
  }
  // The binary encoder first, so an unsupported pair fails with its message.
  RB_ASSIGN_OR_RETURN(CopyBinaryEncoder binary, CopyBinaryEncoder::Make(schema, binary_targets));
  std::vector<BinaryToText> printers;
  std::vector<std::string> names;
  for (int i = 0; i < schema.num_fields(); ++i) {
    const arrow::Field& field = schema.field(i);
    auto printer = BinaryToText::For(binary_targets[static_cast<std::size_t>(i)]);
    if (!printer.ok()) return printer.status().WithContext("field " + field.name());
    printers.push_back(*printer);
    names.push_back(field.name());
  }
  return CopyTextEncoder(std::move(binary), std::move(printers), std::move(names));
}

CopyTextEncoder::CopyTextEncoder(CopyBinaryEncoder binary, std::vector<BinaryToText> printers,
                                 std::vector<std::string> names)
    : binary_(std::move(binary)), printers_(std::move(printers)), names_(std::move(names)) {}

Status CopyTextEncoder::EncodeRow(const arrow::RecordBatch& batch, std::int64_t row,
                                  arrow::ByteBuffer* out) {
  tuple_.Clear();
  RB_RETURN_NOT_OK(binary_.EncodeRow(batch, row, &tuple_));
  const std::int64_t start = out->size();
  Status st = AppendTuple(out);
  if (!st.ok()) out->UnsafeSetSize(start);
  return st;
}

// tuple_: int16 field count, then per field an int32 length (-1: NULL) and the bytes.
Status CopyTextEncoder::AppendTuple(arrow::ByteBuffer* out) {
  const std::uint8_t* p = tuple_.data();
  const std::uint8_t* const end = p + tuple_.size();
  if (end - p < 2 || LoadU16(p) != printers_.size()) {
    return Status::Internal("text COPY: unexpected binary tuple");
  }
  p += 2;
  for (std::size_t c = 0; c < printers_.size(); ++c) {
    if (c > 0) RB_RETURN_NOT_OK(out->Append("\t", 1));
    if (end - p < 4) return Status::Internal("text COPY: truncated binary tuple");
    const auto len = static_cast<std::int32_t>(LoadU32(p));
    p += 4;
    if (len == -1) {
      RB_RETURN_NOT_OK(out->Append(kCopyTextNull.data(), 2));
      continue;
    }
    if (len < 0 || end - p < len) return Status::Internal("text COPY: truncated binary tuple");
    text_.clear();
    Status st = printers_[c].Append(
        std::string_view(reinterpret_cast<const char*>(p), static_cast<std::size_t>(len)), &text_);
    if (st.ok()) st = AppendCopyTextEscaped(text_, out);
    if (!st.ok()) return st.WithContext("column " + names_[c]);
    p += len;
  }
  return out->Append("\n", 1);
}

}  // namespace rapidbyte::pgwire
