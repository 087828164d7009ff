// Tests for manifest parsing: every field and default, and every kind of problem.
#include "plugin/manifest/manifest.h"

#include <gtest/gtest.h>

#include "plugin/manifest/checksum.h"
#include "plugin/manifest/test_fixtures.h"

namespace rapidbyte::plugin::manifest {
namespace {

using testing::MiniManifest;
using testing::TestManifestText;

constexpr const char* kPath = "/p/source-postgres.manifest.json";
constexpr const char* kPrefix =
    "connector rapidbyte/source-postgres 0.1.0 (/p/source-postgres.manifest.json): ";

std::vector<std::string> Problems(const std::string& json) {
  Result<Manifest> r = ParseManifest(json, kPath);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  return ManifestProblems(r.status());
}

TEST(ManifestTest, ParsesTheSourcePostgresManifest) {
  ASSERT_OK_AND_ASSIGN(Manifest m, ParseManifest(TestManifestText("source-postgres"), kPath));
  EXPECT_EQ(m.path, kPath);
  EXPECT_EQ(m.manifest_version, "1.0");
  EXPECT_EQ(m.id, "rapidbyte/source-postgres");
  EXPECT_EQ(m.org, "rapidbyte");
  EXPECT_EQ(m.connector_name, "source-postgres");
  EXPECT_EQ(m.name, "PostgreSQL Source");
  EXPECT_EQ(m.version, "0.1.0");
  EXPECT_EQ(m.semver.minor, 1u);
  EXPECT_EQ(m.author, "rapidbyte");
  EXPECT_EQ(m.license, "Apache-2.0");
  EXPECT_EQ(m.protocol_version, "1");
  EXPECT_EQ(m.artifact.entry_point, "source-postgres.wasm");
  EXPECT_EQ(m.artifact.min_memory_mb, 64);
  EXPECT_TRUE(m.permissions.network.allow_runtime_config_domains);
  EXPECT_EQ(m.permissions.network.tls, TlsPolicy::kOptional);
  ASSERT_TRUE(m.source);
  EXPECT_EQ(m.source->supported_sync_modes,
            (std::vector<config::SyncMode>{config::SyncMode::kFullRefresh,
                                           config::SyncMode::kIncremental}));
  EXPECT_FALSE(m.destination);
  EXPECT_EQ(m.RoleNames(), std::vector<std::string>{"source"});
  EXPECT_EQ(m.Label(), "source-postgres 0.1.0");
  ASSERT_NE(m.config_schema, nullptr);
  EXPECT_FALSE(m.config_schema->additional_properties);
  EXPECT_EQ(m.config_schema->required, (std::vector<std::string>{"host", "user", "database"}));
  ASSERT_NE(m.config_schema->Property("password"), nullptr);
  EXPECT_TRUE(m.config_schema->Property("password")->secret);
}

TEST(ManifestTest, AppliesEveryDefault) {
  ASSERT_OK_AND_ASSIGN(Manifest m, ParseManifest(MiniManifest("acme/x", "1.0.0"), "x.json"));
  EXPECT_EQ(m.manifest_version, "1.0");
  EXPECT_EQ(m.description, "");
  EXPECT_FALSE(m.author);
  EXPECT_FALSE(m.license);
  EXPECT_EQ(m.artifact.entry_point, "x.wasm");
  EXPECT_FALSE(m.artifact.checksum);
  EXPECT_FALSE(m.artifact.min_memory_mb);
  EXPECT_TRUE(m.permissions.network.allowed_domains.empty());
  EXPECT_FALSE(m.permissions.network.allow_runtime_config_domains);
  EXPECT_FALSE(m.permissions.network.default_port);
  EXPECT_EQ(m.permissions.network.tls, TlsPolicy::kOptional);
  EXPECT_TRUE(m.permissions.env_allowed_vars.empty());
  EXPECT_TRUE(m.permissions.fs_preopens.empty());
  EXPECT_FALSE(m.permissions.fs_config_path);
  EXPECT_TRUE(m.source->features.empty());
  EXPECT_EQ(m.config_schema, nullptr);
}

TEST(ManifestTest, ReadsPermissionsAndEveryRole) {
  const std::string json = R"({"id": "acme/all", "name": "All", "version": "2.0.0-rc.1",
    "protocol_version": "1", "x-vendor": {"anything": 1},
    "artifact": {"checksum": "sha256:)" +
                           std::string(64, 'a') + R"("},
    "permissions": {
      "network": {"allowed_domains": ["db.internal", "*.example.com", "10.0.0.0/8:5432"],
                  "default_port": 6432, "tls": "required"},
      "env": {"allowed_vars": ["TZ", "PGAPPNAME"]},
      "fs": {"preopens": ["/data/in", {"path": "/data/out", "write": true}]}},
    "roles": {"source": {"supported_sync_modes": ["cdc"], "features": ["cdc", "stateful"]},
              "destination": {"supported_write_modes": ["upsert"], "features": ["exactly_once"]},
              "transform": {}, "utility": {}}})";
  ASSERT_OK_AND_ASSIGN(Manifest m, ParseManifest(json, "all.json"));
  EXPECT_EQ(m.artifact.checksum, "sha256:" + std::string(64, 'a'));
  EXPECT_EQ(m.permissions.network.allowed_domains.size(), 3u);
  EXPECT_EQ(m.permissions.network.tls, TlsPolicy::kRequired);
  EXPECT_EQ(m.permissions.network.default_port, 6432);
  EXPECT_EQ(m.permissions.env_allowed_vars, (std::vector<std::string>{"TZ", "PGAPPNAME"}));
  ASSERT_EQ(m.permissions.fs_preopens.size(), 2u);
  EXPECT_EQ(m.permissions.fs_preopens[0].path, "/data/in");
  EXPECT_FALSE(m.permissions.fs_preopens[0].write);
  EXPECT_EQ(m.permissions.fs_preopens[1].path, "/data/out");
  EXPECT_TRUE(m.permissions.fs_preopens[1].write);
  EXPECT_EQ(m.source->features, (std::vector<std::string>{"cdc", "stateful"}));
  EXPECT_EQ(m.destination->supported_write_modes,
            std::vector<config::WriteMode>{config::WriteMode::kUpsert});
  EXPECT_EQ(m.RoleNames(),
            (std::vector<std::string>{"source", "destination", "transform", "utility"}));
}

