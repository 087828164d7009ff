// Hostile connectors against the real runtime: every misbehaviour fails its own call with a
// typed error; the process, and a healthy pipeline running at the same time, keep going.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "arrow/ipc/reader.h"
#include "base/test_util.h"
#include "plugin/host_error.h"
#include "plugin/instance.h"
#include "plugin/module.h"

namespace rapidbyte::plugin {
namespace {

std::shared_ptr<Module> Hostile() {
  static std::shared_ptr<Module> module = [] {
    auto m = Module::Load(std::string(std::getenv("RB_BINARY_DIR")) + "/connectors/test-hostile.so",
                          "test-hostile");
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    return m.ok() ? *m : nullptr;
  }();
  return module;
}

// Output channels for hostile sources; they live as long as the test process.
FrameChannel* NewChannel() {
  static std::mutex mu;
  static std::vector<std::unique_ptr<FrameChannel>> channels;
  std::lock_guard<std::mutex> lock(mu);
  channels.push_back(std::make_unique<FrameChannel>(4, nullptr));
  return channels.back().get();
}

std::unique_ptr<Instance> NewHostile(std::uint64_t max_memory = 64u << 20,
                                     std::vector<std::string> env = {}) {
  HostContext host;
  host.output = NewChannel();
  host.connector_id = "rapidbyte/test-hostile";
  host.connector_version = "0.1.0";
  host.stage = "source";
  host.stream = "public.hostile";
  host.role = HostContext::Role::kSource;
  host.wasi.allowed_env = std::move(env);
  InstanceOptions options;
  options.max_memory = max_memory;
  auto instance = Instance::Create(Hostile(), std::move(host), options);
  EXPECT_TRUE(instance.ok()) << instance.status().ToString();
  return instance.ok() ? std::move(*instance) : nullptr;
}

Result<std::string> RunMode(Instance& instance, const std::string& mode) {
  return instance.CallJson(Export::kRunRead, "{\"mode\":\"" + mode + "\"}");
}

void ExpectTrap(const std::string& mode, const std::string& kind) {
  auto instance = NewHostile();
  ASSERT_NE(instance, nullptr);
  auto r = RunMode(*instance, mode);
  ASSERT_FALSE(r.ok()) << mode << " returned " << r.ValueOr("");
  EXPECT_EQ(HostErrorCode(r.status()), "CONNECTOR_TRAPPED") << r.status().ToString();
  EXPECT_EQ(r.status().message(),
            "connector rapidbyte/test-hostile 0.1.0 trapped in rb_run_read: " + kind);
  EXPECT_TRUE(instance->trapped());
  // A trapped instance is never entered again.
  auto again = instance->CallJson(Export::kOpen, "{}");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(HostErrorCode(again.status()), "CONNECTOR_TRAPPED");
}

nlohmann::json RunOk(const std::string& mode, std::vector<std::string> env = {}) {
  auto instance = NewHostile(64u << 20, std::move(env));
  if (instance == nullptr) return nullptr;
  auto r = RunMode(*instance, mode);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (!r.ok()) return nullptr;
  auto doc = nlohmann::json::parse(*r);
  EXPECT_EQ(doc["status"], "ok") << *r;
  return doc["data"];
}

TEST(SandboxTest, OutOfBoundsAccessTraps) { ExpectTrap("oob", "out of bounds memory access"); }
TEST(SandboxTest, UnreachableTraps) { ExpectTrap("unreachable", "unreachable executed"); }
TEST(SandboxTest, DivisionByZeroTraps) { ExpectTrap("divzero", "integer divide by zero"); }
TEST(SandboxTest, DeepRecursionTraps) { ExpectTrap("recursion", "stack exhausted"); }
TEST(SandboxTest, ShadowStackOverflowTraps) {
  ExpectTrap("shadowstack", "out of bounds memory access");
}

TEST(SandboxTest, MemoryBombHitsTheCap) {
  auto instance = NewHostile(32u << 20);
  ASSERT_NE(instance, nullptr);
  auto r = RunMode(*instance, "membomb");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(HostErrorCode(r.status()), "MEMORY_LIMIT_EXCEEDED") << r.status().ToString();
  EXPECT_NE(r.status().message().find("(resources.max_memory)"), std::string::npos);
  EXPECT_LE(instance->host().memory->size, 32u << 20);
}

TEST(SandboxTest, ProcExitEndsTheCallCleanly) {
  auto instance = NewHostile();
  ASSERT_NE(instance, nullptr);
  auto r = RunMode(*instance, "procexit");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(HostErrorCode(r.status()), "PROC_EXIT") << r.status().ToString();
  EXPECT_NE(r.status().message().find("proc_exit(3)"), std::string::npos);
}

TEST(SandboxTest, InfiniteLoopIsStoppedByTheHost) {
  auto instance = NewHostile();
  ASSERT_NE(instance, nullptr);
  Instance* raw = instance.get();
  std::thread stopper([raw] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    raw->ForceStop();
  });
  const auto start = std::chrono::steady_clock::now();
  auto r = RunMode(*instance, "loop");
  stopper.join();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(HostErrorCode(r.status()), "CANCELLED") << r.status().ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(SandboxTest, BadPointersToEveryHostCallAreRefused) {
  auto probes = RunOk("badptr");
  ASSERT_TRUE(probes.is_object());
  EXPECT_EQ(probes["log"], "-1:MEMORY_OUT_OF_BOUNDS");
  EXPECT_EQ(probes["log_wrap"], "-1:MEMORY_OUT_OF_BOUNDS");
  EXPECT_EQ(probes["emit_bad_ptr"], "-1:MEMORY_OUT_OF_BOUNDS");
  EXPECT_EQ(probes["emit_2gib"], "-1:BATCH_TOO_LARGE");
  EXPECT_EQ(probes["next_as_source"], "-1:NOT_ALLOWED_FOR_ROLE");
  EXPECT_EQ(probes["last_error_bad_len"], "-1:MEMORY_OUT_OF_BOUNDS");
  EXPECT_EQ(probes["state_get_bad_key"], "-1:MEMORY_OUT_OF_BOUNDS");
  EXPECT_EQ(probes["state_get_bad_scope"], "-1:INVALID_SCOPE");
  EXPECT_EQ(probes["state_put_huge"], "-1:VALUE_TOO_LARGE");
  EXPECT_EQ(probes["checkpoint_bad_ptr"], "-1:MEMORY_OUT_OF_BOUNDS");
  EXPECT_EQ(probes["metric_bad_ptr"], "-1:MEMORY_OUT_OF_BOUNDS");
  EXPECT_EQ(probes["connect_bad_ptr"], "-1:MEMORY_OUT_OF_BOUNDS");
  EXPECT_EQ(probes["compress_bad_in"], "-1:MEMORY_OUT_OF_BOUNDS");
  EXPECT_EQ(probes["compress_bad_out"], "-1:MEMORY_OUT_OF_BOUNDS");
  EXPECT_EQ(probes["compress_bad_len_ptr"], "-1:MEMORY_OUT_OF_BOUNDS");
  EXPECT_EQ(probes["compress_bad_codec"], "-1:INVALID_CODEC");
  EXPECT_EQ(probes["decompress_wrap"], "-1:MEMORY_OUT_OF_BOUNDS");
  EXPECT_EQ(probes["decompress_bad_out"], "-1:MEMORY_OUT_OF_BOUNDS");
  EXPECT_EQ(probes["decompress_garbage"], "-1:DECOMPRESSION_FAILED");
}

TEST(SandboxTest, ZeroLengthBatchIsAProtocolViolation) {
  auto probes = RunOk("emptybatch");
  EXPECT_EQ(probes["empty"], "-1:EMPTY_BATCH");
}

TEST(SandboxTest, GarbageInsteadOfArrowIpcIsRefused) {
  // The frame check the engine installs: framing and metadata of a whole IPC stream.
  HostContext host;
  host.connector_id = "rapidbyte/test-hostile";
  host.connector_version = "0.1.0";
  host.stage = "source";
  host.role = HostContext::Role::kSource;
  FrameChannel channel(4, nullptr);
  host.output = &channel;
  struct IpcCheck : rapidbyte::plugin::EngineLink {
    Status ValidateFrame(const Frame& frame) override {
      return arrow::ipc::InspectStream(frame).status();
    }
  } ipc_check;
  host.engine = &ipc_check;
  auto instance = Instance::Create(Hostile(), std::move(host));
  ASSERT_TRUE(instance.ok()) << instance.status().ToString();
  auto r = RunMode(**instance, "garbage");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(nlohmann::json::parse(*r)["data"]["garbage"], "-1:INVALID_IPC");
  EXPECT_EQ(channel.frames_sent(), 0u);  // nothing reached the channel
}

TEST(SandboxTest, EnvironmentIsAllowlisted) {
  setenv("RB_TEST_ALLOWED", "visible-value", 1);
  setenv("RB_TEST_SECRET", "hidden", 1);
  auto env = RunOk("env", {"RB_TEST_ALLOWED", "RB_TEST_UNSET_VAR"});
  EXPECT_EQ(env["allowed"], "visible-value");
  EXPECT_EQ(env["home"], false);
  EXPECT_EQ(env["path"], false);
}

TEST(SandboxTest, FilesOutsidePreopensAreRefused) {
  auto result = RunOk("passwd");
  EXPECT_EQ(result["opened"], false);
  EXPECT_NE(result["errno"], 0);
}

TEST(SandboxTest, NetworkOutsideTheAllowListIsDenied) {
  auto result = RunOk("net");
  EXPECT_EQ(result["connect"], "-1:NETWORK_DENIED");
}

// A one-shot TCP echo server on 127.0.0.1: answers "pong" to the first connection.
// Accepts one connection, reads `expect_bytes` (the probe's "ping..."), answers with
// `reply_bytes` bytes ("pong" padded with 'y') and closes.
class PongServer {
 public:
  explicit PongServer(std::size_t reply_bytes = 4, std::size_t expect_bytes = 4) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    socklen_t len = sizeof(addr);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    listen(fd_, 4);
    thread_ = std::thread([this, reply_bytes, expect_bytes] {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 3000) <= 0) return;  // nobody came
      const int client = accept(fd_, nullptr, nullptr);
      if (client < 0) return;
      accepted_ = true;
      std::string got(expect_bytes, '\0');
      if (recv(client, got.data(), got.size(), MSG_WAITALL) == static_cast<ssize_t>(got.size()) &&
          got.starts_with("ping")) {
        std::string reply = "pong";
        reply.resize(std::max<std::size_t>(reply_bytes, 4), 'y');
        reply.resize(reply_bytes);
        std::size_t sent = 0;
        while (sent < reply.size()) {
          const ssize_t n = send(client, reply.data() + sent, reply.size() - sent, MSG_NOSIGNAL);
          if (n <= 0) break;
          sent += static_cast<std::size_t>(n);
        }
      }
      close(client);
    });
  }
  ~PongServer() {
    thread_.join();
    close(fd_);
  }
  int port() const { return port_; }
  bool accepted() {
    thread_.join();
    thread_ = std::thread([] {});
    return accepted_;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> accepted_{false};
  std::thread thread_;
};

