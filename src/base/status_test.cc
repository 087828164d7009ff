#include "base/status.h"

#include <gtest/gtest.h>

#include "base/result.h"
#include "base/test_util.h"

namespace rapidbyte {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.message(), "");
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, ErrorCarriesCodeAndMessage) {
  Status s = Status::InvalidArgument("bad port");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "bad port");
  EXPECT_EQ(s.ToString(), "InvalidArgument: bad port");
}

TEST(StatusTest, CopyIsDeep) {
  Status a = Status::NotFound("x");
  Status b = a;
  a = Status::OK();
  EXPECT_TRUE(a.ok());
  EXPECT_EQ(b.code(), StatusCode::kNotFound);
  EXPECT_EQ(b.message(), "x");
}

TEST(StatusTest, OkCodeWithMessageIsOk) {
  Status s(StatusCode::kOk, "ignored");
  EXPECT_TRUE(s.ok());
}

TEST(StatusTest, WithContextPrefixesMessage) {
  EXPECT_EQ(Status::Unavailable("refused").WithContext("connect").message(), "connect: refused");
  EXPECT_TRUE(Status::OK().WithContext("ctx").ok());
}

struct SqlDetail : StatusDetail {
  explicit SqlDetail(std::string s) : sqlstate(std::move(s)) {}
  std::string_view type_id() const override { return "test::SqlDetail"; }
  std::string ToString() const override { return "sqlstate " + sqlstate; }
  std::string sqlstate;
};

TEST(StatusTest, DetailTravelsWithCopiesAndContext) {
  Status s = Status::Unavailable("lost").WithDetail(std::make_shared<SqlDetail>("08006"));
  ASSERT_NE(s.detail(), nullptr);
  EXPECT_EQ(s.detail()->type_id(), "test::SqlDetail");
  Status copy = s.WithContext("COPY");
  ASSERT_NE(copy.detail(), nullptr);
  EXPECT_EQ(static_cast<const SqlDetail&>(*copy.detail()).sqlstate, "08006");
  EXPECT_EQ(copy.message(), "COPY: lost");
  EXPECT_EQ(Status::OK().WithDetail(std::make_shared<SqlDetail>("x")).detail(), nullptr);
  EXPECT_EQ(Status::Internal("x").detail(), nullptr);
}

Status FailIf(bool fail) { return fail ? Status::Aborted("failed") : Status::OK(); }

Status Propagate(bool fail, int* reached) {
  RB_RETURN_NOT_OK(FailIf(fail));
  *reached = 1;
  return Status::OK();
}

TEST(StatusTest, ReturnNotOkPropagates) {
  int reached = 0;
  EXPECT_EQ(Propagate(true, &reached).code(), StatusCode::kAborted);
  EXPECT_EQ(reached, 0);
  EXPECT_OK(Propagate(false, &reached));
  EXPECT_EQ(reached, 1);
}

Result<int> Half(int x) {
  if (x % 2 != 0) return Status::InvalidArgument("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  RB_ASSIGN_OR_RETURN(int h, Half(x));
  RB_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

TEST(ResultTest, ValueAndError) {
  Result<int> ok = Half(8);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 4);
  EXPECT_TRUE(ok.status().ok());
  Result<int> err = Half(3);
  EXPECT_FALSE(err.ok());
  EXPECT_EQ(err.status().message(), "odd");
  EXPECT_EQ(err.ValueOr(-1), -1);
}

TEST(ResultTest, AssignOrReturnPropagates) {
  ASSERT_OK_AND_ASSIGN(int q, Quarter(8));
  EXPECT_EQ(q, 2);
  EXPECT_EQ(Quarter(6).status().message(), "odd");
}

TEST(ResultTest, FromOkStatusIsInternalError) {
  Result<int> r{Status::OK()};
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
}

TEST(ResultTest, MoveOnlyValue) {
  Result<std::unique_ptr<int>> r(std::make_unique<int>(7));
  ASSERT_TRUE(r.ok());
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 7);
}

TEST(ResultDeathTest, ValueOfErrorAborts) {
  Result<int> r(Status::Internal("boom"));
  EXPECT_DEATH({ (void)r.value(); }, "");
}

}  // namespace
}  // namespace rapidbyte
