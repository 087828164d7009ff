// `rapidbyte connectors list|install` end to end (SPEC §3.5, §4.1; scenarios 48 and 49),
// with a fresh HOME and native-code cache per run, plus the connector loader on what the
// command installed: checksum, module checks, the bundled folder, and that replaced code is
// retranslated rather than served from the cache.
#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include "base/test_util.h"
#include "config/yaml_reader.h"
#include "connectors/testing/compute_kernel.h"
#include "plugin/connector_loader.h"
#include "plugin/instance.h"
#include "plugin/manifest/config_check.h"
#include "plugin/manifest/resolve.h"
#include "plugin/translate/sha256.h"

namespace rapidbyte::plugin {
namespace {

namespace fs = std::filesystem;

struct CommandRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  ASSERT_TRUE(out.good()) << path;
}

std::string BinaryDir() { return std::getenv("RB_BINARY_DIR"); }
std::string Binary() { return BinaryDir() + "/bin/rapidbyte"; }
std::string BundledDir() { return BinaryDir() + "/connectors"; }
std::string Built(const std::string& name, const std::string& ext) {
  return BundledDir() + "/" + name + ext;
}

std::string Sha(const std::string& path) {
  const std::string text = ReadText(path);
  auto sha = translate::Sha256Hex(
      std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  return sha.ok() ? *sha : "";
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The suite's native-code cache, shared so each module is translated once per run.
std::string* suite_dir = nullptr;

class ConnectorsCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string pattern = ::testing::TempDir() + "/rb-connectors-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    suite_dir = new std::string(pattern);
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    fs::remove_all(*suite_dir, ec);
    delete suite_dir;
    suite_dir = nullptr;
  }
  void SetUp() override {
    dir_ = *suite_dir + "/" + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    home_ = dir_ + "/home";
    fs::create_directories(home_);
    fs::create_directories(dir_ + "/src");
  }

  std::string Cache() const { return *suite_dir + "/cache"; }
  std::string Plugins() const { return home_ + "/.rapidbyte/plugins"; }
  std::string InstalledDir(const std::string& name) const {
    return Plugins() + "/" + name + "/0.1.0";
  }

  // Copy a built module (as `as`.wasm) and a manifest into dir_/src; returns the .wasm path.
  std::string Stage(const std::string& module, const std::string& manifest_of,
                    const std::string& as) {
    const std::string wasm = dir_ + "/src/" + as + ".wasm";
    fs::copy_file(Built(module, ".wasm"), wasm, fs::copy_options::overwrite_existing);
    fs::copy_file(Built(manifest_of, ".manifest.json"), dir_ + "/src/" + as + ".manifest.json",
                  fs::copy_options::overwrite_existing);
    return wasm;
  }

  // Run the binary with HOME and RAPIDBYTE_CACHE_DIR set to this test's folders; entries of
  // `extra_env` come first and so win (getenv returns the first match).
  CommandRun Rapidbyte(const std::vector<std::string>& args,
                       const std::vector<std::string>& extra_env = {}) const {
    const std::string out_path = dir_ + "/stdout";
    const std::string err_path = dir_ + "/stderr";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    std::vector<std::string> argv_s = {Binary()};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_s = extra_env;
    for (std::string entry : {"HOME=" + home_, "RAPIDBYTE_CACHE_DIR=" + Cache(),
                              std::string("PATH=/usr/local/bin:/usr/bin:/bin")}) {
      env_s.push_back(std::move(entry));
    }
    for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "CC"}) {
      if (const char* value = std::getenv(name)) env_s.push_back(std::string(name) + "=" + value);
    }
    std::vector<char*> envp;
    for (auto& e : env_s) envp.push_back(e.data());
    envp.push_back(nullptr);
    pid_t pid = 0;
    CommandRun run;
    if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data()) == 0) {
      int status = 0;
      waitpid(pid, &status, 0);
      run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    posix_spawn_file_actions_destroy(&actions);
    run.out = ReadText(out_path);
    run.err = ReadText(err_path);
    return run;
  }

  // Resolve `name` the way a pipeline would, with this test's HOME and the build's bundled
  // folder.
  Result<manifest::ResolvedConnector> Resolve(const std::string& name) const {
    const std::string home = home_;
    auto env = [home](std::string_view var) -> std::optional<std::string> {
      if (var == "HOME") return home;
      return std::nullopt;
    };
    config::ConnectorRef ref;
    ref.name = name;
    ref.text = name;
    return manifest::ResolveConnector(ref, manifest::DefaultSearchLocations(env, BundledDir()),
                                      "source.use");
  }

  std::string dir_;
  std::string home_;
};