nlohmann::json NetEcho(std::vector<std::string> allowed, const std::string& host, int port,
                       HostContext::TlsPolicy tls = HostContext::TlsPolicy::kOptional,
                       std::size_t send_bytes = 4) {
  HostContext host_ctx;
  host_ctx.connector_id = "rapidbyte/test-hostile";
  host_ctx.connector_version = "0.1.0";
  host_ctx.stage = "source";
  host_ctx.role = HostContext::Role::kSource;
  host_ctx.allowed_hosts = std::move(allowed);
  host_ctx.tls_policy = tls;
  auto instance = Instance::Create(Hostile(), std::move(host_ctx));
  EXPECT_TRUE(instance.ok()) << instance.status().ToString();
  if (!instance.ok()) return nullptr;
  auto r = (*instance)->CallJson(
      Export::kRunRead, nlohmann::json{{"mode", "netecho"},
                                       {"host", host},
                                       {"port", port},
                                       {"send_bytes", send_bytes}}
                            .dump());
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? nlohmann::json::parse(*r)["data"] : nullptr;
}

TEST(SandboxTest, AllowedHostIsReachedThroughTheHost) {
  PongServer server;
  auto result = NetEcho({"127.0.0.1"}, "127.0.0.1", server.port());
  EXPECT_EQ(result["reply"], "pong") << result.dump();
  EXPECT_EQ(result["reply_bytes"], 4) << result.dump();
  EXPECT_EQ(result["close_twice"], "-1:BAD_HANDLE");
  EXPECT_TRUE(server.accepted());
}

