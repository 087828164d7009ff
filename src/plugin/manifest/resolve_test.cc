// Tests for connector resolution and listing over throwaway search locations.
#include "plugin/manifest/resolve.h"

#include <gtest/gtest.h>

#include "plugin/manifest/checksum.h"
#include "plugin/manifest/test_fixtures.h"

namespace rapidbyte::plugin::manifest {
namespace {

using testing::MiniManifest;
using testing::TempDir;

config::ConnectorRef Ref(std::string org, std::string name, std::string version) {
  config::ConnectorRef ref{std::move(org), std::move(name), std::move(version), ""};
  return ref;
}

// A flat connector: <name>.manifest.json + <name>.wasm.
void Flat(const TempDir& dir, const std::string& id, const std::string& version) {
  const std::string name = id.substr(id.find('/') + 1);
  dir.Write(name + ".manifest.json", MiniManifest(id, version));
  dir.Write(name + ".wasm", "\0asm");
}

// An installed connector: <name>/<version>/<name>.{manifest.json,wasm}.
void Installed(const TempDir& dir, const std::string& id, const std::string& version) {
  const std::string name = id.substr(id.find('/') + 1);
  const std::string at = name + "/" + version + "/" + name;
  dir.Write(at + ".manifest.json", MiniManifest(id, version));
  dir.Write(at + ".wasm", "\0asm");
}

TEST(ResolveTest, FirstLocationWithAMatchWins) {
  TempDir env_dir;
  TempDir bundled;
  Flat(env_dir, "rapidbyte/source-postgres", "0.1.0");
  Flat(bundled, "rapidbyte/source-postgres", "0.2.0");
  const std::vector<SearchLocation> locations = {{env_dir.path(), "RAPIDBYTE_CONNECTOR_DIR"},
                                                 {bundled.path(), "bundled"}};
  ASSERT_OK_AND_ASSIGN(auto found,
                       ResolveConnector(Ref("", "source-postgres", ""), locations, "source.use"));
  EXPECT_EQ(found.manifest.version, "0.1.0");
  EXPECT_EQ(found.location.label, "RAPIDBYTE_CONNECTOR_DIR");
  EXPECT_EQ(found.wasm_path, env_dir.path() + "/source-postgres.wasm");
  EXPECT_EQ(found.manifest_path, env_dir.path() + "/source-postgres.manifest.json");
  // A requested version skips locations that do not hold it.
  ASSERT_OK_AND_ASSIGN(
      auto v2, ResolveConnector(Ref("", "source-postgres", "0.2.0"), locations, "source.use"));
  EXPECT_EQ(v2.location.label, "bundled");
  // So does an org that differs.
  EXPECT_FALSE(ResolveConnector(Ref("acme", "source-postgres", ""), locations, "source.use").ok());
  ASSERT_OK_AND_ASSIGN(
      auto org, ResolveConnector(Ref("rapidbyte", "source-postgres", ""), locations, "source.use"));
  EXPECT_EQ(org.manifest.id, "rapidbyte/source-postgres");
}

TEST(ResolveTest, HighestVersionInsideALocationIncludingPreReleases) {
  TempDir dir;
  Flat(dir, "acme/src", "1.0.0-rc.2");
  Installed(dir, "acme/src", "1.0.0-rc.10");
  Installed(dir, "acme/src", "0.9.0");
  const std::vector<SearchLocation> locations = {{dir.path(), ""}};
  ASSERT_OK_AND_ASSIGN(auto found, ResolveConnector(Ref("", "src", ""), locations, "source.use"));
  EXPECT_EQ(found.manifest.version, "1.0.0-rc.10");
  EXPECT_EQ(found.wasm_path, dir.path() + "/src/1.0.0-rc.10/src.wasm");
  Installed(dir, "acme/src", "1.0.0");
  ASSERT_OK_AND_ASSIGN(auto release, ResolveConnector(Ref("", "src", ""), locations, "x.use"));
  EXPECT_EQ(release.manifest.version, "1.0.0");
  ASSERT_OK_AND_ASSIGN(auto pinned, ResolveConnector(Ref("", "src", "0.9.0"), locations, "x.use"));
  EXPECT_EQ(pinned.manifest.version, "0.9.0");
}

// Resolution reads the files named after the connector first; a manifest stored under
// another name is still found when none of those matches, and other connectors' broken
// manifests do not get in the way of the quick look.
TEST(ResolveTest, ManifestUnderAnotherFileNameIsFoundWhenNoneIsNamedAfterIt) {
  TempDir dir;
  dir.Write("renamed.manifest.json", MiniManifest("acme/src", "2.0.0"));
  dir.Write("src.wasm", "\0asm");  // the default entry point: <connector name>.wasm
  dir.Write("broken.manifest.json", "{not json");
  const std::vector<SearchLocation> locations = {{dir.path(), ""}};
  ASSERT_OK_AND_ASSIGN(auto found, ResolveConnector(Ref("", "src", ""), locations, "source.use"));
  EXPECT_EQ(found.manifest.version, "2.0.0");
  EXPECT_EQ(found.manifest_path, dir.path() + "/renamed.manifest.json");
  Flat(dir, "acme/src", "1.0.0");  // now a file carries the name: the quick look finds it
  ASSERT_OK_AND_ASSIGN(auto named, ResolveConnector(Ref("", "src", ""), locations, "source.use"));
  EXPECT_EQ(named.manifest_path, dir.path() + "/src.manifest.json");
}

TEST(ResolveTest, NotFoundListsEveryLocationAsTheSpecShows) {
  TempDir env_dir;
  TempDir bundled;
  Flat(env_dir, "rapidbyte/source-postgres", "0.1.0");
  Flat(bundled, "rapidbyte/source-postgres", "0.1.0");
  Flat(bundled, "rapidbyte/dest-postgres", "0.1.0");
  config::ConnectorRef ref = Ref("", "source-postgres", "2.0.0");
  ref.text = "source-postgres@2.0.0";
  const std::string home = env_dir.path() + "/no-such-home/.rapidbyte/plugins";
  Result<ResolvedConnector> r = ResolveConnector(
      ref, {{env_dir.path(), "RAPIDBYTE_CONNECTOR_DIR"}, {home, ""}, {bundled.path(), "bundled"}},
      "source.use");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(),
            "source.use: connector 'source-postgres@2.0.0' not found. Searched:\n"
            "    " +
                env_dir.path() +
                " (RAPIDBYTE_CONNECTOR_DIR): source-postgres 0.1.0 "
                "(version differs)\n"
                "    " +
                home +
                ": nothing\n"
                "    " +
                bundled.path() + " (bundled): source-postgres 0.1.0 (version differs)");
}

TEST(ResolveTest, NotFoundExplainsOrgsOtherConnectorsAndBrokenFiles) {
  TempDir dir;
  Flat(dir, "acme/source-x", "1.0.0");
  Flat(dir, "acme/other", "2.0.0");
  TempDir broken;
  broken.Write("source-x.manifest.json", R"({"id": "acme/source-x"})");
  broken.Write("source-x.wasm", "\0asm");
  TempDir lone;
  lone.Write("source-x.wasm", "\0asm");
  lone.Write("other.manifest.json", MiniManifest("acme/other", "1.0.0"));  // module missing
  Result<ResolvedConnector> r =
      ResolveConnector(Ref("zeta", "source-x", ""),
                       {{dir.path(), ""}, {broken.path(), ""}, {lone.path(), ""}}, "source.use");
  ASSERT_FALSE(r.ok());
  const std::string p = "connector acme/source-x (" + broken.path() + "/source-x.manifest.json): ";
  EXPECT_EQ(r.status().message(),
            "source.use: connector 'zeta/source-x' not found. Searched:\n"
            "    " +
                dir.path() +
                ": acme/source-x 1.0.0 (org differs)\n"
                "    " +
                broken.path() +
                ": source-x.manifest.json: invalid manifest\n"
                "    " +
                lone.path() +
                ": source-x.wasm: no manifest (ignored)\n"
                "    " +
                p +
                "name: required\n"
                "    " +
                p +
                "version: required\n"
                "    " +
                p +
                "protocol_version: required\n"
                "    " +
                p +
                "roles: required (at least one of source, destination, transform, "
                "utility)");
  Result<ResolvedConnector> none = ResolveConnector(Ref("", "nope", ""), {{dir.path(), ""}}, "u");
  EXPECT_EQ(none.status().message(), "u: connector 'nope' not found. Searched:\n    " + dir.path() +
                                         ": nothing named nope (holds other 2.0.0, source-x "
                                         "1.0.0)");
}

TEST(ResolveTest, AWasmWithoutManifestIsNeverLoaded) {
  TempDir dir;
  dir.Write("source-x.wasm", "\0asm");
  EXPECT_FALSE(ResolveConnector(Ref("", "source-x", ""), {{dir.path(), ""}}, "source.use").ok());
}

// A match whose .wasm does not meet its manifest's artifact.checksum is a resolution error
// (exit 2 before anything is opened), naming the field and the file (SPEC §4.1).
TEST(ResolveTest, ChecksumMismatchOfTheMatchIsAnError) {
  TempDir dir;
  const std::string manifest = MiniManifest("acme/src", "1.0.0");
  auto with_checksum = [&](const std::string& checksum) {
    return manifest.substr(0, manifest.size() - 1) + R"(, "artifact": {"checksum": ")" + checksum +
           "\"}}";
  };
  const std::string wrong = "sha256:" + std::string(64, '0');
  dir.Write("src.manifest.json", with_checksum(wrong));
  const std::string module("\0asm", 4);
  dir.Write("src.wasm", module);
  const std::vector<SearchLocation> locations = {{dir.path(), ""}};
  auto found = ResolveConnector(Ref("", "src", ""), locations, "source.use");
  EXPECT_EQ(found.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(found.status().message(), "source.use: WASM checksum mismatch for " + dir.path() +
                                          "/src.wasm. Expected: " + wrong +
                                          ", file may be corrupted or tampered.");
  // The right digest, as bare hex, resolves.
  dir.Write("src.manifest.json", with_checksum(Sha256Hex(module)));
  ASSERT_OK_AND_ASSIGN(auto ok, ResolveConnector(Ref("", "src", ""), locations, "source.use"));
  EXPECT_EQ(ok.wasm_path, dir.path() + "/src.wasm");
}

TEST(ResolveTest, DefaultSearchLocations) {
  const auto env = [](std::string_view name) -> std::optional<std::string> {
    if (name == "RAPIDBYTE_CONNECTOR_DIR") return std::string("/a::/b");
    if (name == "HOME") return std::string("/home/u");
    return std::nullopt;
  };
  const auto locations = DefaultSearchLocations(env, "/usr/lib/rapidbyte/connectors");
  ASSERT_EQ(locations.size(), 4u);
  EXPECT_EQ(LocationTitle(locations[0]), "/a (RAPIDBYTE_CONNECTOR_DIR)");
  EXPECT_EQ(LocationTitle(locations[1]), "/b (RAPIDBYTE_CONNECTOR_DIR)");
  EXPECT_EQ(LocationTitle(locations[2]), "/home/u/.rapidbyte/plugins");
  EXPECT_EQ(LocationTitle(locations[3]), "/usr/lib/rapidbyte/connectors (bundled)");
  const auto bare = DefaultSearchLocations(
      [](std::string_view) -> std::optional<std::string> { return std::nullopt; }, "");
  EXPECT_TRUE(bare.empty());
}

TEST(ListConnectorsTest, MarksShadowedAndIgnoredEntries) {
  TempDir first;
  TempDir second;
  Flat(first, "acme/a", "1.0.0");
  first.Write("stray.wasm", "\0asm");
  Flat(second, "acme/a", "2.0.0");
  Installed(second, "acme/b", "1.0.0");
  Installed(second, "acme/b", "1.1.0");
  second.Write("b.manifest.json", MiniManifest("acme/b", "1.0.0"));
  second.Write("b.wasm", "\0asm");
  second.Write("bad.manifest.json", "{");
  const auto listing = ListConnectors({{first.path(), "RAPIDBYTE_CONNECTOR_DIR"},
                                       {second.path(), ""},
                                       {first.path() + "/missing", "bundled"}});
  ASSERT_EQ(listing.size(), 3u);
  ASSERT_EQ(listing[0].connectors.size(), 1u);
  EXPECT_FALSE(listing[0].connectors[0].shadowed);
  EXPECT_EQ(listing[0].ignored, std::vector<std::string>{"stray.wasm: no manifest (ignored)"});
  // second: a 2.0.0 (flat), b 1.0.0 (flat), then installed b 1.0.0 and b 1.1.0.
  ASSERT_EQ(listing[1].connectors.size(), 4u);
  std::vector<std::string> seen;
  for (const auto& c : listing[1].connectors) {
    seen.push_back(c.manifest.Label() + (c.installed ? " installed" : "") +
                   (c.shadowed ? " shadowed" : ""));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"a 2.0.0 shadowed", "b 1.0.0",
                                            "b 1.0.0 installed shadowed", "b 1.1.0 installed"}));
  ASSERT_EQ(listing[1].invalid.size(), 1u);
  EXPECT_NE(listing[1].invalid[0].find("bad.manifest.json: invalid JSON"), std::string::npos);
  EXPECT_FALSE(listing[2].exists);
  EXPECT_TRUE(listing[2].connectors.empty());
}

