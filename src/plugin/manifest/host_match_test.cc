// Tests for allow-list entries, host matching and the hosts a config names.
#include "plugin/manifest/host_match.h"

#include <gtest/gtest.h>

#include "plugin/manifest/allowed_hosts.h"

namespace rapidbyte::plugin::manifest {
namespace {

TEST(HostMatchTest, ParsesEveryEntryForm) {
  for (const char* good : {"localhost", "DB.Internal", "db.internal.", "*.example.com", "db:5432",
                           "10.0.0.1", "10.0.0.0/8", "10.0.0.0/8:5432", "::1", "fe80::/10",
                           "[::1]:5432", "[2001:db8::/32]:443", "my_host"}) {
    EXPECT_TRUE(ParseHostEntry(good)) << good;
  }
  for (const char* bad : {"", "a b", "*", "*.", "a..b", "db:0", "db:65536", "db:x", "10.0.0.0/33",
                          "::/129", "[db]:5432", "[::1", "[::1]x", "-/8", "host/8", "http://x"}) {
    EXPECT_FALSE(ParseHostEntry(bad)) << bad;
  }
  const auto cidr = ParseHostEntry("192.168.0.0/16:5432");
  ASSERT_TRUE(cidr);
  EXPECT_EQ(cidr->kind, HostEntry::Kind::kCidr);
  EXPECT_EQ(cidr->prefix_bits, 16);
  EXPECT_EQ(cidr->port, 5432);
}

TEST(HostMatchTest, NamesMatchCaseInsensitively) {
  const std::vector<std::string> entries = {"DB.internal", "cache:6379"};
  EXPECT_TRUE(IsHostAllowed(entries, "db.INTERNAL", 5432));
  EXPECT_TRUE(IsHostAllowed(entries, "db.internal.", 1));
  EXPECT_FALSE(IsHostAllowed(entries, "evil.db.internal", 5432));
  EXPECT_TRUE(IsHostAllowed(entries, "cache", 6379));
  EXPECT_FALSE(IsHostAllowed(entries, "cache", 6380));
  EXPECT_FALSE(IsHostAllowed({}, "db.internal", 5432));
}

TEST(HostMatchTest, WildcardsMatchSubdomainsNotTheApex) {
  const std::vector<std::string> entries = {"*.example.com"};
  EXPECT_TRUE(IsHostAllowed(entries, "a.example.com", 443));
  EXPECT_TRUE(IsHostAllowed(entries, "a.b.EXAMPLE.com", 443));
  EXPECT_FALSE(IsHostAllowed(entries, "example.com", 443));
  EXPECT_FALSE(IsHostAllowed(entries, "badexample.com", 443));
  EXPECT_FALSE(IsHostAllowed(entries, "*.example.com", 443));
}

TEST(HostMatchTest, AddressesAndCidrBlocks) {
  const std::vector<std::string> entries = {"10.1.0.0/16", "192.168.1.5:5432", "2001:db8::/32",
                                            "::1"};
  EXPECT_TRUE(IsHostAllowed(entries, "10.1.255.3", 1));
  EXPECT_FALSE(IsHostAllowed(entries, "10.2.0.1", 1));
  EXPECT_TRUE(IsHostAllowed(entries, "192.168.1.5", 5432));
  EXPECT_FALSE(IsHostAllowed(entries, "192.168.1.5", 5433));
  EXPECT_TRUE(IsHostAllowed(entries, "2001:db8:ffff::1", 1));
  EXPECT_TRUE(IsHostAllowed(entries, "[2001:DB8::2]", 1));
  EXPECT_FALSE(IsHostAllowed(entries, "2001:db9::1", 1));
  EXPECT_TRUE(IsHostAllowed(entries, "0:0:0:0:0:0:0:1", 1));
  EXPECT_TRUE(IsHostAllowed(entries, "::ffff:10.1.2.3", 1));  // IPv4-mapped
  EXPECT_FALSE(IsHostAllowed({"10.0.0.0/8"}, "10.example.com", 1));
  EXPECT_TRUE(IsHostAllowed({"0.0.0.0/0"}, "8.8.8.8", 53));
  EXPECT_TRUE(IsHostAllowed({"10.0.0.7/31"}, "10.0.0.6", 1));  // host bits ignored
  EXPECT_FALSE(IsHostAllowed({"10.0.0.7/31"}, "10.0.0.8", 1));
}

TEST(AllowedHostsTest, ConfigHostsFromKeysListsAndUrls) {
  const auto config = nlohmann::json::parse(R"({
    "host": "DB1, db2", "port": 5432, "Hostname": "h3", "server": "/var/run/postgresql",
    "address": "10.0.0.9", "hosts": ["h4", 7, "bad host"], "name": "not-a-host",
    "nested": {"replica_url": "postgres://u:pw@r1:5432,[::1]:5433/db?sslmode=require",
               "sink_uri": "https://api.example.com/v1",
               "dsn": "host=k1,k2 hostaddr=10.9.9.9 port=1",
               "list": [{"server": "s9"}]}})");
  EXPECT_EQ(ConfigHosts(config),
            (std::vector<std::string>{"h3", "10.0.0.9", "db1", "db2", "h4", "k1", "k2", "10.9.9.9",
                                      "s9", "r1", "[::1]", "api.example.com"}));
}

TEST(AllowedHostsTest, RuntimeDomainsOnlyWhenTheManifestAllowsThem) {
  Manifest m;
  m.permissions.network.allowed_domains = {"api.example.com"};
  const auto config = nlohmann::json::parse(R"({"host": "db.local", "port": 5432})");
  EXPECT_EQ(AllowedHosts(m, config), std::vector<std::string>{"api.example.com"});
  m.permissions.network.allow_runtime_config_domains = true;
  EXPECT_EQ(AllowedHosts(m, config),
            (std::vector<std::string>{"api.example.com", "db.local:5432"}));
  EXPECT_TRUE(IsHostAllowed(AllowedHosts(m, config), "DB.local", 5432));
}

// config_endpoint_fields: only the endpoint URLs' hosts, on their port or the scheme's;
// config_subdomain_field adds <bucket>.<endpoint host> for virtual-host addressing.
TEST(AllowedHostsTest, EndpointFieldsAreTheOnlyRuntimeHosts) {
  Manifest m;
  m.permissions.network.allow_runtime_config_domains = true;
  m.permissions.network.config_endpoint_fields = {"s3.endpoint"};
  m.permissions.network.config_subdomain_field = "path";
  auto config = nlohmann::json::parse(R"({"path": "s3://My-Bucket/some/prefix",
    "host": "elsewhere.example", "s3": {"endpoint": "https://S3.Example.com/", "region": "x"}})");
  EXPECT_EQ(AllowedHosts(m, config),
            (std::vector<std::string>{"s3.example.com:443", "my-bucket.s3.example.com:443"}));
  EXPECT_FALSE(IsHostAllowed(AllowedHosts(m, config), "elsewhere.example", 443));
  EXPECT_FALSE(IsHostAllowed(AllowedHosts(m, config), "s3.example.com", 80));
  config["s3"]["endpoint"] = "http://127.0.0.1:9000";
  EXPECT_EQ(AllowedHosts(m, config), std::vector<std::string>{"127.0.0.1:9000"});
  config["s3"]["endpoint"] = "http://minio.local";
  config["path"] = "/not/a/url";
  EXPECT_EQ(AllowedHosts(m, config), std::vector<std::string>{"minio.local:80"});
  config.erase("s3");
  EXPECT_TRUE(AllowedHosts(m, config).empty());
}

