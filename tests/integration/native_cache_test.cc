// The native-code translator and cache with real connectors: the test connectors' .wasm
// files (built with clang-19) are translated at test time with wasm2c and the system C
// compiler into a temporary cache, verified, loaded with dlopen and run.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <sys/wait.h>

#include "base/log.h"
#include "base/test_util.h"
#include "plugin/instance.h"
#include "plugin/module.h"
#include "plugin/translate/cache.h"
#include "plugin/translate/files.h"
#include "plugin/translate/module_check.h"
#include "plugin/translate/sha256.h"

namespace rapidbyte::plugin::translate {
namespace {

namespace fs = std::filesystem;

std::string BuiltConnector(const std::string& name, const std::string& ext) {
  const char* dir = std::getenv("RB_BINARY_DIR");
  return std::string(dir ? dir : ".") + "/connectors/" + name + ext;
}

std::vector<std::uint8_t> ReadOrDie(const std::string& path) {
  auto bytes = ReadFileBytes(path, 64 << 20);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? *bytes : std::vector<std::uint8_t>{};
}

std::string AsString(const std::vector<std::uint8_t>& bytes) {
  return std::string(bytes.begin(), bytes.end());
}

std::string ShaOf(const std::string& path) {
  auto sha = Sha256Hex(ReadOrDie(path));
  return sha.ok() ? *sha : "";
}

// The probe's answer as text, so an error cannot pass for a state.
std::string Probe(const std::string& wasm, const std::string& cache, bool accept_bundled) {
  auto state = ProbeNativeCode(wasm, cache, accept_bundled);
  if (!state.ok()) return state.status().ToString();
  switch (*state) {
    case NativeCodeState::kBundled:
      return "bundled";
    case NativeCodeState::kCached:
      return "cached";
    case NativeCodeState::kNeedsTranslation:
      return "needs translation";
  }
  return "?";
}

void CopyFile(const std::string& from, const std::string& to) {
  ASSERT_OK(WriteFileBytes(to, AsString(ReadOrDie(from))));
}

// Collects log messages (the translator reports each translation at info level).
class CollectingSink : public LogSink {
 public:
  void Write(LogLevel, std::string_view message, const LogFields&) override {
    std::lock_guard<std::mutex> lock(mu_);
    messages_.emplace_back(message);
  }
  int Count(std::string_view needle) {
    std::lock_guard<std::mutex> lock(mu_);
    int n = 0;
    for (const auto& m : messages_) n += m.find(needle) != std::string::npos ? 1 : 0;
    return n;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> messages_;
};

class NativeCacheTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string pattern = ::testing::TempDir() + "/native-cache-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    suite_dir_ = new std::string(pattern);
    sink_ = new CollectingSink();
    SetLogSink(sink_);
  }
  static void TearDownTestSuite() {
    SetLogSink(nullptr);
    std::error_code ec;
    fs::remove_all(*suite_dir_, ec);
    delete sink_;
    delete suite_dir_;
  }
  void SetUp() override {
    dir_ = *suite_dir_ + "/" + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::create_directories(dir_);
  }

  // Shared by the tests: translations done once are reused through the cache.
  static std::string SuiteCache() { return *suite_dir_ + "/cache"; }