// rb_host_net_connect matches allow entries by their form (SPEC §4.2), not as strings: a CIDR
// block, an address with the right port and a name in another case connect; entries whose
// port differs deny the connect before any packet is sent.
TEST(SandboxTest, AllowEntriesMatchByForm) {
  // `allowed` entries ending in ":PORT" get the server's port.
  const auto reached = [](std::vector<std::string> allowed, const std::string& host) {
    PongServer server;
    const std::string port = std::to_string(server.port());
    for (std::string& entry : allowed) {
      if (entry.ends_with(":PORT")) entry = entry.substr(0, entry.size() - 4) + port;
    }
    const nlohmann::json result = NetEcho(allowed, host, server.port());
    EXPECT_EQ(result["reply"], "pong")
        << host << " with " << nlohmann::json(allowed).dump() << ": " << result.dump();
    return server.accepted();
  };
  EXPECT_TRUE(reached({"127.0.0.0/8"}, "127.0.0.1"));
  EXPECT_TRUE(reached({"127.0.0.1:PORT"}, "127.0.0.1"));
  EXPECT_TRUE(reached({"10.0.0.0/8", "LocalHost:PORT"}, "LOCALHOST"));

  PongServer server;
  const std::string other_port = server.port() == 1 ? "2" : "1";
  const nlohmann::json denied =
      NetEcho({"127.0.0.1:" + other_port, "127.0.0.0/8:" + other_port, "localhost"}, "127.0.0.1",
              server.port());
  EXPECT_EQ(denied, nlohmann::json({{"connect", "-1:NETWORK_DENIED"}}));
  EXPECT_FALSE(server.accepted()) << "a denied connect reached the server";
}

