// GoogleTest helpers for Status and Result (host tests only).
#pragma once

#include <gtest/gtest.h>

#include "base/result.h"
#include "base/status.h"

#define ASSERT_OK(expr)                                      \
  do {                                                       \
    ::rapidbyte::Status rb_s_ = (expr);                      \
    ASSERT_TRUE(rb_s_.ok()) << #expr << ": " << rb_s_.ToString(); \
  } while (false)

#define EXPECT_OK(expr)                                      \
  do {                                                       \
    ::rapidbyte::Status rb_s_ = (expr);                      \
    EXPECT_TRUE(rb_s_.ok()) << #expr << ": " << rb_s_.ToString(); \
  } while (false)

#define RB_ASSERT_OK_AND_ASSIGN_IMPL_(tmp, lhs, expr)                     \
  auto tmp = (expr);                                                     \
  ASSERT_TRUE(tmp.ok()) << #expr << ": " << tmp.status().ToString();     \
  lhs = tmp.MoveValueUnsafe()

#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
  RB_ASSERT_OK_AND_ASSIGN_IMPL_(RB_CONCAT_(rb_test_result_, __LINE__), lhs, expr)
