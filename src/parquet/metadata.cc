// Thrift compact serialisation of the footer and page headers. Field ids are parquet.thrift's;
// each function writes one struct's fields in id order.
#include "parquet/format.h"
#include "parquet/thrift_compact.h"

namespace rapidbyte::parquet {
namespace {

using thrift::CompactWriter;
using thrift::CType;

int32_t I32(auto e) { return static_cast<int32_t>(e); }

// An empty struct as a union member (StringType, DateType, ...).
void EmptyMember(CompactWriter& w, int16_t id) {
  w.FieldStruct(id);
  w.EndStruct();
}

void WriteTimeLike(CompactWriter& w, const LogicalType& t) {
  w.FieldStruct(static_cast<int16_t>(t.kind));
  w.FieldBool(1, t.adjusted_to_utc);
  w.FieldStruct(2);  // TimeUnit union
  EmptyMember(w, static_cast<int16_t>(t.unit));
  w.EndStruct();
  w.EndStruct();
}

void WriteLogicalType(CompactWriter& w, const LogicalType& t) {
  w.FieldStruct(10);
  const auto id = static_cast<int16_t>(t.kind);
  switch (t.kind) {
    case LogicalType::Kind::kDecimal:
      w.FieldStruct(id);
      w.FieldI32(1, t.scale);
      w.FieldI32(2, t.precision);
      w.EndStruct();
      break;
    case LogicalType::Kind::kTime:
    case LogicalType::Kind::kTimestamp: WriteTimeLike(w, t); break;
    case LogicalType::Kind::kInteger:
      w.FieldStruct(id);
      w.FieldI8(1, t.bit_width);
      w.FieldBool(2, t.is_signed);
      w.EndStruct();
      break;
    default: EmptyMember(w, id); break;
  }
  w.EndStruct();
}

void WriteSchemaElement(CompactWriter& w, const SchemaElement& e) {
  w.BeginStruct();
  if (e.type) w.FieldI32(1, I32(*e.type));
  if (e.type_length > 0) w.FieldI32(2, e.type_length);
  if (e.repetition) w.FieldI32(3, I32(*e.repetition));
  w.FieldBinary(4, e.name);
  if (e.num_children >= 0) w.FieldI32(5, e.num_children);
  if (e.converted_type) w.FieldI32(6, I32(*e.converted_type));
  if (e.scale >= 0) w.FieldI32(7, e.scale);
  if (e.precision >= 0) w.FieldI32(8, e.precision);
  if (e.logical_type.kind != LogicalType::Kind::kNone) WriteLogicalType(w, e.logical_type);
  w.EndStruct();
}

void WriteStatistics(CompactWriter& w, const Statistics& s) {
  w.FieldStruct(12);
  w.FieldI64(3, s.null_count);
  if (s.max_value) w.FieldBinary(5, *s.max_value);
  if (s.min_value) w.FieldBinary(6, *s.min_value);
  w.EndStruct();
}

void WriteColumnMetaData(CompactWriter& w, const ColumnMetaData& m) {
  w.FieldStruct(3);
  w.FieldI32(1, I32(m.type));
  w.FieldList(2, CType::kI32, static_cast<int64_t>(m.encodings.size()));
  for (Encoding e : m.encodings) w.I32(I32(e));
  w.FieldList(3, CType::kBinary, static_cast<int64_t>(m.path_in_schema.size()));
  for (const std::string& p : m.path_in_schema) w.Binary(p);
  w.FieldI32(4, I32(m.codec));
  w.FieldI64(5, m.num_values);
  w.FieldI64(6, m.total_uncompressed_size);
  w.FieldI64(7, m.total_compressed_size);
  w.FieldI64(9, m.data_page_offset);
  if (m.dictionary_page_offset) w.FieldI64(11, *m.dictionary_page_offset);
  WriteStatistics(w, m.statistics);
  w.EndStruct();
}

void WriteRowGroup(CompactWriter& w, const RowGroup& g) {
  w.BeginStruct();
  w.FieldList(1, CType::kStruct, static_cast<int64_t>(g.columns.size()));
  for (const ColumnChunk& c : g.columns) {
    w.BeginStruct();
    w.FieldI64(2, c.file_offset);
    WriteColumnMetaData(w, c.meta_data);
    w.EndStruct();
  }
  w.FieldI64(2, g.total_byte_size);
  w.FieldI64(3, g.num_rows);
  w.FieldI64(5, g.file_offset);
  w.FieldI64(6, g.total_compressed_size);
  w.FieldI16(7, g.ordinal);
  w.EndStruct();
}

}  // namespace

void SerializeFileMetaData(const FileMetaData& meta, std::string* out) {
  CompactWriter w(out);
  w.BeginStruct();
  w.FieldI32(1, meta.version);
  w.FieldList(2, CType::kStruct, static_cast<int64_t>(meta.schema.size()));
  for (const SchemaElement& e : meta.schema) WriteSchemaElement(w, e);
  w.FieldI64(3, meta.num_rows);
  w.FieldList(4, CType::kStruct, static_cast<int64_t>(meta.row_groups.size()));
  for (const RowGroup& g : meta.row_groups) WriteRowGroup(w, g);
  if (!meta.key_value_metadata.empty()) {
    w.FieldList(5, CType::kStruct, static_cast<int64_t>(meta.key_value_metadata.size()));
    for (const KeyValue& kv : meta.key_value_metadata) {
      w.BeginStruct();
      w.FieldBinary(1, kv.key);
      w.FieldBinary(2, kv.value);
      w.EndStruct();
    }
  }
  w.FieldBinary(6, meta.created_by);
  w.FieldList(7, CType::kStruct, meta.num_leaf_columns);
  for (int32_t i = 0; i < meta.num_leaf_columns; ++i) {
    w.BeginStruct();  // ColumnOrder union: TYPE_ORDER
    EmptyMember(w, 1);
    w.EndStruct();
  }
  w.EndStruct();
}

void SerializePageHeader(const PageHeader& h, std::string* out) {
  CompactWriter w(out);
  w.BeginStruct();
  w.FieldI32(1, I32(h.type));
  w.FieldI32(2, h.uncompressed_page_size);
  w.FieldI32(3, h.compressed_page_size);
  if (h.type == PageType::kDataPage) {
    w.FieldStruct(5);
    w.FieldI32(1, h.num_values);
    w.FieldI32(2, I32(h.encoding));
    w.FieldI32(3, I32(Encoding::kRle));  // definition levels
    w.FieldI32(4, I32(Encoding::kRle));  // repetition levels
    w.EndStruct();
  } else {
    w.FieldStruct(7);
    w.FieldI32(1, h.num_values);
    w.FieldI32(2, I32(h.encoding));
    w.EndStruct();
  }
  w.EndStruct();
}

}  // namespace rapidbyte::parquet