// Every entry form, with and without a port, as rb_host_net_connect applies them.
TEST(HostMatchTest, EveryFormHonoursItsPort) {
  const std::vector<std::string> entries = {"127.0.0.0/8:5432",   "[fd00::/8]:6432",
                                            "*.corp.example:443", "Db.Internal:5433",
                                            "[::1]:7000",         "cache.local"};
  // CIDR blocks, IPv4 and IPv6, on their port only.
  EXPECT_TRUE(IsHostAllowed(entries, "127.0.0.1", 5432));
  EXPECT_TRUE(IsHostAllowed(entries, "127.255.0.9", 5432));
  EXPECT_FALSE(IsHostAllowed(entries, "127.0.0.1", 22));
  EXPECT_FALSE(IsHostAllowed(entries, "128.0.0.1", 5432));
  EXPECT_TRUE(IsHostAllowed(entries, "fd12:3456::1", 6432));
  EXPECT_TRUE(IsHostAllowed(entries, "[FD00::AB]", 6432));
  EXPECT_FALSE(IsHostAllowed(entries, "fd12:3456::1", 5432));
  EXPECT_FALSE(IsHostAllowed(entries, "fe80::1", 6432));
  // *.domain: subdomains, any case, on the port; not the apex, not another port.
  EXPECT_TRUE(IsHostAllowed(entries, "API.corp.example", 443));
  EXPECT_FALSE(IsHostAllowed(entries, "api.corp.example", 80));
  EXPECT_FALSE(IsHostAllowed(entries, "corp.example", 443));
  // Exact names, case-insensitively, on the port.
  EXPECT_TRUE(IsHostAllowed(entries, "db.internal", 5433));
  EXPECT_TRUE(IsHostAllowed(entries, "DB.INTERNAL", 5433));
  EXPECT_FALSE(IsHostAllowed(entries, "db.internal", 5432));
  EXPECT_FALSE(IsHostAllowed(entries, "x.db.internal", 5433));
  // An IPv6 address with a port; a name is never an address.
  EXPECT_TRUE(IsHostAllowed(entries, "::1", 7000));
  EXPECT_TRUE(IsHostAllowed(entries, "0:0:0:0:0:0:0:1", 7000));
  EXPECT_FALSE(IsHostAllowed(entries, "::1", 7001));
  EXPECT_FALSE(IsHostAllowed(entries, "localhost", 5432));
  // Without a port an entry allows every port.
  EXPECT_TRUE(IsHostAllowed(entries, "cache.local", 1));
  EXPECT_TRUE(IsHostAllowed(entries, "CACHE.LOCAL", 65535));
}