  static std::string* suite_dir_;
  static CollectingSink* sink_;
  std::string dir_;  // this test's own directory
};

std::string* NativeCacheTest::suite_dir_ = nullptr;
CollectingSink* NativeCacheTest::sink_ = nullptr;

HostContext MakeHost(const std::string& id, HostContext::Role role) {
  HostContext host;
  host.connector_id = "rapidbyte/" + id;
  host.connector_version = "0.1.0";
  host.stage = role == HostContext::Role::kSource ? "source" : "destination";
  host.stream = "public.test";
  host.role = role;
  return host;
}

nlohmann::json ParseOk(const Result<std::string>& response) {
  EXPECT_TRUE(response.ok()) << response.status().ToString();
  if (!response.ok()) return nullptr;
  auto doc = nlohmann::json::parse(*response);
  EXPECT_EQ(doc["status"], "ok") << *response;
  return doc["data"];
}

// Run `source` into `sink` through a channel on two threads; returns both responses' data.
std::pair<nlohmann::json, nlohmann::json> RunPipeline(std::shared_ptr<Module> source,
                                                      std::shared_ptr<Module> sink,
                                                      std::int64_t rows) {
  auto cancel = std::make_shared<CancellationToken>();
  FrameChannel channel(4, cancel);
  Result<std::string> read = Status::Internal("not run");
  Result<std::string> written = Status::Internal("not run");
  std::thread sink_thread([&] {
    HostContext host = MakeHost("test-collect", HostContext::Role::kDestination);
    host.input = &channel;
    host.cancel = cancel;
    auto instance = Instance::Create(sink, std::move(host));
    written =
        instance.ok() ? (*instance)->CallJson(plugin::Export::kRunWrite, "{}") : instance.status();
    if (!written.ok()) channel.FailConsumer();
  });
  HostContext host = MakeHost("test-sequence", HostContext::Role::kSource);
  host.output = &channel;
  host.cancel = cancel;
  auto instance = Instance::Create(source, std::move(host));
  read = instance.ok()
             ? (*instance)->CallJson(plugin::Export::kRunRead,
                                     "{\"rows\":" + std::to_string(rows) + ",\"batch_rows\":1000}")
             : instance.status();
  if (read.ok()) {
    channel.Finish();
  } else {
    channel.FailProducer();
  }
  sink_thread.join();
  return {ParseOk(read), ParseOk(written)};
}

TEST_F(NativeCacheTest, BuiltConnectorsPassTheModuleCheck) {
  const ConnectorRef sequence{"rapidbyte/test-sequence", "0.1.0"};
  EXPECT_OK(CheckModuleBytes(ReadOrDie(BuiltConnector("test-sequence", ".wasm")), sequence,
                             {.source = true}));
  EXPECT_OK(CheckModuleBytes(ReadOrDie(BuiltConnector("test-collect", ".wasm")),
                             {"rapidbyte/test-collect", "0.1.0"}, {.destination = true}));
  // test-hostile exports rb_run_read but not rb_discover: only the common contract holds.
  EXPECT_OK(CheckModuleBytes(ReadOrDie(BuiltConnector("test-hostile", ".wasm")),
                             {"rapidbyte/test-hostile", "0.1.0"}, {}));
  Status wrong_role = CheckModuleBytes(ReadOrDie(BuiltConnector("test-sequence", ".wasm")),
                                       sequence, {.destination = true});
  EXPECT_EQ(wrong_role.message(),
            "connector rapidbyte/test-sequence 0.1.0: missing export rb_run_write (required for "
            "role destination)");
}

TEST_F(NativeCacheTest, BundledObjectsCarryTheHostKey) {
  for (const char* name : {"test-sequence", "test-collect", "test-hostile"}) {
    const std::string wasm = BuiltConnector(name, ".wasm");
    SCOPED_TRACE(name);
    EXPECT_OK(VerifyNativeCode(BuiltConnector(name, ".so"), ShaOf(wasm)));
  }
  const std::string wasm = BuiltConnector("test-sequence", ".wasm");
  NativeCodeOrigin origin = NativeCodeOrigin::kTranslated;
  ASSERT_OK_AND_ASSIGN(std::string path,
                       EnsureNativeCode(wasm, "test-sequence", "0.1.0", dir_ + "/cache",
                                        {.accept_bundled = true, .origin = &origin, .wasm_sha256 = {}}));
  EXPECT_EQ(origin, NativeCodeOrigin::kBundled);
  EXPECT_EQ(path, BuiltConnector("test-sequence", ".so"));
  // The footer after the ELF image does not disturb dlopen.
  EXPECT_OK(Module::Load(path, "test-sequence").status());
  EXPECT_EQ(Probe(wasm, dir_ + "/cache", true), "bundled");
  // Beside a third-party .wasm the same object is not trusted.
  EXPECT_EQ(Probe(wasm, dir_ + "/cache", false), "needs translation");
}

TEST_F(NativeCacheTest, TranslatesOnFirstUseThenHitsTheCache) {
  const std::string wasm = dir_ + "/seq.wasm";
  CopyFile(BuiltConnector("test-sequence", ".wasm"), wasm);
  const std::string message = "Translating test-sequence 0.1.0 to native code (first use)...";
  const int logged_before = sink_->Count(message);

  NativeCodeOrigin origin = NativeCodeOrigin::kBundled;
  ASSERT_OK_AND_ASSIGN(std::string path, EnsureNativeCode(wasm, "test-sequence", "0.1.0",
                                                          SuiteCache(), {.origin = &origin, .wasm_sha256 = {}}));
  EXPECT_EQ(origin, NativeCodeOrigin::kTranslated);
  EXPECT_EQ(sink_->Count(message), logged_before + 1);
  EXPECT_EQ(path, NativeCacheEntryPath(SuiteCache(), ShaOf(wasm)));
  EXPECT_OK(VerifyNativeCode(path, ShaOf(wasm)));
  EXPECT_EQ(Probe(wasm, SuiteCache(), false), "cached");

  ASSERT_OK_AND_ASSIGN(std::string again, EnsureNativeCode(wasm, "test-sequence", "0.1.0",
                                                           SuiteCache(), {.origin = &origin, .wasm_sha256 = {}}));
  EXPECT_EQ(origin, NativeCodeOrigin::kCached);
  EXPECT_EQ(again, path);
  EXPECT_EQ(sink_->Count(message), logged_before + 1);

  ASSERT_OK_AND_ASSIGN(auto module, Module::Load(path, "test-sequence"));
  ASSERT_OK_AND_ASSIGN(
      auto instance,
      Instance::Create(module, MakeHost("test-sequence", HostContext::Role::kSource)));
  auto info = ParseOk(instance->CallJson(plugin::Export::kOpen, R"({"config":{"json":{}}})"));
  EXPECT_EQ(info["protocol_version"], "1");
}

// A caller that hashed the module itself passes the hash; if the file no longer has it when
// it must be translated, nothing is translated under the stale name.
TEST_F(NativeCacheTest, PrecomputedHashThatNoLongerMatchesIsRefused) {
  const std::string wasm = dir_ + "/conn.wasm";
  CopyFile(BuiltConnector("test-sequence", ".wasm"), wasm);
  const std::string stale(64, 'a');
  auto native = EnsureNativeCode(wasm, "conn", "0.1.0", SuiteCache(),
                                 {.accept_bundled = false, .origin = nullptr, .wasm_sha256 = stale});
  ASSERT_FALSE(native.ok());
  EXPECT_NE(native.status().message().find("changed while it was being loaded"), std::string::npos)
      << native.status().ToString();
  EXPECT_FALSE(std::filesystem::exists(NativeCacheEntryPath(SuiteCache(), stale)));
}

TEST_F(NativeCacheTest, ChangedModuleIsRetranslatedAndTheNewCodeRuns) {
  const std::string wasm = dir_ + "/conn.wasm";
  CopyFile(BuiltConnector("test-sequence", ".wasm"), wasm);
  ASSERT_OK_AND_ASSIGN(std::string first, EnsureNativeCode(wasm, "conn", "0.1.0", SuiteCache()));
  // Same file name, different bytes: the cache must not serve the old code.
  CopyFile(BuiltConnector("test-collect", ".wasm"), wasm);
  NativeCodeOrigin origin = NativeCodeOrigin::kCached;
  ASSERT_OK_AND_ASSIGN(std::string second,
                       EnsureNativeCode(wasm, "conn", "0.1.0", SuiteCache(), {.origin = &origin, .wasm_sha256 = {}}));
  EXPECT_EQ(origin, NativeCodeOrigin::kTranslated);
  EXPECT_NE(second, first);

  ASSERT_OK_AND_ASSIGN(auto source, Module::Load(first, "conn (sequence)"));
  ASSERT_OK_AND_ASSIGN(auto sink, Module::Load(second, "conn (collect)"));
  EXPECT_NE(source->table().run_read, nullptr);
  EXPECT_EQ(source->table().run_write, nullptr);
  EXPECT_NE(sink->table().run_write, nullptr);
  EXPECT_EQ(sink->table().run_read, nullptr);
  auto [read, written] = RunPipeline(source, sink, 10000);
  EXPECT_EQ(read["records_read"], 10000);
  EXPECT_EQ(written["records_written"], 10000);
  EXPECT_EQ(written["x_sum"], std::uint64_t{10000} * 9999 / 2);
}

TEST_F(NativeCacheTest, TamperedEntriesAreNeverLoaded) {
  const std::string wasm = BuiltConnector("test-sequence", ".wasm");
  const std::string sha = ShaOf(wasm);
  ASSERT_OK_AND_ASSIGN(std::string good,
                       EnsureNativeCode(wasm, "test-sequence", "0.1.0", SuiteCache()));
  const std::string original = AsString(ReadOrDie(good));
  const std::string cache = dir_ + "/cache";
  const std::string entry = NativeCacheEntryPath(cache, sha);
  fs::create_directories(fs::path(entry).parent_path());
  chmod(fs::path(entry).parent_path().c_str(), 0700);

  struct Tamper {
    const char* what;
    std::string contents;
    StatusCode code;
  };
  std::string code_edited = original;
  code_edited[original.size() / 3] ^= 0x20;
  std::string key_edited = original;
  const std::size_t key_at = key_edited.rfind(";target=");
  ASSERT_NE(key_at, std::string::npos);
  key_edited[key_at + 8] ^= 0x01;
  std::string hash_edited = original;
  const std::size_t hash_at = hash_edited.rfind("\"wasm_sha256\":\"");
  ASSERT_NE(hash_at, std::string::npos);
  hash_edited[hash_at + 15] = hash_edited[hash_at + 15] == '0' ? '1' : '0';
  const std::string no_footer = original.substr(0, original.rfind("{\"format\""));
  for (const Tamper& t : {Tamper{"code", code_edited, StatusCode::kDataLoss},
                          Tamper{"key", key_edited, StatusCode::kFailedPrecondition},
                          Tamper{"wasm hash", hash_edited, StatusCode::kFailedPrecondition},
                          Tamper{"footer removed", no_footer, StatusCode::kFailedPrecondition}}) {
    ASSERT_OK(WriteFileBytes(entry, t.contents));
    EXPECT_EQ(VerifyNativeCode(entry, sha).code(), t.code) << t.what;
    EXPECT_EQ(Probe(wasm, cache, false), "needs translation") << t.what;
  }

  // EnsureNativeCode discards the tampered entry (with a warning) and translates again.
  ASSERT_OK(WriteFileBytes(entry, code_edited));
  const int warned = sink_->Count("discarding native-code cache entry");
  NativeCodeOrigin origin = NativeCodeOrigin::kCached;
  ASSERT_OK_AND_ASSIGN(std::string path, EnsureNativeCode(wasm, "test-sequence", "0.1.0", cache,
                                                          {.origin = &origin, .wasm_sha256 = {}}));
  EXPECT_EQ(origin, NativeCodeOrigin::kTranslated);
  EXPECT_GE(sink_->Count("discarding native-code cache entry"), warned + 1);
  EXPECT_EQ(path, entry);
  EXPECT_OK(VerifyNativeCode(path, sha));
}

TEST_F(NativeCacheTest, MissingCompilerGivesTheExactMessage) {
  const char* old_cc = std::getenv("CC");
  const std::string saved = old_cc ? old_cc : "";
  setenv("CC", "/nonexistent", 1);
  auto result = EnsureNativeCode(BuiltConnector("test-sequence", ".wasm"), "test-sequence", "0.1.0",
                                 dir_ + "/cache");
  if (old_cc) {
    setenv("CC", saved.c_str(), 1);
  } else {
    unsetenv("CC");
  }
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().message(),
            "cannot translate connector test-sequence: no C compiler found (set CC)");
  EXPECT_FALSE(fs::exists(
      NativeCacheEntryPath(dir_ + "/cache", ShaOf(BuiltConnector("test-sequence", ".wasm")))));
}

