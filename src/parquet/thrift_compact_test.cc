// Compact-protocol bytes compared with values computed by hand from the Thrift spec.
#include "parquet/thrift_compact.h"

#include <gtest/gtest.h>

#include "parquet/format.h"

namespace rapidbyte::parquet::thrift {
namespace {

std::string Bytes(std::initializer_list<int> b) {
  std::string s;
  for (int v : b) s.push_back(static_cast<char>(v));
  return s;
}

TEST(ThriftCompactTest, ZigZagAndVarints) {
  EXPECT_EQ(CompactWriter::ZigZag(0), 0u);
  EXPECT_EQ(CompactWriter::ZigZag(-1), 1u);
  EXPECT_EQ(CompactWriter::ZigZag(1), 2u);
  EXPECT_EQ(CompactWriter::ZigZag(-64), 127u);
  EXPECT_EQ(CompactWriter::ZigZag(INT64_MIN), UINT64_MAX);
  std::string out;
  CompactWriter w(&out);
  w.Varint(300);
  EXPECT_EQ(out, Bytes({0xac, 0x02}));
}

TEST(ThriftCompactTest, FieldsUseDeltasAndLongFormIds) {
  std::string out;
  CompactWriter w(&out);
  w.BeginStruct();
  w.FieldI32(1, 5);         // delta 1, i32: 0x15, zigzag 10
  w.FieldI64(2, -1);        // delta 1, i64: 0x16, zigzag 1
  w.FieldBinary(4, "ab");   // delta 2, binary: 0x28, length 2
  w.FieldBool(5, true);     // 0x11
  w.FieldBool(6, false);    // 0x12
  w.FieldI8(7, -2);         // 0x13, raw byte
  w.FieldI32(100, 1);       // delta 94: type byte 0x05, zigzag id 200 = 0xc8 0x01, value 2
  w.EndStruct();
  EXPECT_EQ(out, Bytes({0x15, 0x0a, 0x16, 0x01, 0x28, 0x02, 'a', 'b', 0x11, 0x12, 0x13, 0xfe,
                        0x05, 0xc8, 0x01, 0x02, 0x00}));
}

TEST(ThriftCompactTest, NestedStructsKeepTheirOwnIds) {
  std::string out;
  CompactWriter w(&out);
  w.BeginStruct();
  w.FieldStruct(3);   // 0x3c
  w.FieldI32(1, 1);   // 0x15 0x02
  w.EndStruct();      // 0x00
  w.FieldI32(4, 0);   // delta 1 from 3: 0x15 0x00
  w.EndStruct();
  EXPECT_EQ(out, Bytes({0x3c, 0x15, 0x02, 0x00, 0x15, 0x00, 0x00}));
}

TEST(ThriftCompactTest, ListHeaders) {
  std::string out;
  CompactWriter w(&out);
  w.BeginStruct();
  w.FieldList(1, CType::kI32, 3);  // 0x19, size 3 << 4 | 5
  for (int v : {0, -1, 1}) w.I32(v);
  w.FieldList(2, CType::kBinary, 20);  // 0x19, long form 0xf8 then size 20
  w.EndStruct();
  EXPECT_EQ(out, Bytes({0x19, 0x35, 0x00, 0x01, 0x02, 0x19, 0xf8, 0x14, 0x00}));
}

TEST(ThriftCompactTest, DataPageHeader) {
  std::string out;
  SerializePageHeader({.type = PageType::kDataPage, .uncompressed_page_size = 10,
                       .compressed_page_size = 10, .num_values = 3,
                       .encoding = Encoding::kRleDictionary},
                      &out);
  EXPECT_EQ(out, Bytes({0x15, 0x00, 0x15, 0x14, 0x15, 0x14,  // type, sizes
                        0x2c,                                // field 5: DataPageHeader
                        0x15, 0x06, 0x15, 0x10, 0x15, 0x06, 0x15, 0x06, 0x00, 0x00}));
}

TEST(ThriftCompactTest, DictionaryPageHeader) {
  std::string out;
  SerializePageHeader({.type = PageType::kDictionaryPage, .uncompressed_page_size = 1,
                       .compressed_page_size = 1, .num_values = 1},
                      &out);
  EXPECT_EQ(out, Bytes({0x15, 0x04, 0x15, 0x02, 0x15, 0x02,
                        0x4c,  // field 7 (delta 4): DictionaryPageHeader
                        0x15, 0x02, 0x15, 0x00, 0x00, 0x00}));
}

}  // namespace
}  // namespace rapidbyte::parquet::thrift