// Replies far larger than the guest's 15-byte reads, and a write far larger than one
// segment, pass whole: the host moves bytes between the socket and guest memory directly.
TEST(SandboxTest, LongRepliesArriveWhole) {
  constexpr std::size_t kReply = 3u << 20;
  constexpr std::size_t kSend = 1u << 20;
  PongServer server(kReply, kSend);
  auto result = NetEcho({"127.0.0.1"}, "127.0.0.1", server.port(),
                        HostContext::TlsPolicy::kOptional, kSend);
  EXPECT_EQ(result["reply"], "pongyyyyyyyyyyyy") << result.dump();
  EXPECT_EQ(result["reply_bytes"], kReply) << result.dump();
  EXPECT_EQ(result["close_twice"], "-1:BAD_HANDLE");
  EXPECT_TRUE(server.accepted());
}

// Under `tls: required`, a connection that has not started TLS may exchange 1 KiB each way
// (a STARTTLS preamble); a byte more fails the call with TLS_REQUIRED, and the guest never
// sees bytes past the allowance.
TEST(SandboxTest, RequiredTlsAllowsOnlyAPlaintextPreamble) {
  constexpr auto kRequired = HostContext::TlsPolicy::kRequired;
  {
    PongServer server(1024, 1024);
    auto result = NetEcho({"127.0.0.1"}, "127.0.0.1", server.port(), kRequired, 1024);
    EXPECT_EQ(result["reply_bytes"], 1024) << result.dump();
    EXPECT_EQ(result["reply"], "pongyyyyyyyyyyyy") << result.dump();
  }
  {
    PongServer server(4, 1025);
    auto result = NetEcho({"127.0.0.1"}, "127.0.0.1", server.port(), kRequired, 1025);
    EXPECT_EQ(result["write"], "-1:TLS_REQUIRED") << result.dump();
  }
  {
    PongServer server(4096, 4);
    auto result = NetEcho({"127.0.0.1"}, "127.0.0.1", server.port(), kRequired, 4);
    EXPECT_EQ(result["read"], "-1:TLS_REQUIRED") << result.dump();
    EXPECT_LE(result["reply_bytes"].get<int>(), 1024) << result.dump();
    EXPECT_GE(result["reply_bytes"].get<int>(), 1024 - 15) << result.dump();
  }
}