TEST(AllowedHostsTest, ConfigHostsGetTheirOwnPorts) {
  const auto config = nlohmann::json::parse(R"({
    "host": "a1,a2", "port": "5432,5433",
    "replica": {"HOST": "r1", "Port": 6000, "hosts": ["r2", "r3:6001"]},
    "backup": {"server": "b1, b2", "port": "7000"},
    "urls": {"pg_url": "postgresql://u@p1,p2:5444/db", "api_uri": "https://api.example.com/v1",
             "ws_url": "ws://w1/x", "v6_url": "http://[::1]:8080/"},
    "dsn": "host=k1,k2 hostaddr=10.9.9.9 port=6100,6101",
    "nested": [{"address": "n1"}, {"address": "::2", "port": 9000}],
    "wild": {"host": "*.example.com", "port": 1}, "block": {"host": "10.0.0.0/8", "port": 1},
    "bad_port": {"host": "q1", "port": 70000}, "db_host": "not-a-host-key"})");
  std::vector<std::string> got;
  for (const ConfigHost& h : ConfigHostPorts(config)) {
    std::string line = h.host + (h.portless ? " (no port)" : "");
    for (std::uint16_t p : h.ports) line += " " + std::to_string(p);
    got.push_back(line);
  }
  // Keys are visited in sorted order (nlohmann::json objects), hosts in the order first named.
  EXPECT_EQ(got,
            (std::vector<std::string>{
                "b1 7000", "b2 7000", "q1 (no port)", "k1 6100", "k2 6101", "10.9.9.9 6100 6101",
                "a1 5432", "a2 5433", "n1 (no port)", "::2 9000", "r1 6000", "r2 6000", "r3 6001",
                "api.example.com 443", "p1 5432", "p2 5444", "[::1] 8080", "w1 (no port)"}));
}

TEST(AllowedHostsTest, ConfigHostsAreAllowedOnlyOnTheirPorts) {
  Manifest m;
  m.permissions.network.allowed_domains = {"10.0.0.0/8"};
  m.permissions.network.allow_runtime_config_domains = true;
  const auto config = nlohmann::json::parse(R"({"host": "127.0.0.1", "port": 6543})");
  const std::vector<std::string> allowed = AllowedHosts(m, config);
  EXPECT_EQ(allowed, (std::vector<std::string>{"10.0.0.0/8", "127.0.0.1:6543"}));
  EXPECT_TRUE(IsHostAllowed(allowed, "127.0.0.1", 6543));
  EXPECT_FALSE(IsHostAllowed(allowed, "127.0.0.1", 5432));
  EXPECT_FALSE(IsHostAllowed(allowed, "127.0.0.1", 22));
  EXPECT_TRUE(IsHostAllowed(allowed, "10.1.2.3", 22));  // a manifest entry without a port

  // No port in the config: the manifest's default port, or nothing without one.
  const auto portless = nlohmann::json::parse(R"({"host": "DB.local", "url": "x://[::1]/"})");
  EXPECT_EQ(AllowedHosts(m, portless), std::vector<std::string>{"10.0.0.0/8"});
  m.permissions.network.default_port = 5432;
  const std::vector<std::string> with_default = AllowedHosts(m, portless);
  EXPECT_EQ(with_default, (std::vector<std::string>{"10.0.0.0/8", "db.local:5432", "[::1]:5432"}));
  EXPECT_TRUE(IsHostAllowed(with_default, "db.LOCAL", 5432));
  EXPECT_TRUE(IsHostAllowed(with_default, "::1", 5432));
  EXPECT_FALSE(IsHostAllowed(with_default, "db.local", 5433));

  // A named port wins over the default; a host named both ways gets both.
  EXPECT_EQ(AllowedHosts(m, config), (std::vector<std::string>{"10.0.0.0/8", "127.0.0.1:6543"}));
  const auto both = nlohmann::json::parse(R"({"host": "h", "port": 7, "x": {"host": "h"}})");
  EXPECT_EQ(AllowedHosts(m, both), (std::vector<std::string>{"10.0.0.0/8", "h:7", "h:5432"}));
  // A bare IPv6 address gets brackets.
  const auto v6 = nlohmann::json::parse(R"({"host": "::1", "port": 6543})");
  EXPECT_EQ(AllowedHosts(m, v6), (std::vector<std::string>{"10.0.0.0/8", "[::1]:6543"}));
}

}  // namespace
}  // namespace rapidbyte::plugin::manifest