// A minimal destination with `fs` as its permissions.fs and one string property `path`.
std::string WithFs(const std::string& fs,
                   const std::string& properties = R"({"path": {"type": "string"}})") {
  std::string json = MiniManifest("acme/files", "1.0.0",
                                  R"({"destination": {"supported_write_modes": ["append"]}})");
  json.insert(json.size() - 1, R"(, "permissions": {"fs": )" + fs +
                                   R"(}, "config_schema": {"type": "object", "properties": )" +
                                   properties + "}");
  return json;
}

TEST(ManifestTest, ReadsAConfigGrantedPreopen) {
  ASSERT_OK_AND_ASSIGN(
      Manifest m,
      ParseManifest(WithFs(R"({"preopens": ["/in"], "config_path": {"field": "path", "write": true,
                                "create": true, "within": ["/data", "/tmp/"]}})"),
                    "files.json"));
  ASSERT_TRUE(m.permissions.fs_config_path);
  EXPECT_EQ(m.permissions.fs_config_path->field, "path");
  EXPECT_TRUE(m.permissions.fs_config_path->write);
  EXPECT_TRUE(m.permissions.fs_config_path->create);
  EXPECT_EQ(m.permissions.fs_config_path->within, (std::vector<std::string>{"/data", "/tmp/"}));
  ASSERT_EQ(m.permissions.fs_preopens.size(), 1u);

  // Defaults: read-only, not created, anywhere.
  ASSERT_OK_AND_ASSIGN(Manifest plain,
                       ParseManifest(WithFs(R"({"config_path": {"field": "path"}})"), "f.json"));
  ASSERT_TRUE(plain.permissions.fs_config_path);
  EXPECT_FALSE(plain.permissions.fs_config_path->write);
  EXPECT_FALSE(plain.permissions.fs_config_path->create);
  EXPECT_TRUE(plain.permissions.fs_config_path->within.empty());
}