TEST(SandboxTest, DeniedHostSeesNoConnection) {
  PongServer server;
  auto result = NetEcho({"db.internal"}, "127.0.0.1", server.port());
  EXPECT_EQ(result["connect"], "-1:NETWORK_DENIED");
  EXPECT_FALSE(server.accepted());
}

TEST(SandboxTest, RefusedConnectionIsATransientError) {
  int port = 0;
  {
    PongServer closed;  // find a free port, then let it close
    port = closed.port();
    // Connect once ourselves so the server thread ends quickly.
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    send(fd, "ping", 4, 0);
    close(fd);
  }
  auto result = NetEcho({"127.0.0.1"}, "127.0.0.1", port);
  EXPECT_EQ(result["connect"], "-1:CONNECT_FAILED");
}

// A directory tree for the preopen tests: data/inside.txt, data/escape -> /etc/passwd,
// data/up -> .. (a symlink that leaves the directory), and a sibling secret.txt.
struct PreopenTree {
  std::string root;
  std::string data;
  PreopenTree() {
    char tmpl[] = "/tmp/rb-preopen-XXXXXX";
    root = mkdtemp(tmpl);
    data = root + "/data";
    mkdir(data.c_str(), 0755);
    WriteFile(data + "/inside.txt", "hello from inside");
    WriteFile(root + "/secret.txt", "do not read");
    symlink("/etc/passwd", (data + "/escape").c_str());
    symlink("..", (data + "/up").c_str());
  }
  ~PreopenTree() { std::system(("rm -rf " + root).c_str()); }
  static void WriteFile(const std::string& path, const std::string& text) {
    FILE* f = std::fopen(path.c_str(), "w");
    std::fputs(text.c_str(), f);
    std::fclose(f);
  }
};

// Call rb_run_read with `request` on test-hostile with `preopens`: the response's data.
nlohmann::json HostileWithPreopens(const nlohmann::json& request,
                                   std::vector<wasi::Preopen> preopens) {
  HostContext host;
  host.connector_id = "rapidbyte/test-hostile";
  host.connector_version = "0.1.0";
  host.stage = "source";
  host.role = HostContext::Role::kSource;
  host.wasi.preopens = std::move(preopens);
  auto instance = Instance::Create(Hostile(), std::move(host));
  EXPECT_TRUE(instance.ok()) << instance.status().ToString();
  if (!instance.ok()) return nullptr;
  auto r = (*instance)->CallJson(Export::kRunRead, request.dump());
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? nlohmann::json::parse(*r)["data"] : nullptr;
}

nlohmann::json FileProbe(const std::string& mode, const std::string& path,
                         std::vector<wasi::Preopen> preopens) {
  return HostileWithPreopens({{"mode", mode}, {"path", path}}, std::move(preopens));
}

TEST(SandboxTest, FilesInsideAPreopenAreReadable) {
  PreopenTree tree;
  auto result = FileProbe("readfile", tree.data + "/inside.txt", {{tree.data, false}});
  EXPECT_EQ(result["content"], "hello from inside") << result.dump();
}

