// Tests for RecordBatchBuilder: typed column access, finishing, errors, reuse.
#include "arrow/record_batch_builder.h"

#include <gtest/gtest.h>

#include "base/test_util.h"

namespace rapidbyte::arrow {
namespace {

std::shared_ptr<const Schema> TwoColumns() {
  return std::make_shared<const Schema>(std::vector<Field>{
      Field("id", DataType::Int64(), /*nullable=*/false), Field("name", DataType::Utf8())});
}

TEST(RecordBatchBuilderTest, BuildsAndResets) {
  ASSERT_OK_AND_ASSIGN(auto rbb, RecordBatchBuilder::Make(TwoColumns()));
  auto* id = rbb->column_as<Int64Builder>(0);
  auto* name = rbb->column_as<StringBuilder>(1);
  ASSERT_NE(id, nullptr);
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(rbb->column_as<Int32Builder>(0), nullptr);
  ASSERT_OK(rbb->Reserve(10));
  for (int i = 0; i < 10; ++i) {
    id->AppendUnchecked(i);
    if (i == 4) {
      name->AppendNullUnchecked();
    } else {
      ASSERT_OK(name->Append("row" + std::to_string(i)));
    }
  }
  EXPECT_EQ(rbb->num_rows(), 10);
  EXPECT_EQ(rbb->BufferBytes(), id->BufferBytes() + name->BufferBytes());
  ASSERT_OK_AND_ASSIGN(RecordBatch batch, rbb->Finish());
  EXPECT_EQ(batch.num_rows(), 10);
  EXPECT_EQ(&batch.schema(), &rbb->schema());
  EXPECT_EQ(batch.column(0).type, &rbb->schema().field(0).type());
  EXPECT_EQ(StringArray(batch.column(1)).GetView(9), "row9");
  EXPECT_TRUE(batch.column(1).IsNull(4));

  rbb->Reset();
  EXPECT_EQ(rbb->num_rows(), 0);
  EXPECT_GE(id->capacity(), 10);
  ASSERT_OK_AND_ASSIGN(RecordBatch empty, rbb->Finish());
  EXPECT_EQ(empty.num_rows(), 0);
}

TEST(RecordBatchBuilderTest, FinishRejectsRaggedColumns) {
  ASSERT_OK_AND_ASSIGN(auto rbb, RecordBatchBuilder::Make(TwoColumns()));
  ASSERT_OK(rbb->column_as<Int64Builder>(0)->Append(1));
  auto result = rbb->Finish();
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("column 'name' has 0 values"), std::string::npos)
      << result.status().ToString();
}

TEST(RecordBatchBuilderTest, FinishRejectsNullsInNonNullableColumns) {
  ASSERT_OK_AND_ASSIGN(auto rbb, RecordBatchBuilder::Make(TwoColumns()));
  ASSERT_OK(rbb->column(0)->AppendNull());
  ASSERT_OK(rbb->column(1)->AppendNull());
  auto result = rbb->Finish();
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("non-nullable column 'id'"), std::string::npos);
}

TEST(RecordBatchBuilderTest, MakeRejectsInvalidTypes) {
  auto schema = std::make_shared<const Schema>(
      std::vector<Field>{Field("bad", DataType::FixedSizeBinary(0))});
  auto result = RecordBatchBuilder::Make(schema);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("field 'bad'"), std::string::npos);
}

}  // namespace
}  // namespace rapidbyte::arrow