TEST_F(NativeCacheTest, InvalidModulesAreNotTranslated) {
  const std::string wasm = dir_ + "/junk.wasm";
  ASSERT_OK(WriteFileBytes(wasm, std::string("\0asm\x01\0\0\0\x01\xff", 10)));
  auto result = EnsureNativeCode(wasm, "junk", "1.0.0", dir_ + "/cache");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("connector junk 1.0.0: not a valid WebAssembly module"),
            std::string::npos)
      << result.status().ToString();
}

TEST_F(NativeCacheTest, CacheWritableByOthersIsRefused) {
  const std::string cache = dir_ + "/cache";
  fs::create_directories(cache + "/native");
  chmod((cache + "/native").c_str(), 0777);
  auto result =
      EnsureNativeCode(BuiltConnector("test-sequence", ".wasm"), "test-sequence", "0.1.0", cache);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("writable by another user"), std::string::npos);
}

TEST_F(NativeCacheTest, ConcurrentThreadsAndProcessesTranslateOnce) {
  const std::string cache = dir_ + "/cache";
  const std::string wasm = BuiltConnector("test-collect", ".wasm");
  auto ensure = [&](NativeCodeOrigin* origin) {
    return EnsureNativeCode(wasm, "test-collect", "0.1.0", cache, {.origin = origin, .wasm_sha256 = {}});
  };
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    NativeCodeOrigin origin = NativeCodeOrigin::kBundled;
    auto path = ensure(&origin);
    _exit(path.ok() ? 10 + static_cast<int>(origin) : 1);
  }
  NativeCodeOrigin origins[2] = {NativeCodeOrigin::kBundled, NativeCodeOrigin::kBundled};
  Result<std::string> paths[2] = {Status::Internal("not run"), Status::Internal("not run")};
  std::thread a([&] { paths[0] = ensure(&origins[0]); });
  std::thread b([&] { paths[1] = ensure(&origins[1]); });
  a.join();
  b.join();
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_GE(WEXITSTATUS(status), 10) << "the child process failed";
  const auto child_origin = static_cast<NativeCodeOrigin>(WEXITSTATUS(status) - 10);

  ASSERT_OK(paths[0].status());
  ASSERT_OK(paths[1].status());
  EXPECT_EQ(*paths[0], *paths[1]);
  int translated = 0;
  for (NativeCodeOrigin o : {origins[0], origins[1], child_origin}) {
    EXPECT_NE(o, NativeCodeOrigin::kBundled);
    translated += o == NativeCodeOrigin::kTranslated ? 1 : 0;
  }
  EXPECT_EQ(translated, 1);
  EXPECT_OK(VerifyNativeCode(*paths[0], ShaOf(wasm)));
  // No temporary directories are left behind.
  for (const auto& entry : fs::directory_iterator(cache + "/native")) {
    EXPECT_EQ(entry.path().filename().string().rfind(".tmp-", 0), std::string::npos)
        << entry.path();
  }
}

TEST(DefaultCacheDirTest, EnvironmentThenHome) {
  const char* old_dir = std::getenv("RAPIDBYTE_CACHE_DIR");
  const std::string saved = old_dir ? old_dir : "";
  setenv("RAPIDBYTE_CACHE_DIR", "/tmp/rb-cache", 1);
  EXPECT_EQ(DefaultCacheDir().ValueOr(""), "/tmp/rb-cache");
  unsetenv("RAPIDBYTE_CACHE_DIR");
  const char* home = std::getenv("HOME");
  if (home != nullptr) {
    EXPECT_EQ(DefaultCacheDir().ValueOr(""), std::string(home) + "/.rapidbyte/cache");
  }
  if (old_dir != nullptr) setenv("RAPIDBYTE_CACHE_DIR", saved.c_str(), 1);
}

}  // namespace
}  // namespace rapidbyte::plugin::translate