TEST(SandboxTest, PathsThatLeaveAPreopenAreRefused) {
  PreopenTree tree;
  const std::vector<wasi::Preopen> preopen = {{tree.data, false}};
  for (const std::string& path : {tree.data + "/../secret.txt", tree.data + "/escape",
                                  tree.data + "/up/secret.txt", std::string("/etc/passwd"),
                                  tree.root + "/secret.txt"}) {
    auto result = FileProbe("readfile", path, preopen);
    ASSERT_TRUE(result.contains("errno")) << path << ": " << result.dump();
    EXPECT_NE(result["errno"], 0) << path;
  }
}

TEST(SandboxTest, DirectoriesInsideAPreopenAreListedAndNothingElse) {
  PreopenTree tree;
  const std::vector<wasi::Preopen> preopen = {{tree.data, false}};
  auto listed = FileProbe("listdir", tree.data, preopen);
  ASSERT_TRUE(listed.contains("names")) << listed.dump();
  std::set<std::string> names(listed["names"].begin(), listed["names"].end());
  for (const char* name : {"inside.txt", "escape", "up"}) {
    EXPECT_TRUE(names.count(name)) << name << " missing from " << listed.dump();
  }
  EXPECT_FALSE(names.count("secret.txt")) << listed.dump();
  // A buffer outside linear memory is refused (EFAULT), never written.
  EXPECT_EQ(listed["bad_buffer_errno"], 21) << listed.dump();
  for (const std::string& path : {tree.root, tree.data + "/up", std::string("/etc")}) {
    auto refused = FileProbe("listdir", path, preopen);
    ASSERT_TRUE(refused.contains("errno")) << path << ": " << refused.dump();
    EXPECT_NE(refused["errno"], 0) << path;
  }
}

TEST(SandboxTest, WritesNeedAWritablePreopen) {
  PreopenTree tree;
  auto refused = FileProbe("writefile", tree.data + "/new.txt", {{tree.data, false}});
  ASSERT_TRUE(refused.contains("errno")) << refused.dump();
  EXPECT_NE(refused["errno"], 0);
  EXPECT_NE(access((tree.data + "/new.txt").c_str(), F_OK), 0);
  auto written = FileProbe("writefile", tree.data + "/new.txt", {{tree.data, true}});
  EXPECT_EQ(written["closed"], 0) << written.dump();
  FILE* f = std::fopen((tree.data + "/new.txt").c_str(), "r");
  ASSERT_NE(f, nullptr);
  char buf[32] = {};
  std::fread(buf, 1, sizeof(buf) - 1, f);
  std::fclose(f);
  EXPECT_STREQ(buf, "written");
}

// Run test-hostile's `fs` script (hostile_probes.h) with `preopens`: one result a step.
std::vector<std::string> FsScript(const std::vector<std::string>& steps,
                                  std::vector<wasi::Preopen> preopens) {
  std::string script;
  for (const auto& step : steps) script += step + ";";
  const nlohmann::json data =
      HostileWithPreopens({{"mode", "fs"}, {"script", script}}, std::move(preopens));
  if (!data.is_object() || !data.contains("results")) return {};
  return data["results"].get<std::vector<std::string>>();
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool Exists(const std::string& path) {
  struct stat st {};
  return lstat(path.c_str(), &st) == 0;
}

// What a file-writing destination does at commit (SPEC §16.2) works beneath a writable
// preopen and shows on disk: directories made, a file created exclusively and fsynced,
// renamed into place (also over an existing file, as a commit record is replaced) and its
// directory fsynced, stat by path, leftovers unlinked and the temporary directory removed.
// The kernel's errors come through as WASI errnos (EEXIST 20, ENOTEMPTY 55, ENOENT 44), and
// fd_sync really reaches a descriptor (EBADF 8 for one that is not open).
TEST(SandboxTest, AWritablePreopenTakesADestinationsCommit) {
  PreopenTree tree;
  const std::string lake = tree.data + "/lake";
  const auto results = FsScript(
      {"mkdir " + lake, "mkdir " + lake + "/_tmp",
       "create " + lake + "/_tmp/part-0",
       "fdatasync " + lake + "/_tmp/part-0",
       "rename " + lake + "/_tmp/part-0 " + lake + "/part-0.csv",
       "fsyncdir " + lake,
       "stat " + lake + "/part-0.csv",
       "stat " + lake,
       "create " + lake + "/_tmp/commit.new",
       "rename " + lake + "/_tmp/commit.new " + lake + "/commit.json",
       "create " + lake + "/_tmp/commit.new",
       "rename " + lake + "/_tmp/commit.new " + lake + "/commit.json",
       "create " + lake + "/_tmp/leftover",
       "unlink " + lake + "/_tmp/leftover",
       "rmdir " + lake + "/_tmp",
       "create " + lake + "/part-0.csv",
       "mkdir " + lake,
       "rmdir " + lake,
       "unlink " + lake + "/missing",
       "stat " + lake + "/missing",
       "lstat " + tree.data + "/escape",
       "syncfd 3",
       "syncfd 99"},
      {{tree.data, true}});
  EXPECT_EQ(results, (std::vector<std::string>{
                         "0", "0", "0", "0", "0", "0", "0 file 7", "0 dir", "0", "0", "0", "0",
                         "0", "0", "0", "20", "20", "55", "44", "44", "0 symlink", "0", "8"}));
  EXPECT_EQ(ReadText(lake + "/part-0.csv"), "payload");
  EXPECT_EQ(ReadText(lake + "/commit.json"), "payload");
  EXPECT_FALSE(Exists(lake + "/_tmp"));
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(lake)) {
    names.insert(entry.path().filename().string());
  }
  EXPECT_EQ(names, (std::set<std::string>{"part-0.csv", "commit.json"}));
}

