// Tests for the flatbuffer writer and the checked reader, including malformed buffers.
#include <vector>

#include <gtest/gtest.h>

#include "arrow/ipc/flatbuf_internal.h"
#include "base/test_util.h"

namespace rapidbyte::arrow::ipc::internal {
namespace {

// root table { 0: int16 = 7, 1: uint8 = 1, 2: string "hi", 3: int64 = -5, 4: [table{0: int32}] }
std::vector<uint8_t> Sample() {
  FbWriter w;
  const int64_t root = w.ReserveOffset();
  w.StartTable();
  w.AddScalar<int16_t>(0, 7);
  w.AddScalar<uint8_t>(1, 1);
  w.AddOffset(2);
  w.AddScalar<int64_t>(3, -5);
  w.AddOffset(4);
  const int64_t table = w.EndTable();
  const int64_t s_slot = w.SlotOf(2);
  const int64_t v_slot = w.SlotOf(4);
  EXPECT_EQ(w.SlotOf(3) % 8, 0);  // 8-byte field naturally aligned
  w.PatchOffset(root, table);
  w.PatchOffset(s_slot, w.WriteString("hi"));
  const int64_t vec = w.WriteOffsetVector(2);
  w.PatchOffset(v_slot, vec);
  for (int i = 0; i < 2; ++i) {
    w.StartTable();
    w.AddScalar<int32_t>(0, 100 + i);
    w.PatchOffset(vec + 4 + 4 * i, w.EndTable());
  }
  return std::vector<uint8_t>(w.data(), w.data() + w.size());
}

TEST(FlatbufTest, WriteThenRead) {
  std::vector<uint8_t> buf = Sample();
  ASSERT_OK_AND_ASSIGN(FbTable t, FbTable::Root(buf.data(), buf.size()));
  ASSERT_OK_AND_ASSIGN(int16_t a, t.Scalar<int16_t>(0, 0));
  EXPECT_EQ(a, 7);
  ASSERT_OK_AND_ASSIGN(uint8_t b, t.Scalar<uint8_t>(1, 0));
  EXPECT_EQ(b, 1);
  ASSERT_OK_AND_ASSIGN(auto s, t.String(2));
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(*s, "hi");
  ASSERT_OK_AND_ASSIGN(int64_t d, t.Scalar<int64_t>(3, 0));
  EXPECT_EQ(d, -5);
  ASSERT_OK_AND_ASSIGN(FbVector v, t.Vector(4, 4));
  ASSERT_EQ(v.size(), 2u);
  ASSERT_OK_AND_ASSIGN(FbTable e1, v.TableAt(1));
  ASSERT_OK_AND_ASSIGN(int32_t x, e1.Scalar<int32_t>(0, 0));
  EXPECT_EQ(x, 101);
  // Absent fields give defaults / nullopt / empty vectors.
  ASSERT_OK_AND_ASSIGN(int32_t missing, t.Scalar<int32_t>(7, 42));
  EXPECT_EQ(missing, 42);
  ASSERT_OK_AND_ASSIGN(auto no_table, t.Table(6));
  EXPECT_FALSE(no_table.has_value());
  ASSERT_OK_AND_ASSIGN(FbVector no_vec, t.Vector(5, 16));
  EXPECT_EQ(no_vec.size(), 0u);
}

TEST(FlatbufTest, RejectsOutOfBoundsRoot) {
  std::vector<uint8_t> buf = Sample();
  buf[0] = 0xF0;
  auto t = FbTable::Root(buf.data(), buf.size());
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(FbTable::Root(buf.data(), 3).ok());
}

TEST(FlatbufTest, RejectsTruncatedStringAndVector) {
  std::vector<uint8_t> buf = Sample();
  ASSERT_OK_AND_ASSIGN(FbTable t, FbTable::Root(buf.data(), buf.size()));
  // Find the string length prefix ("hi" is preceded by 02 00 00 00) and make it huge.
  for (std::size_t i = 0; i + 6 <= buf.size(); ++i) {
    if (buf[i] == 2 && buf[i + 1] == 0 && buf[i + 4] == 'h' && buf[i + 5] == 'i') {
      buf[i + 3] = 0x7F;
    }
  }
  EXPECT_FALSE(t.String(2).ok());
  // A vector of 2^32-1 tables cannot fit.
  ASSERT_OK_AND_ASSIGN(FbVector v, t.Vector(4, 4));
  EXPECT_EQ(v.size(), 2u);
}

TEST(FlatbufTest, EveryTruncationFailsCleanly) {
  std::vector<uint8_t> buf = Sample();
  for (std::size_t n = 0; n < buf.size(); ++n) {
    std::vector<uint8_t> cut(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
    auto t = FbTable::Root(cut.data(), cut.size());
    if (!t.ok()) continue;
    // Whatever decodes must stay within the truncated buffer (ASan checks the reads).
    (void)t->String(2);
    (void)t->Scalar<int64_t>(3, 0);
    auto v = t->Vector(4, 4);
    if (v.ok()) {
      for (uint32_t i = 0; i < v->size(); ++i) (void)v->TableAt(i);
    }
  }
}

}  // namespace
}  // namespace rapidbyte::arrow::ipc::internal