// A connector of another org but the same name in an earlier location takes `use: <name>`
// (the takeover `connectors install` refuses): the later one is shadowed, and both entries
// name each other.
TEST(ListConnectorsTest, SameNameOfAnotherOrgShadowsAndBothAreNamed) {
  TempDir plugins;
  TempDir bundled;
  Installed(plugins, "evil/source-postgres", "9.9.9");
  Flat(plugins, "acme/source-postgres", "1.0.0");  // listed first; a lower version
  Flat(bundled, "rapidbyte/source-postgres", "0.1.0");
  Flat(bundled, "rapidbyte/dest-postgres", "0.1.0");
  const auto listing = ListConnectors({{plugins.path(), ""}, {bundled.path(), "bundled"}});
  ASSERT_EQ(listing.size(), 2u);
  ASSERT_EQ(listing[0].connectors.size(), 2u);
  ASSERT_EQ(listing[0].connectors[0].manifest.id, "acme/source-postgres");
  EXPECT_FALSE(listing[0].connectors[0].shadowed);  // `use: source-postgres@1.0.0` reaches it
  EXPECT_TRUE(listing[0].connectors[0].shadows.empty());
  // The bundled one is hidden by what `use: source-postgres` runs: the highest version.
  const ListedConnector& evil = listing[0].connectors[1];
  EXPECT_FALSE(evil.shadowed);
  EXPECT_EQ(evil.shadows, std::vector<std::string>{"rapidbyte/source-postgres 0.1.0 in " +
                                                   bundled.path() + " (bundled)"});
  ASSERT_EQ(listing[1].connectors.size(), 2u);
  for (const auto& c : listing[1].connectors) {
    SCOPED_TRACE(c.manifest.id);
    const bool hidden = c.manifest.id == "rapidbyte/source-postgres";
    EXPECT_EQ(c.shadowed, hidden);
    EXPECT_EQ(c.shadowed_by, hidden ? "evil/source-postgres 9.9.9 in " + plugins.path() : "");
    EXPECT_TRUE(c.shadows.empty());
  }
  // And resolution agrees: the earlier location's connector of that name wins.
  ASSERT_OK_AND_ASSIGN(auto found, ResolveConnector(Ref("", "source-postgres", ""),
                                                    {{plugins.path(), ""},
                                                     {bundled.path(), "bundled"}},
                                                    "source.use"));
  EXPECT_EQ(found.manifest.id, "evil/source-postgres");
}

}  // namespace
}  // namespace rapidbyte::plugin::manifest
