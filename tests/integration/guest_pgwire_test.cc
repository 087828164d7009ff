// The whole guest-side stack against a real PostgreSQL server: a connector (test-pgping)
// running as translated WebAssembly speaks the PostgreSQL protocol through the host's
// network functions (allow list, host-side TLS) and our pgwire client compiled for wasm32.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "plugin/host_error.h"
#include "plugin/instance.h"
#include "plugin/module.h"
#include "tests/harness/pg_cluster.h"
#include "tests/harness/pg_cluster_fixture.h"

namespace rapidbyte::plugin {
namespace {

using rapidbyte::testing::PgClusterTest;

class GuestPgwireTest : public PgClusterTest {
 protected:
  nlohmann::json Run(const std::string& user, const std::string& password,
                     const std::string& sslmode, std::vector<std::string> allowed = {"127.0.0.1"}) {
    static std::shared_ptr<Module> module = [] {
      auto m = Module::Load(std::string(std::getenv("RB_BINARY_DIR")) + "/connectors/test-pgping.so",
                            "test-pgping");
      EXPECT_TRUE(m.ok()) << m.status().ToString();
      return m.ok() ? *m : nullptr;
    }();
    HostContext host;
    host.connector_id = "rapidbyte/test-pgping";
    host.connector_version = "0.1.0";
    host.stage = "source";
    host.role = HostContext::Role::kSource;
    host.allowed_hosts = std::move(allowed);
    auto instance = Instance::Create(module, std::move(host));
    EXPECT_TRUE(instance.ok()) << instance.status().ToString();
    if (!instance.ok()) return nullptr;
    nlohmann::json request = {{"host", "127.0.0.1"},     {"port", cluster()->port()},
                              {"user", user},            {"password", password},
                              {"database", "postgres"},  {"sslmode", sslmode},
                              {"sql", "SELECT 41 + 1, current_user"}};
    auto response = (*instance)->CallJson(Export::kRunRead, request.dump());
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    return response.ok() ? nlohmann::json::parse(*response) : nullptr;
  }
};

TEST_F(GuestPgwireTest, ScramLoginAndQueryFromInsideTheSandbox) {
  auto doc = Run(std::string(rapidbyte::testing::kPgScramRole),
                 std::string(rapidbyte::testing::kPgScramPassword), "disable");
  ASSERT_EQ(doc["status"], "ok") << doc.dump();
  EXPECT_EQ(doc["data"]["rows"][0][0], "42");
  EXPECT_EQ(doc["data"]["rows"][0][1], rapidbyte::testing::kPgScramRole);
  EXPECT_EQ(doc["data"]["tls"], false);
}

TEST_F(GuestPgwireTest, WrongPasswordIsATypedAuthError) {
  auto doc = Run(std::string(rapidbyte::testing::kPgScramRole), "wrong-password", "disable");
  ASSERT_EQ(doc["status"], "err") << doc.dump();
  EXPECT_EQ(doc["error"]["category"], "auth");
  EXPECT_EQ(doc["error"]["code"], "AUTH_FAILED");
  EXPECT_EQ(doc["error"]["message"].get<std::string>().find("wrong-password"), std::string::npos);
}

TEST_F(GuestPgwireTest, RequireTlsAgainstAServerWithoutItFails) {
  auto doc = Run("postgres", "", "require");
  ASSERT_EQ(doc["status"], "err") << doc.dump();
  EXPECT_EQ(doc["error"]["code"], "TLS_FAILED");
}

TEST_F(GuestPgwireTest, ServerOutsideTheAllowListIsNeverContacted) {
  auto doc = Run("postgres", "", "disable", {"db.internal"});
  ASSERT_EQ(doc["status"], "err") << doc.dump();
  EXPECT_EQ(doc["error"]["code"], "NETWORK_DENIED");
  EXPECT_EQ(doc["error"]["category"], "permission");
}

}  // namespace
}  // namespace rapidbyte::plugin
