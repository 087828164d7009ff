// TLS through SSLRequest against real servers: a cluster with ssl=on and a self-signed
// certificate generated at test time (PgClusterOptions::tls) (sslmode require,
// verify-full with the right CA, the wrong CA and the wrong host name), and the shared
// ssl=off cluster (require fails with TLS_FAILED, prefer falls back to plain text).
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "base/test_util.h"
#include "pgwire/error_mapping.h"
#include "tests/harness/pg_cluster_fixture.h"
#include "tests/pgwire/pg_session.h"

namespace rapidbyte::pgwire {
namespace {

using rapidbyte::testing::PgCluster;
using testing::OpenSession;
using testing::SessionOptions;

class PgwireTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    rapidbyte::testing::PgClusterOptions options;
    options.create_auth_roles = false;
    options.tls = true;
    auto started = PgCluster::Start(options);
    if (!started.ok()) {
      setup_error_ = new Status(started.status());
      return;
    }
    cluster_ = started.MoveValueUnsafe().release();
    Status s = Configure();
    if (!s.ok()) setup_error_ = new Status(s);
  }

  static Status Configure() {
    ca_file_ = new std::string(cluster_->tls_ca_file());
    // An unrelated CA, for the negative verification test (kept out of the data dir).
    wrong_ca_dir_ = new std::string(cluster_->base_dir() + "/wrong_ca");
    if (mkdir(wrong_ca_dir_->c_str(), 0700) != 0) return Status::Internal("mkdir");
    return rapidbyte::testing::MakeSelfSignedCertificate(*wrong_ca_dir_, "other");
  }

  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }

  void SetUp() override {
    if (setup_error_ != nullptr) FAIL() << "TLS cluster setup failed: " << setup_error_->ToString();
  }

  static ConnectOptions Tls(SslMode mode, std::string ca = "", std::string name = "127.0.0.1") {
    ConnectOptions options = SessionOptions();
    options.sslmode = mode;
    options.sslrootcert = std::move(ca);
    options.server_name = std::move(name);
    return options;
  }

  static bool SessionUsesSsl(Connection& conn) {
    auto result = conn.SimpleQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
    return result.ok() && result->rows.size() == 1 && result->rows[0][0] == "t";
  }

  static PgCluster* cluster_;
  static Status* setup_error_;
  static std::string* ca_file_;
  static std::string* wrong_ca_dir_;
};

PgCluster* PgwireTlsTest::cluster_ = nullptr;
Status* PgwireTlsTest::setup_error_ = nullptr;
std::string* PgwireTlsTest::ca_file_ = nullptr;
std::string* PgwireTlsTest::wrong_ca_dir_ = nullptr;

TEST_F(PgwireTlsTest, RequireEncrypts) {
  ASSERT_OK_AND_ASSIGN(auto conn, OpenSession(*cluster_, Tls(SslMode::kRequire)));
  EXPECT_TRUE(conn->tls_active());
  EXPECT_TRUE(SessionUsesSsl(*conn));
  ASSERT_OK_AND_ASSIGN(auto prefer, OpenSession(*cluster_, Tls(SslMode::kPrefer)));
  EXPECT_TRUE(prefer->tls_active());
}

TEST_F(PgwireTlsTest, VerifyFullWithTheRightCa) {
  for (const char* name : {"127.0.0.1", "localhost"}) {
    ASSERT_OK_AND_ASSIGN(auto conn,
                         OpenSession(*cluster_, Tls(SslMode::kVerifyFull, *ca_file_, name)));
    EXPECT_TRUE(SessionUsesSsl(*conn)) << name;
  }
}

TEST_F(PgwireTlsTest, VerifyFullRejectsWrongCaAndWrongName) {
  auto wrong_ca = OpenSession(*cluster_, Tls(SslMode::kVerifyFull, *wrong_ca_dir_ + "/other.crt"));
  ASSERT_FALSE(wrong_ca.ok());
  EXPECT_EQ(ClassifyStatus(wrong_ca.status()).code, "TLS_FAILED");
  EXPECT_EQ(ClassifyStatus(wrong_ca.status()).category, ErrorCategory::kConfig);
  EXPECT_NE(wrong_ca.status().message().find("certificate verify failed"), std::string::npos)
      << wrong_ca.status().ToString();

  auto wrong_name = OpenSession(*cluster_, Tls(SslMode::kVerifyFull, *ca_file_, "db.example.com"));
  ASSERT_FALSE(wrong_name.ok());
  EXPECT_EQ(ClassifyStatus(wrong_name.status()).code, "TLS_FAILED");
  // verify-ca checks the chain only, so the same name mismatch is accepted there.
  ASSERT_OK_AND_ASSIGN(auto chain_only, OpenSession(*cluster_, Tls(SslMode::kVerifyCa, *ca_file_,
                                                                   "db.example.com")));
  EXPECT_TRUE(chain_only->tls_active());
}

class PgwireNoTlsTest : public rapidbyte::testing::PgClusterTest {};

TEST_F(PgwireNoTlsTest, RequireFailsAndPreferFallsBack) {
  ConnectOptions require = SessionOptions();
  require.sslmode = SslMode::kRequire;
  auto refused = OpenSession(*cluster(), require);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(ClassifyStatus(refused.status()).code, "TLS_FAILED");
  EXPECT_EQ(refused.status().message(), "server does not support SSL, but sslmode is require");

  ConnectOptions prefer = SessionOptions();
  prefer.sslmode = SslMode::kPrefer;
  ASSERT_OK_AND_ASSIGN(auto conn, OpenSession(*cluster(), prefer));
  EXPECT_FALSE(conn->tls_active());
  ASSERT_OK(conn->Execute("SELECT 1"));
}

}  // namespace
}  // namespace rapidbyte::pgwire
