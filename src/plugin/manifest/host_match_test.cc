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
  const auto config = nlohmann::json::parse(R"({"host": "db.local"})");
  EXPECT_EQ(AllowedHosts(m, config), std::vector<std::string>{"api.example.com"});
  m.permissions.network.allow_runtime_config_domains = true;
  EXPECT_EQ(AllowedHosts(m, config), (std::vector<std::string>{"api.example.com", "db.local"}));
  EXPECT_TRUE(IsHostAllowed(AllowedHosts(m, config), "DB.local", 5432));
}

}  // namespace
}  // namespace rapidbyte::plugin::manifest