// Beneath a read-only preopen every change is refused with ENOTCAPABLE (76) and nothing
// changes on disk; stat by path and fsync still work there.
TEST(SandboxTest, DirectoryChangesNeedAWritablePreopen) {
  PreopenTree tree;
  const std::string d = tree.data;
  mkdir((d + "/sub").c_str(), 0755);
  const auto results = FsScript(
      {"mkdir " + d + "/new", "rmdir " + d + "/sub", "unlink " + d + "/inside.txt",
       "rename " + d + "/inside.txt " + d + "/moved.txt", "create " + d + "/new.txt",
       "stat " + d + "/inside.txt", "fsyncdir " + d, "fdatasync " + d + "/inside.txt",
       "syncfd 3"},
      {{d, false}});
  EXPECT_EQ(results, (std::vector<std::string>{"76", "76", "76", "76", "76", "0 file 17", "0",
                                               "0", "0"}));
  EXPECT_FALSE(Exists(d + "/new"));
  EXPECT_TRUE(Exists(d + "/sub"));
  EXPECT_EQ(ReadText(d + "/inside.txt"), "hello from inside");
  EXPECT_FALSE(Exists(d + "/moved.txt"));
  EXPECT_FALSE(Exists(d + "/new.txt"));
}

// mkdir, rmdir, unlink, rename and stat of paths that leave the writable preopen — by "..",
// by a symlink to ".." (data/up), by an absolute symlink (data/escape -> /etc/passwd), by
// naming ".." itself, or outside every preopen — are refused with ENOTCAPABLE (76), and
// nothing outside the preopen changes. lstat of the symlink itself is fine: it lies inside.
TEST(SandboxTest, DirectoryChangesCannotLeaveAPreopen) {
  PreopenTree tree;
  const std::string d = tree.data;
  const std::string root = tree.root;
  mkdir((root + "/empty").c_str(), 0755);
  mkdir((d + "/sub").c_str(), 0755);
  const std::vector<std::string> steps = {
      "mkdir " + d + "/../evil",
      "mkdir " + d + "/up/evil",
      "mkdir " + root + "/evil",
      "mkdir " + d + "/..",
      "rmdir " + d + "/../empty",
      "rmdir " + d + "/up/empty",
      "rmdir " + d + "/sub/..",
      "unlink " + d + "/../secret.txt",
      "unlink " + d + "/up/secret.txt",
      "rename " + d + "/../secret.txt " + d + "/stolen.txt",
      "rename " + d + "/up/secret.txt " + d + "/stolen.txt",
      "rename " + d + "/inside.txt " + d + "/up/planted.txt",
      "rename " + d + "/inside.txt " + d + "/escape/planted.txt",
      "rename " + d + "/inside.txt " + root + "/planted.txt",
      "stat " + d + "/../secret.txt",
      "stat " + d + "/up/secret.txt",
      "stat " + d + "/escape",
      "create " + d + "/up/planted.txt",
  };
  const auto results = FsScript(steps, {{d, true}});
  ASSERT_EQ(results.size(), steps.size());
  for (std::size_t i = 0; i < steps.size(); ++i) EXPECT_EQ(results[i], "76") << steps[i];
  EXPECT_EQ(FsScript({"lstat " + d + "/escape", "lstat " + d + "/up"}, {{d, true}}),
            (std::vector<std::string>{"0 symlink", "0 symlink"}));
  EXPECT_FALSE(Exists(root + "/evil"));
  EXPECT_TRUE(Exists(root + "/empty"));
  EXPECT_EQ(ReadText(root + "/secret.txt"), "do not read");
  EXPECT_EQ(ReadText(d + "/inside.txt"), "hello from inside");
  EXPECT_TRUE(Exists(d + "/sub"));
  EXPECT_FALSE(Exists(d + "/stolen.txt"));
  EXPECT_FALSE(Exists(root + "/planted.txt"));
}

