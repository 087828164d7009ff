// COPY against a real server: about 1 GiB of binary COPY OUT streamed with bounded memory,
// a large binary COPY IN written in small pieces and batched by the connection, CopyFail, and
// an error raised in the middle of a COPY OUT.
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "base/test_util.h"
#include "pgwire/error_mapping.h"
#include "pgwire/server_error.h"
#include "pgwire/wire_buffer.h"
#include "tests/harness/pg_cluster_fixture.h"
#include "tests/pgwire/pg_session.h"

namespace rapidbyte::pgwire {
namespace {

using testing::OpenSession;
using testing::SessionOptions;

// Peak resident set size of this process in KiB (VmHWM), or -1.
long PeakRssKib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

constexpr char kCopySignature[] = "PGCOPY\n\377\r\n\0";

class PgwireCopyTest : public rapidbyte::testing::PgClusterTest {
 protected:
  void SetUp() override {
    PgClusterTest::SetUp();
    if (HasFatalFailure()) return;
    auto conn = OpenSession(*cluster(), SessionOptions());
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    conn_ = conn.MoveValueUnsafe();
  }
  std::unique_ptr<Connection> conn_;
};

TEST_F(PgwireCopyTest, OneGibibyteCopyOutWithBoundedMemory) {
  // Each tuple: 2 (field count) + 4 + 8 (int8) + 4 + 100 (text) = 118 bytes.
  constexpr std::uint64_t kRows = 9'100'000;
  constexpr std::uint64_t kExpectedBytes = 19 + kRows * 118 + 2;
  static_assert(kExpectedBytes > (1ULL << 30));
  const long rss_before = PeakRssKib();
  ASSERT_OK_AND_ASSIGN(
      CopyResponseMsg response,
      conn_->StartCopyOut("COPY (SELECT g::int8, repeat('x', 100) FROM "
                          "generate_series(1, " +
                          std::to_string(kRows) + ") g) TO STDOUT (FORMAT binary)"));
  EXPECT_EQ(response.overall, Format::kBinary);
  std::uint64_t bytes = 0;
  std::uint64_t chunks = 0;
  std::uint64_t id_sum = 0;
  Bytes chunk;
  while (true) {
    ASSERT_OK_AND_ASSIGN(bool more, conn_->NextCopyData(&chunk));
    if (!more) break;
    if (chunks == 0) {
      ASSERT_GE(chunk.size(), 19u);
      ASSERT_EQ(std::string(reinterpret_cast<const char*>(chunk.data()), 11),
                std::string(kCopySignature, 11));
    }
    // A data tuple is 118 bytes at the end of its chunk; add up the int8 column.
    if (chunk.size() >= 118 && LoadU32(chunk.data() + chunk.size() - 118 + 2) == 8) {
      id_sum += LoadU64(chunk.data() + chunk.size() - 118 + 6);
    }
    bytes += chunk.size();
    ++chunks;
  }
  EXPECT_EQ(bytes, kExpectedBytes);
  EXPECT_EQ(id_sum, kRows * (kRows + 1) / 2);
  EXPECT_EQ(conn_->last_command_tag(), "COPY " + std::to_string(kRows));
  EXPECT_LE(conn_->receive_buffer_capacity_for_test(), 1u << 20);
  const long growth_kib = PeakRssKib() - rss_before;
  EXPECT_LT(growth_kib, 64 * 1024) << "peak RSS grew by " << growth_kib << " KiB";
  EXPECT_TRUE(conn_->usable());
}

// Append one binary COPY tuple (int8 id, text payload).
void AppendTuple(std::int64_t id, const std::string& payload, std::vector<std::uint8_t>* out) {
  WireWriter w(out);
  w.PutI16(2);
  w.PutI32(8);
  w.PutU32(static_cast<std::uint32_t>(static_cast<std::uint64_t>(id) >> 32));
  w.PutU32(static_cast<std::uint32_t>(id));
  w.PutI32(static_cast<std::int32_t>(payload.size()));
  w.PutBytes(payload);
}

TEST_F(PgwireCopyTest, LargeCopyInInSmallPieces) {
  ASSERT_OK(conn_->Execute("CREATE TABLE c_in (id int8, payload text)"));
  ASSERT_OK(conn_->StartCopyIn("COPY c_in FROM STDIN (FORMAT binary)").status());
  std::vector<std::uint8_t> buf(kCopySignature, kCopySignature + 11);
  WireWriter(&buf).PutI32(0);
  WireWriter(&buf).PutI32(0);
  const std::string payload(200, 'p');
  constexpr std::int64_t kRows = 600'000;  // ~125 MB
  for (std::int64_t id = 1; id <= kRows; ++id) {
    AppendTuple(id, payload, &buf);
    if (buf.size() >= 8192) {  // small writes; the connection groups them into 4 MiB messages
      ASSERT_OK(conn_->WriteCopyData(buf));
      buf.clear();
    }
  }
  WireWriter(&buf).PutI16(-1);
  ASSERT_OK(conn_->WriteCopyData(buf));
  ASSERT_OK_AND_ASSIGN(std::uint64_t rows, conn_->EndCopyIn());
  EXPECT_EQ(rows, static_cast<std::uint64_t>(kRows));
  ASSERT_OK_AND_ASSIGN(QueryResult check,
                       conn_->SimpleQuery("SELECT count(*), sum(id), min(length(payload)) "
                                          "FROM c_in"));
  EXPECT_EQ(check.rows[0], (QueryResult::Row{"600000", "180000300000", "200"}));
}

TEST_F(PgwireCopyTest, AbortCopyInRollsBack) {
  ASSERT_OK(conn_->Execute("CREATE TABLE c_abort (id int8, payload text)"));
  ASSERT_OK(conn_->StartCopyIn("COPY c_abort FROM STDIN (FORMAT binary)").status());
  std::vector<std::uint8_t> buf(kCopySignature, kCopySignature + 11);
  WireWriter(&buf).PutI32(0);
  WireWriter(&buf).PutI32(0);
  AppendTuple(1, "x", &buf);
  ASSERT_OK(conn_->WriteCopyData(buf));
  ASSERT_OK(conn_->AbortCopyIn("test abort"));
  ASSERT_OK_AND_ASSIGN(QueryResult check, conn_->SimpleQuery("SELECT count(*) FROM c_abort"));
  EXPECT_EQ(check.rows[0][0], "0");
}

TEST_F(PgwireCopyTest, ErrorInTheMiddleOfCopyOut) {
  ASSERT_OK(conn_
                ->StartCopyOut("COPY (SELECT 1 / (5 - g) FROM generate_series(1, 10) g) "
                               "TO STDOUT")
                .status());
  Bytes chunk;
  int rows = 0;
  Status failure;
  while (true) {
    auto more = conn_->NextCopyData(&chunk);
    if (!more.ok()) {
      failure = more.status();
      break;
    }
    if (!*more) break;
    ++rows;
  }
  EXPECT_EQ(rows, 4);
  ASSERT_NE(GetServerError(failure), nullptr) << failure.ToString();
  EXPECT_EQ(GetServerError(failure)->sqlstate(), "22012");
  EXPECT_EQ(ClassifyStatus(failure).category, ErrorCategory::kData);
  ASSERT_OK(conn_->Execute("SELECT 1"));
  // A statement that is not a COPY is refused without breaking the session.
  EXPECT_FALSE(conn_->StartCopyOut("SELECT 1").ok());
  ASSERT_OK(conn_->Execute("SELECT 1"));
}

}  // namespace
}  // namespace rapidbyte::pgwire
