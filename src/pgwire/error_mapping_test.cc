// Tests for SQLSTATE and status classification (SPEC §7.7, §8.8).
#include "pgwire/error_mapping.h"

#include <gtest/gtest.h>

#include "pgwire/server_error.h"

namespace rapidbyte::pgwire {
namespace {

struct Case {
  const char* sqlstate;
  ErrorCategory category;
  const char* code;
  bool retryable;
};

TEST(ErrorMappingTest, SqlStateTable) {
  const Case cases[] = {
      {"28P01", ErrorCategory::kAuth, "AUTH_FAILED", false},
      {"28000", ErrorCategory::kAuth, "AUTH_FAILED", false},
      {"42501", ErrorCategory::kPermission, "PERMISSION_DENIED", false},
      {"42P01", ErrorCategory::kConfig, "TABLE_NOT_FOUND", false},
      {"3F000", ErrorCategory::kConfig, "TABLE_NOT_FOUND", false},
      {"42703", ErrorCategory::kConfig, "COLUMN_NOT_FOUND", false},
      {"3D000", ErrorCategory::kConfig, "DATABASE_NOT_FOUND", false},
      {"08006", ErrorCategory::kTransientNetwork, "CONNECTION_LOST", true},
      {"57P01", ErrorCategory::kTransientNetwork, "CONNECTION_LOST", true},
      {"57P03", ErrorCategory::kTransientNetwork, "CONNECTION_LOST", true},
      {"40001", ErrorCategory::kTransientDb, "SERIALIZATION_FAILURE", true},
      {"40P01", ErrorCategory::kTransientDb, "DEADLOCK", true},
      {"53300", ErrorCategory::kTransientDb, "SERVER_BUSY", true},
      {"57014", ErrorCategory::kTransientDb, "QUERY_CANCELED", true},
      {"22012", ErrorCategory::kData, "DATA_ERROR", false},
      {"23505", ErrorCategory::kData, "DATA_ERROR", false},
      {"42804", ErrorCategory::kSchema, "TYPE_MISMATCH", false},
      {"25006", ErrorCategory::kConfig, "DESTINATION_READ_ONLY", false},
      {"42601", ErrorCategory::kInternal, "QUERY_FAILED", false},
      {"XX000", ErrorCategory::kInternal, "QUERY_FAILED", false},
      {"", ErrorCategory::kInternal, "QUERY_FAILED", false},
  };
  for (const Case& c : cases) {
    const ErrorClass cls = ClassifySqlState(c.sqlstate);
    EXPECT_EQ(cls.category, c.category) << c.sqlstate;
    EXPECT_EQ(cls.code, c.code) << c.sqlstate;
    EXPECT_EQ(cls.retryable, c.retryable) << c.sqlstate;
  }
  EXPECT_EQ(ClassifySqlState("53300").backoff, BackoffClass::kSlow);
  EXPECT_EQ(ClassifySqlState("40001").backoff, BackoffClass::kNormal);
}

TEST(ErrorMappingTest, CancelRequestedTurnsQueryCanceledIntoCancelled) {
  const ErrorClass cls = ClassifySqlState("57014", ClassifyOptions{true});
  EXPECT_EQ(cls.category, ErrorCategory::kCancelled);
  EXPECT_FALSE(cls.retryable);
}

TEST(ErrorMappingTest, ClassifyStatusUsesDetailsThenCodes) {
  ServerErrorFields fields;
  fields.sqlstate = "40P01";
  fields.message = "deadlock detected";
  EXPECT_EQ(ClassifyStatus(ServerErrorStatus(fields)).code, "DEADLOCK");
  const Status tls = ClientFailure(ErrorCategory::kConfig, kCodeTlsFailed, "no TLS");
  EXPECT_EQ(tls.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(ClassifyStatus(tls).code, "TLS_FAILED");
  EXPECT_EQ(ClassifyStatus(tls).category, ErrorCategory::kConfig);
  EXPECT_EQ(ClassifyStatus(Status::DeadlineExceeded("slow")).code, "TIMEOUT");
  EXPECT_EQ(ClassifyStatus(Status::DataLoss("bad bytes")).code, "PROTOCOL_ERROR");
  EXPECT_EQ(ClassifyStatus(Status::Cancelled("stop")).category, ErrorCategory::kCancelled);
  EXPECT_EQ(ErrorCategoryName(ErrorCategory::kTransientNetwork), "transient_network");
}

}  // namespace
}  // namespace rapidbyte::pgwire