TEST(ManifestTest, MalformedConfigPathsAreProblems) {
  const std::string p = "connector acme/files 1.0.0 (" + std::string(kPath) + "): ";
  EXPECT_EQ(Problems(WithFs(R"({"config_path": "path"})")),
            std::vector<std::string>{
                p + "permissions.fs.config_path: expected an object, got 'path'"});
  EXPECT_EQ(Problems(WithFs(R"({"config_path": {"write": "yes", "within": ["data", "/ok", 3],
                                                "mode": 1}})")),
            (std::vector<std::string>{
                p + "permissions.fs.config_path.field: required",
                p + "permissions.fs.config_path.write: expected true or false, got 'yes'",
                p + "permissions.fs.config_path.within[2]: expected a string, got 3",
                p + "permissions.fs.config_path.mode: unknown key"}));
  EXPECT_EQ(Problems(WithFs(R"({"config_path": {"field": "", "within": []}})")),
            (std::vector<std::string>{
                p + "permissions.fs.config_path.field: must name a key of the config",
                p + "permissions.fs.config_path.within: must not be empty (leave it out to "
                    "allow any absolute local path)"}));
  EXPECT_EQ(Problems(WithFs(
                R"({"config_path": {"field": "path", "within": ["data", "/ok", ""]}})")),
            (std::vector<std::string>{
                p + "permissions.fs.config_path.within[0]: 'data' is not an absolute path",
                p + "permissions.fs.config_path.within[2]: '' is not an absolute path"}));
  // The field must be a declared property that can hold a string.
  EXPECT_EQ(Problems(WithFs(R"({"config_path": {"field": "dir"}})")),
            std::vector<std::string>{
                p + "permissions.fs.config_path.field: 'dir' is not a property of config_schema"});
  EXPECT_EQ(Problems(WithFs(R"({"config_path": {"field": "path"}})",
                            R"({"path": {"type": "integer"}})")),
            std::vector<std::string>{p + "permissions.fs.config_path.field: "
                                         "config_schema.properties.path must allow a string "
                                         "(the directory)"});
}

TEST(ManifestTest, NamesConnectorFileAndFieldInEveryProblem) {
  std::string json = TestManifestText("source-postgres");
  const std::string from = R"(["full_refresh", "incremental"])";
  json.replace(json.find(from), from.size(), R"(["full_refresh", "cdcc"])");
  EXPECT_EQ(Problems(json),
            std::vector<std::string>{
                std::string(kPrefix) +
                "roles.source.supported_sync_modes[1]: 'cdcc' is not one of full_refresh, "
                "incremental, cdc"});
}

TEST(ManifestTest, CollectsEveryProblem) {
  const std::string json = R"({"id": "Acme/X", "version": "1.0", "protocol_version": "1",
    "manifest_version": "2.0", "descripton": "typo", "artifact": {"checksum": "md5:abc",
    "min_memory_mb": 0, "entry_point": "../x.wasm"},
    "permissions": {"network": {"allowed_domains": ["bad host"], "tls": "always",
                                "default_port": 0},
                    "env": {"allowed_vars": ["1X"]}, "fs": {"preopens": [7, {"write": true}]}},
    "roles": {"source": {"features": ["teleport"]}, "sink": {}}})";
  const std::string p = "connector Acme/X 1.0 (/p/source-postgres.manifest.json): ";
  EXPECT_EQ(Problems(json),
            (std::vector<std::string>{
                p + "manifest_version: unsupported version '2.0', expected '1.0'",
                p + "id: 'Acme/X' is not a connector id (expected org/name, each part "
                    "[a-z0-9][a-z0-9_-]*)",
                p + "name: required",
                p + "version: '1.0' is not a semantic version (expected MAJOR.MINOR.PATCH[-pre])",
                p + "artifact.entry_point: '../x.wasm' must be a file name in the manifest's "
                    "directory",
                p + "artifact.checksum: 'md5:abc' is not a SHA-256 checksum (expected "
                    "sha256:<64 hex digits> or <64 hex digits>)",
                p + "artifact.min_memory_mb: must be at least 1, got 0",
                p + "permissions.network.allowed_domains[0]: 'bad host' is not a host name, "
                    "*.suffix, IP address or CIDR block (each optionally with :port)",
                p + "permissions.network.tls: 'always' is not one of optional, required, "
                    "forbidden",
                p + "permissions.network.default_port: must be at least 1, got 0",
                p + "permissions.env.allowed_vars[0]: '1X' is not an environment variable name",
                p + "permissions.fs.preopens[0]: expected a path or {\"path\", \"write\"}, got 7",
                p + "permissions.fs.preopens[1].path: required",
                p + "roles.source.supported_sync_modes: required",
                p + "roles.source.features[0]: 'teleport' is not one of cdc, stateful",
                p + "roles.sink: unknown key",
                p + "descripton: unknown key (did you mean 'description'?)"}));
}