// What `connectors install` prints for a connector that asks for nothing.
const std::string kNoPermissions =
    "Permissions it asks for:\n  network: none\n  environment variables: none\n  files: none\n";

// The listing block of one connector, as `connectors list` prints it.
std::string Entry(const std::string& name, const std::string& roles, bool shadowed = false) {
  return "  " + name + " 0.1.0" + (shadowed ? " (shadowed)" : "") + "\n      id: rapidbyte/" +
         name + "\n      roles: " + roles + "\n      description: ";
}

std::string NativeLineAfter(const std::string& out, const std::string& block_start) {
  const std::size_t at = out.find(block_start);
  if (at == std::string::npos) return "(no block " + block_start + ")";
  const std::string key = "      native code: ";
  const std::size_t line = out.find(key, at);
  if (line == std::string::npos) return "(no native code line)";
  const std::size_t end = out.find('\n', line);
  return out.substr(line + key.size(), end - line - key.size());
}

TEST_F(ConnectorsCliTest, ListShowsLocationsAndBundledConnectorsReady) {
  const CommandRun run = Rapidbyte({"connectors", "list"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  // Locations in order: ~/.rapidbyte/plugins (missing here), then the build's connectors.
  const std::string plugins = Plugins() + "\n  nothing (the folder does not exist)\n";
  const std::string bundled = BundledDir() + " (bundled)\n";
  ASSERT_TRUE(Contains(run.out, plugins)) << run.out;
  ASSERT_TRUE(Contains(run.out, bundled)) << run.out;
  EXPECT_LT(run.out.find(plugins), run.out.find(bundled));
  for (const auto& [name, roles] :
       std::vector<std::pair<std::string, std::string>>{{"test-sequence", "source"},
                                                        {"test-collect", "destination"},
                                                        {"test-identity", "transform"},
                                                        {"test-hostile", "source"},
                                                        {"test-bench", "source, destination"}}) {
    SCOPED_TRACE(name);
    const std::string block = Entry(name, roles);
    EXPECT_TRUE(Contains(run.out, block)) << run.out;
    EXPECT_EQ(NativeLineAfter(run.out, block), "ready");
  }
  EXPECT_EQ(run.err, "");
  // `rapidbyte connectors` alone is `connectors list`.
  const CommandRun bare = Rapidbyte({"connectors"});
  EXPECT_EQ(bare.exit_code, 0);
  EXPECT_EQ(bare.out, run.out);
}

TEST_F(ConnectorsCliTest, ListMarksShadowedConnectorsAndModulesWithoutManifest) {
  // A RAPIDBYTE_CONNECTOR_DIR holding test-collect (with the bundled .so copied beside it,
  // which must not be trusted there) and a stray module.
  const std::string extra = dir_ + "/extra";
  fs::create_directories(extra);
  for (const char* ext : {".wasm", ".manifest.json", ".so"}) {
    fs::copy_file(Built("test-collect", ext), extra + "/test-collect" + ext);
  }
  fs::copy_file(Built("test-identity", ".wasm"), extra + "/stray.wasm");
  // A cache of its own, so no other test's translation of test-collect is found there.
  const CommandRun run =
      Rapidbyte({"connectors", "list"},
                {"RAPIDBYTE_CONNECTOR_DIR=" + extra, "RAPIDBYTE_CACHE_DIR=" + dir_ + "/cache"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string first = extra + " (RAPIDBYTE_CONNECTOR_DIR)\n";
  ASSERT_TRUE(Contains(run.out, first)) << run.out;
  EXPECT_EQ(run.out.find(first), 0u) << run.out;
  const std::string own = first + Entry("test-collect", "destination");
  EXPECT_TRUE(Contains(run.out, own)) << run.out;
  EXPECT_EQ(NativeLineAfter(run.out, own), "will translate on first use");
  EXPECT_TRUE(Contains(run.out, "  stray.wasm: no manifest (ignored)\n")) << run.out;
  const std::string hidden = Entry("test-collect", "destination", /*shadowed=*/true);
  EXPECT_GT(run.out.find(hidden), run.out.find(BundledDir() + " (bundled)")) << run.out;
  EXPECT_EQ(NativeLineAfter(run.out, hidden), "ready");
}

TEST_F(ConnectorsCliTest, InstallThenListedUsableAndReinstallNeedsForce) {
  const std::string wasm = Stage("test-sequence", "test-sequence", "test-sequence");
  // The bundled folder holds test-sequence too: installing it takes the name (--force).
  const CommandRun run = Rapidbyte({"connectors", "install", wasm, "--force"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string dir = InstalledDir("test-sequence");
  EXPECT_EQ(run.out, "Installed test-sequence 0.1.0 (rapidbyte/test-sequence) -> " + dir +
                         " (native code cached)\n"
                         "Shares its name with rapidbyte/test-sequence 0.1.0 in " +
                         BundledDir() +
                         " (bundled) (`use: test-sequence` runs the first found; see "
                         "`rapidbyte connectors list`)\n" +
                         kNoPermissions);
  EXPECT_EQ(ReadText(dir + "/test-sequence.wasm"), ReadText(wasm));
  EXPECT_EQ(ReadText(dir + "/test-sequence.manifest.json"),
            ReadText(Built("test-sequence", ".manifest.json")));
  // Nothing but the installed connector is left in the plugins folder.
  std::vector<std::string> entries;
  for (const auto& e : fs::directory_iterator(Plugins())) {
    entries.push_back(e.path().filename().string());
  }
  EXPECT_EQ(entries, std::vector<std::string>{"test-sequence"});

  const CommandRun list = Rapidbyte({"connectors", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  const std::string installed = Plugins() + "\n" + Entry("test-sequence", "source");
  EXPECT_TRUE(Contains(list.out, installed)) << list.out;
  EXPECT_EQ(NativeLineAfter(list.out, installed), "cached");
  EXPECT_TRUE(Contains(list.out, Entry("test-sequence", "source", /*shadowed=*/true))) << list.out;
  EXPECT_TRUE(Contains(list.out, "      shadows: rapidbyte/test-sequence 0.1.0 in " +
                                     BundledDir() + " (bundled)\n"))
      << list.out;
  EXPECT_TRUE(Contains(list.out, "      shadowed by: rapidbyte/test-sequence 0.1.0 in " +
                                     Plugins() + "\n"))
      << list.out;

  // Usable: resolution picks the installed copy and it loads from the cache.
  ASSERT_OK_AND_ASSIGN(auto resolved, Resolve("test-sequence"));
  EXPECT_EQ(resolved.wasm_path, dir + "/test-sequence.wasm");
  ASSERT_OK_AND_ASSIGN(LoadedConnector loaded,
                       LoadConnector(resolved, {.source = true}, Cache(), false));
  EXPECT_EQ(loaded.origin, translate::NativeCodeOrigin::kCached);
  EXPECT_EQ(loaded.wasm_sha256, Sha(wasm));
  EXPECT_GT(loaded.module_load_ms, 0);
  EXPECT_EQ(loaded.translate_ms, 0);
  HostContext host;
  host.connector_id = "rapidbyte/test-sequence";
  host.connector_version = "0.1.0";
  host.stage = "source";
  host.role = HostContext::Role::kSource;
  ASSERT_OK_AND_ASSIGN(auto instance, Instance::Create(loaded.module, std::move(host)));
  ASSERT_OK_AND_ASSIGN(std::string response,
                       instance->CallJson(Export::kOpen, R"({"config":{"json":{}}})"));
  EXPECT_EQ(nlohmann::json::parse(response)["data"]["protocol_version"], "1") << response;

  // Again without --force: exit 1 with the advice, nothing changed.
  const CommandRun again = Rapidbyte({"connectors", "install", wasm});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_EQ(again.out, "");
  EXPECT_EQ(again.err, "Error: test-sequence 0.1.0 is already installed in " + dir +
                           "; use --force to replace it\n");
}

TEST_F(ConnectorsCliTest, ForcedReinstallWithOtherCodeRunsTheNewCode) {
  const std::string wasm = Stage("test-sequence", "test-sequence", "test-sequence");
  ASSERT_EQ(Rapidbyte({"connectors", "install", wasm, "--force"}).exit_code, 0);
  ASSERT_OK_AND_ASSIGN(auto resolved, Resolve("test-sequence"));
  ASSERT_OK_AND_ASSIGN(LoadedConnector before,
                       LoadConnector(resolved, {.source = true}, Cache(), false));
  EXPECT_EQ(before.module->table().run_write, nullptr);  // test-sequence is a source only

  // Same name and version, different code: test-bench also meets the source contract.
  fs::copy_file(Built("test-bench", ".wasm"), wasm, fs::copy_options::overwrite_existing);
  const CommandRun run = Rapidbyte({"connectors", "install", wasm, "--force"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(Contains(run.out, "Installed test-sequence 0.1.0")) << run.out;
  const std::string dir = InstalledDir("test-sequence");
  EXPECT_EQ(ReadText(dir + "/test-sequence.wasm"), ReadText(Built("test-bench", ".wasm")));

  ASSERT_OK_AND_ASSIGN(resolved, Resolve("test-sequence"));
  ASSERT_OK_AND_ASSIGN(LoadedConnector after,
                       LoadConnector(resolved, {.source = true}, Cache(), false));
  EXPECT_EQ(after.wasm_sha256, Sha(Built("test-bench", ".wasm")));
  EXPECT_NE(after.native_path, before.native_path);
  EXPECT_NE(after.module->table().run_write, nullptr);
  HostContext host;
  host.connector_id = "rapidbyte/test-sequence";
  host.connector_version = "0.1.0";
  host.stage = "source";
  host.role = HostContext::Role::kSource;
  ASSERT_OK_AND_ASSIGN(auto instance, Instance::Create(after.module, std::move(host)));
  ASSERT_OK_AND_ASSIGN(std::string response,
                       instance->CallJson(Export::kRunRead, R"({"mode":"compute","n":1000})"));
  const auto doc = nlohmann::json::parse(response);
  EXPECT_EQ(doc["status"], "ok") << response;
  EXPECT_EQ(doc["data"], testing_connectors::ComputeKernel(1000, 1)) << response;
}

// Name takeover: a manifest `evil/test-sequence` 9.9.9 would take `use: test-sequence` from
// the bundled rapidbyte/test-sequence (and the config and passwords of every pipeline using
// it). Refused, exit 1, naming both, nothing installed; --force installs it, says whose name
// it shares, and `connectors list` names both sides.
TEST_F(ConnectorsCliTest, InstallRefusesANameAnotherConnectorUsesUnlessForced) {
  const std::string wasm = Stage("test-sequence", "test-sequence", "test-sequence");
  auto doc = nlohmann::json::parse(ReadText(Built("test-sequence", ".manifest.json")));
  doc["id"] = "evil/test-sequence";
  doc["version"] = "9.9.9";
  WriteText(dir_ + "/src/test-sequence.manifest.json", doc.dump());
  const std::string bundled = "rapidbyte/test-sequence 0.1.0 in " + BundledDir() + " (bundled)";

  const CommandRun refused = Rapidbyte({"connectors", "install", wasm});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.out, "");
  EXPECT_EQ(refused.err,
            "Error: not installing evil/test-sequence 9.9.9: the name test-sequence is already "
            "used by " +
                bundled +
                ". Pipelines with `use: test-sequence` run the first connector of that name "
                "found, and give it their config and credentials. Use --force to install it "
                "anyway (pin the others with `use: <org>/<name>@<version>`)\n");
  EXPECT_FALSE(fs::exists(Plugins() + "/test-sequence"));
  ASSERT_OK_AND_ASSIGN(auto still, Resolve("test-sequence"));
  EXPECT_EQ(still.manifest.id, "rapidbyte/test-sequence");

  const CommandRun forced = Rapidbyte({"connectors", "install", wasm, "--force"});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  const std::string dir = Plugins() + "/test-sequence/9.9.9";
  EXPECT_EQ(forced.out, "Installed test-sequence 9.9.9 (evil/test-sequence) -> " + dir +
                            " (native code cached)\nShares its name with " + bundled +
                            " (`use: test-sequence` runs the first found; see `rapidbyte "
                            "connectors list`)\n" +
                            kNoPermissions);
  ASSERT_OK_AND_ASSIGN(auto taken, Resolve("test-sequence"));
  EXPECT_EQ(taken.manifest.id, "evil/test-sequence");

  const CommandRun list = Rapidbyte({"connectors", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_TRUE(Contains(list.out, "  test-sequence 9.9.9\n      id: evil/test-sequence\n"))
      << list.out;
  EXPECT_TRUE(Contains(list.out, "      shadows: " + bundled + "\n")) << list.out;
  EXPECT_TRUE(Contains(list.out, Entry("test-sequence", "source", /*shadowed=*/true))) << list.out;
  EXPECT_TRUE(Contains(list.out, "      shadowed by: evil/test-sequence 9.9.9 in " + Plugins() +
                                     "\n"))
      << list.out;

  // Another version of a name already installed takes `use: <name>` too.
  doc["version"] = "9.9.10";
  WriteText(dir_ + "/src/test-sequence.manifest.json", doc.dump());
  const CommandRun upgrade = Rapidbyte({"connectors", "install", wasm});
  EXPECT_EQ(upgrade.exit_code, 1);
  EXPECT_TRUE(Contains(upgrade.err, "used by evil/test-sequence 9.9.9 in " + Plugins() + "; " +
                                        bundled + ". "))
      << upgrade.err;
}

// `connectors install` prints what the connector may reach: network (allowed hosts, the
// config's hosts, TLS), environment variables and files (preopens and the directory its
// config may name).
TEST_F(ConnectorsCliTest, InstallPrintsTheRequestedPermissions) {
  const std::string wasm = Stage("test-hostile", "test-hostile", "hostile-copy");
  auto doc = nlohmann::json::parse(ReadText(Built("test-hostile", ".manifest.json")));
  doc["id"] = "acme/hostile-copy";
  doc["permissions"]["network"]["allowed_domains"] = {"db.example.com:5432", "10.0.0.0/8"};
  doc["permissions"]["network"]["tls"] = "required";
  doc["permissions"]["env"] = {{"allowed_vars", {"PGPASSWORD", "TZ"}}};
  doc["permissions"]["fs"] = {
      {"preopens", {"/srv/in", {{"path", "/srv/out"}, {"write", true}}}},
      {"config_path",
       {{"field", "dir"}, {"write", true}, {"create", true}, {"within", {"/data", "/tmp"}}}}};
  WriteText(dir_ + "/src/hostile-copy.manifest.json", doc.dump());
  const CommandRun run = Rapidbyte({"connectors", "install", wasm});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "Installed hostile-copy 0.1.0 (acme/hostile-copy) -> " +
                         InstalledDir("hostile-copy") +
                         " (native code cached)\n"
                         "Permissions it asks for:\n"
                         "  network: db.example.com:5432, 10.0.0.0/8, the hosts named in the "
                         "pipeline's config (TLS required)\n"
                         "  environment variables: PGPASSWORD, TZ\n"
                         "  files: /srv/in (read-only), /srv/out (read-write), the directory "
                         "its config's 'dir' names beneath /data, /tmp (read-write, created)\n");
}

TEST_F(ConnectorsCliTest, ChecksumMismatchIsExit2NamingTheFile) {
  const std::string wasm = Stage("test-sequence", "test-sequence", "test-sequence");
  auto doc = nlohmann::json::parse(ReadText(Built("test-sequence", ".manifest.json")));
  const std::string wrong = "sha256:" + std::string(64, '0');
  doc["artifact"] = {{"checksum", wrong}};
  const std::string manifest_path = dir_ + "/checked.manifest.json";
  WriteText(manifest_path, doc.dump());
  const CommandRun run = Rapidbyte({"connectors", "install", wasm, "--manifest", manifest_path});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "Error: WASM checksum mismatch for " + wasm + ". Expected: " + wrong +
                         ", file may be corrupted or tampered.\n");
  EXPECT_FALSE(fs::exists(InstalledDir("test-sequence")));

  // The loader refuses the same pair.
  ASSERT_OK_AND_ASSIGN(auto m, manifest::LoadManifestFile(manifest_path));
  manifest::ResolvedConnector resolved{m, manifest_path, wasm, {dir_ + "/src", ""}};
  auto loaded = LoadConnector(resolved, {.source = true}, Cache(), false);
  EXPECT_EQ(loaded.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(loaded.status().message(), "WASM checksum mismatch for " + wasm))
      << loaded.status().message();

  // With the right checksum it installs.
  doc["artifact"]["checksum"] = "sha256:" + Sha(wasm);
  WriteText(manifest_path, doc.dump());
  const CommandRun ok =
      Rapidbyte({"connectors", "install", wasm, "--manifest", manifest_path, "--force"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_TRUE(fs::exists(InstalledDir("test-sequence") + "/test-sequence.wasm"));
}

TEST_F(ConnectorsCliTest, ModuleMissingARequiredExportIsExit2AndNotInstalled) {
  // test-collect's code under test-sequence's (source) manifest: no rb_run_read/rb_discover.
  const std::string wasm = Stage("test-collect", "test-sequence", "test-sequence");
  const CommandRun run = Rapidbyte({"connectors", "install", wasm});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_TRUE(
      Contains(run.err, "Error: connector rapidbyte/test-sequence 0.1.0: missing export rb_"))
      << run.err;
  EXPECT_TRUE(Contains(run.err, " (required for role source)\n")) << run.err;
  EXPECT_FALSE(fs::exists(Plugins() + "/test-sequence"));
}

TEST_F(ConnectorsCliTest, InstallWithoutManifestIsExit2) {
  const std::string wasm = dir_ + "/src/lonely.wasm";
  fs::copy_file(Built("test-sequence", ".wasm"), wasm);
  const CommandRun run = Rapidbyte({"connectors", "install", wasm});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err, "Error: " + wasm + ": no manifest (expected " + dir_ +
                         "/src/lonely.manifest.json; or pass --manifest <file>)\n");
  const CommandRun usage = Rapidbyte({"connectors", "install"});
  EXPECT_EQ(usage.exit_code, 2);
}

TEST_F(ConnectorsCliTest, LoaderUsesBundledCodeOnlyInTheBundledLocation) {
  ASSERT_OK_AND_ASSIGN(auto resolved, Resolve("test-collect"));
  EXPECT_EQ(resolved.location.label, "bundled");
  ASSERT_OK_AND_ASSIGN(LoadedConnector loaded,
                       LoadConnector(resolved, {.destination = true}, Cache(), true));
  EXPECT_EQ(loaded.origin, translate::NativeCodeOrigin::kBundled);
  EXPECT_EQ(loaded.native_path, Built("test-collect", ".so"));
  EXPECT_NE(loaded.module->table().run_write, nullptr);

  // A role the manifest does not declare is refused before anything is translated.
  auto wrong_role = LoadConnector(resolved, {.source = true}, Cache(), true);
  EXPECT_EQ(wrong_role.status().message(),
            "connector rapidbyte/test-collect 0.1.0: does not declare the source role (roles: "
            "destination)");
}

// The test connectors' manifests accept exactly the fields their code reads.
TEST(TestConnectorManifestTest, ConfigSchemasAcceptWhatTheCodeReads) {
  const std::vector<std::pair<std::string, std::string>> accepted = {
      {"test-sequence", "rows: 5\nbatch_rows: 2"},
      {"test-collect", "{}"},
      {"test-identity", "{}"},
      {"test-hostile", "mode: netecho\nhost: 127.0.0.1\nport: 5432"},
      {"test-bench", "mode: compute\nn: 10\nsize: 64\nrounds: 3"}};
  for (const auto& [name, yaml] : accepted) {
    SCOPED_TRACE(name);
    ASSERT_OK_AND_ASSIGN(auto m, manifest::LoadManifestFile(Built(name, ".manifest.json")));
    EXPECT_EQ(m.id, "rapidbyte/" + name);
    EXPECT_EQ(m.version, "0.1.0");
    ASSERT_OK_AND_ASSIGN(config::Value value, config::ParseYaml(yaml, "test.yaml"));
    const auto check = manifest::CheckConnectorConfig(m.config_schema.get(), value, "config");
    EXPECT_TRUE(check.ok()) << check.problems[0];
    ASSERT_OK_AND_ASSIGN(config::Value typo, config::ParseYaml("colour: 1", "test.yaml"));
    EXPECT_FALSE(
        manifest::CheckConnectorConfig(m.config_schema.get(), typo, "config").problems.empty());
  }
  ASSERT_OK_AND_ASSIGN(auto hostile,
                       manifest::LoadManifestFile(Built("test-hostile", ".manifest.json")));
  EXPECT_TRUE(hostile.permissions.network.allow_runtime_config_domains);
  ASSERT_OK_AND_ASSIGN(auto sequence,
                       manifest::LoadManifestFile(Built("test-sequence", ".manifest.json")));
  ASSERT_OK_AND_ASSIGN(config::Value empty, config::ParseYaml("{}", "test.yaml"));
  EXPECT_EQ(manifest::CheckConnectorConfig(sequence.config_schema.get(), empty, "config").config,
            nlohmann::json({{"rows", 100}, {"batch_rows", 10}, {"checkpoints", 0}}));
}

TEST(BundledConnectorDirTest, InstalledAndDevelopmentLayouts) {
  EXPECT_EQ(BundledConnectorDirFor("/opt/rb/bin/rapidbyte"), "/opt/rb/lib/rapidbyte/connectors");
  EXPECT_EQ(BundledConnectorDirFor("/usr/bin/rapidbyte"), "/usr/lib/rapidbyte/connectors");
  EXPECT_EQ(BundledConnectorDirFor(BinaryDir() + "/bin/rapidbyte"), BinaryDir() + "/connectors");
  // The test binary itself is not at bin/, but the helper must still answer.
  ASSERT_OK_AND_ASSIGN(std::string self, BundledConnectorDir());
  EXPECT_FALSE(self.empty());
}

}  // namespace
}  // namespace rapidbyte::plugin