// A rename between two preopens needs both to be writable: out of or into a read-only one
// is refused (76) and moves nothing; between two writable ones (the same filesystem) works.
TEST(SandboxTest, RenameAcrossPreopensNeedsBothWritable) {
  PreopenTree tree;
  const std::string d = tree.data;
  const std::string out = tree.root + "/out";
  const std::string out2 = tree.root + "/out2";
  mkdir(out.c_str(), 0755);
  mkdir(out2.c_str(), 0755);
  const auto results = FsScript({"rename " + d + "/inside.txt " + out + "/inside.txt",
                                 "create " + out + "/new.txt",
                                 "rename " + out + "/new.txt " + d + "/new.txt",
                                 "rename " + out + "/new.txt " + out2 + "/new.txt"},
                                {{d, false}, {out, true}, {out2, true}});
  EXPECT_EQ(results, (std::vector<std::string>{"76", "0", "76", "0"}));
  EXPECT_EQ(ReadText(d + "/inside.txt"), "hello from inside");
  EXPECT_FALSE(Exists(out + "/inside.txt"));
  EXPECT_FALSE(Exists(d + "/new.txt"));
  EXPECT_FALSE(Exists(out + "/new.txt"));
  EXPECT_EQ(ReadText(out2 + "/new.txt"), "payload");
}

TEST(SandboxTest, CheckpointKindSevenIsRefused) {
  auto result = RunOk("checkpoint7");
  EXPECT_EQ(result["checkpoint"], "-1:INVALID_CHECKPOINT_KIND");
}

TEST(SandboxTest, HealthyInstancesKeepRunningWhileOthersTrap) {
  // Traps on four threads at once, while a healthy instance works on another.
  std::atomic<int> healthy_calls{0};
  std::atomic<bool> stop{false};
  std::thread healthy([&] {
    auto instance = NewHostile();
    while (!stop.load()) {
      auto r = RunMode(*instance, "env");
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      ++healthy_calls;
    }
  });
  std::vector<std::thread> trappers;
  for (const char* mode : {"oob", "unreachable", "recursion", "divzero"}) {
    trappers.emplace_back([mode] {
      for (int i = 0; i < 5; ++i) {
        auto instance = NewHostile();
        auto r = RunMode(*instance, mode);
        EXPECT_EQ(HostErrorCode(r.status()), "CONNECTOR_TRAPPED") << mode;
      }
    });
  }
  for (auto& t : trappers) t.join();
  stop.store(true);
  healthy.join();
  EXPECT_GT(healthy_calls.load(), 0);
}

}  // namespace
}  // namespace rapidbyte::plugin