TEST(ManifestTest, RolesMustDeclareModesAndSchemasMustCompile) {
  const std::string p = "connector acme/x 1.0.0 (" + std::string(kPath) + "): ";
  EXPECT_EQ(Problems(MiniManifest("acme/x", "1.0.0", "{}")),
            std::vector<std::string>{
                p + "roles: declare at least one of source, destination, transform, utility"});
  EXPECT_EQ(Problems(MiniManifest("acme/x", "1.0.0",
                                  R"({"destination": {"supported_write_modes": []}})")),
            std::vector<std::string>{p + "roles.destination.supported_write_modes: must not "
                                         "be empty"});
  std::string json = MiniManifest("acme/x", "1.0.0");
  json.insert(json.size() - 1, R"(, "config_schema": {"properties": {"a": {"oneOf": []}}})");
  EXPECT_EQ(Problems(json), std::vector<std::string>{
                                p + "config_schema.properties.a: unsupported keyword 'oneOf'"});
}

TEST(ManifestTest, RejectsOtherProtocols) {
  std::string json = MiniManifest("acme/x", "1.0.0");
  json.replace(json.find(R"("protocol_version": "1")"), 23, R"("protocol_version": "2")");
  EXPECT_EQ(Problems(json), std::vector<std::string>{
                                "connector acme/x speaks protocol 2; this rapidbyte supports 1"});
}

TEST(ManifestTest, RequiresIdentityProtocolAndRoles) {
  const std::string p = "connector <no id> (/p/source-postgres.manifest.json): ";
  EXPECT_EQ(Problems("{}"),
            (std::vector<std::string>{p + "id: required", p + "name: required",
                                      p + "version: required", p + "protocol_version: required",
                                      p + "roles: required (at least one of "
                                          "source, destination, transform, "
                                          "utility)"}));
  EXPECT_EQ(Problems(R"({"id": 5})")[0], p + "id: expected a string, got 5");
}

TEST(ManifestTest, ReportsInvalidJsonAndDuplicateKeys) {
  EXPECT_EQ(Problems(R"({"id": "a/b", "id": "a/c"})"),
            std::vector<std::string>{"connector manifest " + std::string(kPath) +
                                     ": invalid JSON: duplicate key 'id'"});
  const auto syntax = Problems("{\"id\": \n nope}");
  ASSERT_EQ(syntax.size(), 1u);
  EXPECT_NE(syntax[0].find("invalid JSON: parse error at line 2, column 3: syntax error"),
            std::string::npos)
      << syntax[0];
  EXPECT_EQ(Problems("[1, 2]")[0],
            "connector manifest " + std::string(kPath) + ": expected a JSON object, got an array");
  EXPECT_NE(Problems(std::string(100, '[') + std::string(100, ']'))[0].find("nested deeper"),
            std::string::npos);
}

TEST(ManifestTest, LoadsFilesAndReportsMissingOnes) {
  ASSERT_OK_AND_ASSIGN(Manifest m,
                       LoadManifestFile(testing::TestdataPath("dest-postgres.manifest.json")));
  EXPECT_EQ(m.id, "rapidbyte/dest-postgres");
  EXPECT_EQ(m.destination->features, (std::vector<std::string>{"exactly_once", "bulk_load_copy"}));
  Result<Manifest> missing = LoadManifestFile("/nonexistent/x.manifest.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(),
            "connector manifest /nonexistent/x.manifest.json: cannot read: No such file or "
            "directory");
}

TEST(ChecksumTest, AcceptsPrefixedAndBareDigestsInAnyCase) {
  const std::string digest = Sha256Hex("abc");
  EXPECT_EQ(digest, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Manifest m;
  EXPECT_OK(VerifyChecksum(m, "x.wasm", digest));  // no checksum: nothing to check
  m.artifact.checksum = "sha256:" + digest;
  EXPECT_OK(VerifyChecksum(m, "x.wasm", digest));
  m.artifact.checksum = "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD";
  EXPECT_OK(VerifyChecksum(m, "x.wasm", digest));
}

TEST(ChecksumTest, MismatchNamesFileAndExpectedValue) {
  Manifest m;
  m.artifact.checksum = "sha256:" + std::string(64, '0');
  Status s = VerifyChecksum(m, "/c/x.wasm", Sha256Hex("abc"));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "WASM checksum mismatch for /c/x.wasm. Expected: sha256:" +
                             std::string(64, '0') + ", file may be corrupted or tampered.");
}

}  // namespace
}  // namespace rapidbyte::plugin::manifest
