// Thrift compact protocol: field header = (id delta << 4) | type when the delta is 1..15,
// otherwise the type byte followed by the zigzag varint id; booleans live in the type nibble.
#include "parquet/thrift_compact.h"

#include "parquet/varint.h"

namespace rapidbyte::parquet::thrift {

void CompactWriter::EndStruct() {
  out_->push_back('\0');
  last_ids_.pop_back();
}

void CompactWriter::Varint(uint64_t v) { AppendVarint(v, out_); }

void CompactWriter::FieldHeader(int16_t id, CType type) {
  int16_t& last = last_ids_.back();
  const int delta = id - last;
  const auto nibble = static_cast<uint8_t>(type);
  if (delta > 0 && delta <= 15) {
    out_->push_back(static_cast<char>((delta << 4) | nibble));
  } else {
    out_->push_back(static_cast<char>(nibble));
    Varint(ZigZag(id));
  }
  last = id;
}

void CompactWriter::FieldI8(int16_t id, int8_t v) {
  FieldHeader(id, CType::kByte);
  out_->push_back(static_cast<char>(v));
}

void CompactWriter::FieldI16(int16_t id, int16_t v) {
  FieldHeader(id, CType::kI16);
  Varint(ZigZag(v));
}

void CompactWriter::FieldI32(int16_t id, int32_t v) {
  FieldHeader(id, CType::kI32);
  Varint(ZigZag(v));
}

void CompactWriter::FieldI64(int16_t id, int64_t v) {
  FieldHeader(id, CType::kI64);
  Varint(ZigZag(v));
}

void CompactWriter::FieldBool(int16_t id, bool v) {
  FieldHeader(id, v ? CType::kBoolTrue : CType::kBoolFalse);
}

void CompactWriter::FieldBinary(int16_t id, std::string_view v) {
  FieldHeader(id, CType::kBinary);
  Binary(v);
}

void CompactWriter::Binary(std::string_view v) {
  Varint(v.size());
  out_->append(v);
}

void CompactWriter::ListHeader(CType element, int64_t size) {
  const auto nibble = static_cast<uint8_t>(element);
  if (size < 15) {
    out_->push_back(static_cast<char>((size << 4) | nibble));
  } else {
    out_->push_back(static_cast<char>(0xf0 | nibble));
    Varint(static_cast<uint64_t>(size));
  }
}

}  // namespace rapidbyte::parquet::thrift
