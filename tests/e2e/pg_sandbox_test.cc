// SPEC §11 acceptance: the sandbox (scenarios 28–34) through `rapidbyte run`. The source is
// test-hostile (connectors/testing/hostile_source.cc), whose mode is the last segment of each
// stream's name (`trap.oob` runs `oob`), so streams of one run misbehave differently; the
// destination is test-sink. Probes log `probe <mode>: <findings>` at info (read here from
// `--log-format json` stderr) and fail their stream with the error the host returned them.
// Permissions the bundled test-hostile manifest does not grant (environment allowlist,
// preopens) come from a copy of the connector under RAPIDBYTE_CONNECTOR_DIR with its own
// manifest, translated once per binary into a shared native-code cache.
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "tests/e2e/e2e_fixture.h"

namespace rapidbyte::e2e {
namespace {

namespace fs = std::filesystem;

// The build's connector folder: <build>/connectors beside <build>/bin/rapidbyte.
std::string BundledDir() {
  return fs::path(testing::RapidbyteBinary()).parent_path().parent_path().string() + "/connectors";
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A TCP listener on 127.0.0.1 (port chosen by the kernel). The kernel completes a handshake
// even before accept(), so after a run Accepted() tells whether anybody connected at all.
class Listener {
 public:
  Listener() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    ok_ = fd_ >= 0 && bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
          getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0 && listen(fd_, 8) == 0;
    port_ = ntohs(addr.sin_port);
  }
  ~Listener() {
    if (server_.joinable()) server_.join();
    if (fd_ >= 0) close(fd_);
  }
  bool ok() const { return ok_; }
  int port() const { return port_; }

  /// Connections accepted now (without waiting), closed at once.
  int Accepted() {
    int n = 0;
    for (int c; (c = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC)) >= 0; ++n) close(c);
    return n;
  }

  /// Serve one connection in the background: wait for it (up to 60 s), read "ping", answer
  /// "pong". served() is true afterwards (call after the run; it joins).
  void ServeOnePong() {
    server_ = std::thread([this] {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 60000) <= 0) return;
      const int c = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) return;
      const int flags = fcntl(c, F_GETFL);
      fcntl(c, F_SETFL, flags & ~O_NONBLOCK);
      char buf[4];
      if (recv(c, buf, 4, MSG_WAITALL) == 4 && std::string(buf, 4) == "ping") {
        served_ = send(c, "pong", 4, 0) == 4;
      }
      close(c);
    });
  }
  bool served() {
    if (server_.joinable()) server_.join();
    return served_;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
  bool ok_ = false;
  bool served_ = false;
  std::thread server_;
};

// A copy of test-hostile with a manifest that grants an environment allowlist and preopens:
// tree/data (read-only: inside.txt, escape -> /etc/passwd, up -> ..) and tree/out (writable);
// tree/secret.txt sits beside data, outside every preopen. Shared by the tests of this binary
// (one native-code translation); removed at the end of the suite.
struct CustomHostile {
  std::string root, connectors, cache, data, out, secret;
};

// Set once Custom() has laid out its directory.
const CustomHostile* g_custom = nullptr;

const CustomHostile& Custom() {
  static const CustomHostile* custom = [] {
    auto* c = new CustomHostile;
    g_custom = c;
    c->root = testing::MakeTempDir("rb-e2e-sandbox");
    c->connectors = c->root + "/connectors";
    c->cache = c->root + "/cache";
    c->data = c->root + "/tree/data";
    c->out = c->root + "/tree/out";
    c->secret = c->root + "/tree/secret.txt";
    for (const auto& d : {c->connectors, c->cache, c->data, c->out}) fs::create_directories(d);
    fs::permissions(c->cache, fs::perms::owner_all, fs::perm_options::replace);
    fs::copy_file(BundledDir() + "/test-hostile.wasm", c->connectors + "/test-hostile.wasm");
    Json manifest = Json::parse(ReadText(BundledDir() + "/test-hostile.manifest.json"));
    manifest["permissions"]["env"] = {{"allowed_vars", {"RB_TEST_ALLOWED", "RB_TEST_UNSET"}}};
    manifest["permissions"]["fs"] = {{"preopens", {c->data, {{"path", c->out}, {"write", true}}}}};
    testing::WriteFile(c->connectors + "/test-hostile.manifest.json", manifest.dump(2));
    testing::WriteFile(c->data + "/inside.txt", "hello from inside");
    testing::WriteFile(c->secret, "do not read");
    fs::create_symlink("/etc/passwd", c->data + "/escape");
    fs::create_symlink("..", c->data + "/up");
    return c;
  }();
  return *custom;
}

class SandboxTest : public E2eTest {
 protected:
  // The custom connector's tree is kept, like a failed test's HOME, when anything failed.
  static void TearDownTestSuite() {
    if (g_custom == nullptr) return;
    if (::testing::UnitTest::GetInstance()->current_test_suite()->Passed()) {
      fs::remove_all(g_custom->root);
    } else {
      std::fprintf(stderr, "kept for inspection: %s\n", g_custom->root.c_str());
    }
  }

  /// Run with JSON logs (for the probe lines), through the bundled connectors only.
  RunOutput RunJsonLogs(const std::string& pipeline, CommandOptions options = {}) {
    return Run(pipeline, {"--log-format", "json"}, std::move(options));
  }

  /// Run with the custom test-hostile (RAPIDBYTE_CONNECTOR_DIR shadows the bundled one).
  RunOutput RunCustom(const std::string& pipeline, std::vector<std::string> env = {}) {
    CommandOptions options;
    options.env = std::move(env);
    options.env.push_back("RAPIDBYTE_CONNECTOR_DIR=" + Custom().connectors);
    options.env.push_back("RAPIDBYTE_CACHE_DIR=" + Custom().cache);
    return RunJsonLogs(pipeline, std::move(options));
  }
};

/// The run failed cleanly: exit 1 (a crash would be 128 + signal), one JSON document.
void ExpectFailedRun(const RunOutput& r) {
  EXPECT_EQ(r.exit_code(), 1) << r.Describe();
  EXPECT_EQ(r.result["status"], "failed") << r.Describe();
}

const std::string kTrapped = "connector rapidbyte/test-hostile 0.1.0 trapped in rb_run_read: ";

// §11.28: a connect to a host outside the allow list (127.0.0.1, while only the config's
// host db.internal is allowed) fails the stream with NETWORK_DENIED, not retried, exit 1, and
// the listener on that port sees no connection. Control: the same listener, named as an
// allowed host, is reached and answers through the host (so "no connection" is observable).
TEST_F(SandboxTest, ForbiddenNetworkIsDeniedWithoutAConnection) {
  Listener listener;
  ASSERT_TRUE(listener.ok());
  const std::string port = std::to_string(listener.port());
  const RunOutput denied = RunJsonLogs(
      HostilePipeline({"probe.net"}, "{host: db.internal, target: 127.0.0.1, port: " + port + "}"));
  ExpectFailedRun(denied);
  const std::string message =
      "connector rapidbyte/test-hostile may not connect to 127.0.0.1:" + port +
      " (allowed: db.internal:" + port + ")";
  ExpectStreamError(denied, "probe.net", "NETWORK_DENIED", message);
  EXPECT_EQ(denied.result["error"]["code"], "NETWORK_DENIED");
  EXPECT_EQ(denied.result["error"]["category"], "permission");
  EXPECT_EQ(denied.result["error"]["retryable"], false);
  EXPECT_EQ(Probe(denied, "probe.net"), Json({{"connect", "-1:NETWORK_DENIED"}}))
      << denied.Describe();
  EXPECT_EQ(listener.Accepted(), 0) << "a denied connect reached the listener";

  listener.ServeOnePong();
  const RunOutput allowed =
      RunJsonLogs(HostilePipeline({"probe.netecho"}, "{host: 127.0.0.1, port: " + port + "}"));
  EXPECT_EQ(allowed.exit_code(), 0) << allowed.Describe();
  EXPECT_EQ(allowed.Stream("probe.netecho")["status"], "completed");
  EXPECT_EQ(Probe(allowed, "probe.netecho"),
            Json({{"reply", "pong"}, {"reply_bytes", 4}, {"close_twice", "-1:BAD_HANDLE"}}))
      << allowed.Describe();
  EXPECT_TRUE(listener.served());
}

// A host named in the config is allowed on the port the config names, not on every port: a
// port scan from a source configured with `host: 127.0.0.1` (probe `portscan`: the configured
// port, then `scan_port`, a key that names no port) reaches the configured listener and is
// denied the other one without a connection, naming the host, the port and what is allowed.
TEST_F(SandboxTest, ConfigHostIsAllowedOnlyOnTheConfiguredPort) {
  Listener configured;
  Listener other;
  ASSERT_TRUE(configured.ok());
  ASSERT_TRUE(other.ok());
  const std::string port = std::to_string(configured.port());
  const std::string scan = std::to_string(other.port());
  const RunOutput r = RunJsonLogs(HostilePipeline(
      {"probe.portscan"}, "{host: 127.0.0.1, port: " + port + ", scan_port: " + scan + "}"));
  ExpectFailedRun(r);
  ExpectStreamError(r, "probe.portscan", "NETWORK_DENIED",
                    "connector rapidbyte/test-hostile may not connect to 127.0.0.1:" + scan +
                        " (allowed: 127.0.0.1:" + port + ")");
  EXPECT_EQ(Probe(r, "probe.portscan"),
            Json({{"port", "0:none"}, {"scan_port", "-1:NETWORK_DENIED"}}))
      << r.Describe();
  EXPECT_EQ(configured.Accepted(), 1) << "the configured port was not reached";
  EXPECT_EQ(other.Accepted(), 0) << "the scanned port was reached";
}

// §11.29: an allowed name that resolves to a link-local address is refused after resolution.
// "169.254.43518" is a host name to the allow list (not an IP literal: inet_pton rejects it)
// and the config names it, so it is allowed; glibc's resolver reads it as 169.254.169.254 (the
// cloud metadata address, inet_aton's a.b.c form) without DNS, and no allow entry names that.
TEST_F(SandboxTest, AllowedNameResolvingToLinkLocalIsRefused) {
  const RunOutput r =
      RunJsonLogs(HostilePipeline({"probe.netecho"}, "{host: 169.254.43518, port: 80}"));
  ExpectFailedRun(r);
  ExpectStreamError(r, "probe.netecho", "NETWORK_DENIED",
                    "connector rapidbyte/test-hostile may not connect to 169.254.43518:80: it "
                    "resolves to 169.254.169.254, an unspecified, link-local or multicast address");
  EXPECT_EQ(Probe(r, "probe.netecho"), Json({{"connect", "-1:NETWORK_DENIED"}})) << r.Describe();
}

// §11.30: through WASI the connector sees the allowlisted variable that is set, and nothing
// else: not HOME, not PATH, not a secret variable that is set in rapidbyte's environment,
// not the allowlisted variable that is unset.
TEST_F(SandboxTest, EnvironmentShowsOnlyAllowlistedVariables) {
  const RunOutput r = RunCustom(HostilePipeline({"probe.env"}),
                                {"RB_TEST_ALLOWED=visible-value", "RB_TEST_SECRET=s3cret-e2e"});
  EXPECT_EQ(r.exit_code(), 0) << r.Describe();
  EXPECT_EQ(r.Stream("probe.env")["status"], "completed");
  EXPECT_EQ(Probe(r, "probe.env"), Json({{"home", false},
                                         {"path", false},
                                         {"secret", false},
                                         {"allowed", "visible-value"},
                                         {"visible", {"RB_TEST_ALLOWED"}}}))
      << r.Describe();
  EXPECT_FALSE(Contains(r.cmd.err, "s3cret-e2e"));
}

// §11.31: files are visible only beneath the manifest's preopens. /etc/passwd, a `..` path,
// a symlink to /etc/passwd and a symlink to `..` each fail with an errno; a file inside the
// read-only preopen is readable; writing into it fails (and creates nothing), while writing
// into the writable preopen works.
TEST_F(SandboxTest, FilesOutsidePreopensAreRefused) {
  const CustomHostile& c = Custom();
  // ENOTCAPABLE, as wasi-libc numbers and names it: a path outside every preopen, one that
  // leaves its preopen, or a write under a read-only preopen.
  const std::string kNotCapable = "errno 76 (Capabilities insufficient)";
  auto probe = [&](const std::string& stream, const std::string& path) {
    return RunCustom(HostilePipeline({stream}, path.empty() ? "{}" : "{path: \"" + path + "\"}"));
  };

  {
    SCOPED_TRACE("/etc/passwd (no preopen holds it)");
    const RunOutput r = probe("files.passwd", "");
    ExpectFailedRun(r);
    ExpectStreamError(r, "files.passwd", "FILE_ACCESS_FAILED",
                      "readfile /etc/passwd: " + kNotCapable);
  }
  for (const std::string& path :
       {c.data + "/../secret.txt", c.data + "/escape", c.data + "/up/secret.txt"}) {
    SCOPED_TRACE(path);
    const RunOutput r = probe("files.readfile", path);
    ExpectFailedRun(r);
    ExpectStreamError(r, "files.readfile", "FILE_ACCESS_FAILED",
                      "readfile " + path + ": " + kNotCapable);
    EXPECT_EQ(Probe(r, "files.readfile"), Json({{"errno", 76}}));
  }
  {
    SCOPED_TRACE("inside the read-only preopen");
    const RunOutput r = probe("files.readfile", c.data + "/inside.txt");
    EXPECT_EQ(r.exit_code(), 0) << r.Describe();
    EXPECT_EQ(Probe(r, "files.readfile"), Json({{"content", "hello from inside"}, {"closed", 0}}))
        << r.Describe();
  }
  {
    SCOPED_TRACE("write into the read-only preopen");
    const RunOutput r = probe("files.writefile", c.data + "/new.txt");
    ExpectFailedRun(r);
    ExpectStreamError(r, "files.writefile", "FILE_ACCESS_FAILED",
                      "writefile " + c.data + "/new.txt: " + kNotCapable);
    EXPECT_FALSE(fs::exists(c.data + "/new.txt"));
  }
  {
    SCOPED_TRACE("write into the writable preopen");
    const RunOutput r = probe("files.writefile", c.out + "/new.txt");
    EXPECT_EQ(r.exit_code(), 0) << r.Describe();
    EXPECT_EQ(ReadText(c.out + "/new.txt"), "written");
  }
}

// §11.32: out-of-bounds access, `unreachable` and native stack exhaustion each fail their own
// stream with CONNECTOR_TRAPPED naming the trap, without a retry; with parallelism 2 the
// healthy stream (running beside the first trap) completes; the process exits 1, not by a
// signal, with one JSON document whose root cause is the first failed stream's trap.
TEST_F(SandboxTest, TrapsFailOnlyTheirStreams) {
  const RunOutput r = RunJsonLogs(HostilePipeline(
      {"trap.oob", "trap.ok", "trap.unreachable", "trap.recursion"}, "{}", "  parallelism: 2\n"));
  ExpectFailedRun(r);
  ExpectStreamError(r, "trap.oob", "CONNECTOR_TRAPPED", kTrapped + "out of bounds memory access");
  ExpectStreamError(r, "trap.unreachable", "CONNECTOR_TRAPPED", kTrapped + "unreachable executed");
  ExpectStreamError(r, "trap.recursion", "CONNECTOR_TRAPPED", kTrapped + "stack exhausted");
  EXPECT_EQ(r.Stream("trap.ok")["status"], "completed") << r.Describe();
  EXPECT_EQ(r.Stream("trap.ok")["error"], nullptr);
  EXPECT_EQ(r.result["error"]["code"], "CONNECTOR_TRAPPED");
  EXPECT_EQ(r.result["error"]["stream"], "trap.oob");
  EXPECT_EQ(r.result["parallelism"], 2);
}

// §11.33: a connector allocating without end under `max_memory: 64mb` fails with
// MEMORY_LIMIT_EXCEEDED naming the limit, not retried, exit 1.
TEST_F(SandboxTest, MemoryBombHitsMaxMemory) {
  const RunOutput r = RunJsonLogs(HostilePipeline({"mem.membomb"}, "{}", "  max_memory: 64mb\n"));
  ExpectFailedRun(r);
  ExpectStreamError(r, "mem.membomb", "MEMORY_LIMIT_EXCEEDED",
                    "connector rapidbyte/test-hostile needed more than 64 MiB "
                    "(resources.max_memory); raise the limit or lower max_batch_bytes");
  EXPECT_EQ(r.result["error"]["code"], "MEMORY_LIMIT_EXCEEDED");
}

// §11.34: ABI abuse, one stream per kind, each failing with its named error while the host
// keeps going (a healthy stream completes; exit 1, not a signal): out-of-bounds pointers to
// every host function (each call refused; the host records the first as the stream's error),
// a range ending at 5 GiB (checked in 64 bits: no wrap), checkpoint kind 7, an empty frame and
// bytes that are not Arrow IPC.
TEST_F(SandboxTest, AbiAbuseYieldsNamedErrors) {
  const RunOutput r = RunJsonLogs(HostilePipeline(
      {"abi.badptr", "abi.hugelen", "abi.checkpoint7", "abi.emptybatch", "abi.garbage", "abi.ok"}));
  ExpectFailedRun(r);
  const std::string oob = "connector rapidbyte/test-hostile 0.1.0: rb_host_log: range ";
  ExpectStreamError(r, "abi.badptr", "MEMORY_OUT_OF_BOUNDS",
                    oob + "[4294967040, 4294967056) is outside the connector's memory");
  EXPECT_EQ(Probe(r, "abi.badptr"), Json({{"log", "-1:MEMORY_OUT_OF_BOUNDS"},
                                          {"log_wrap", "-1:MEMORY_OUT_OF_BOUNDS"},
                                          {"emit_bad_ptr", "-1:MEMORY_OUT_OF_BOUNDS"},
                                          {"emit_2gib", "-1:BATCH_TOO_LARGE"},
                                          {"next_as_source", "-1:NOT_ALLOWED_FOR_ROLE"},
                                          {"last_error_bad_len", "-1:MEMORY_OUT_OF_BOUNDS"},
                                          {"state_get_bad_key", "-1:MEMORY_OUT_OF_BOUNDS"},
                                          {"state_get_bad_scope", "-1:INVALID_SCOPE"},
                                          {"state_put_huge", "-1:VALUE_TOO_LARGE"},
                                          {"checkpoint_bad_ptr", "-1:MEMORY_OUT_OF_BOUNDS"},
                                          {"metric_bad_ptr", "-1:MEMORY_OUT_OF_BOUNDS"},
                                          {"connect_bad_ptr", "-1:MEMORY_OUT_OF_BOUNDS"},
                                          {"compress_bad_in", "-1:MEMORY_OUT_OF_BOUNDS"},
                                          {"compress_bad_out", "-1:MEMORY_OUT_OF_BOUNDS"},
                                          {"compress_bad_len_ptr", "-1:MEMORY_OUT_OF_BOUNDS"},
                                          {"compress_bad_codec", "-1:INVALID_CODEC"},
                                          {"decompress_wrap", "-1:MEMORY_OUT_OF_BOUNDS"},
                                          {"decompress_bad_out", "-1:MEMORY_OUT_OF_BOUNDS"},
                                          {"decompress_garbage", "-1:DECOMPRESSION_FAILED"}}))
      << r.Describe();
  ExpectStreamError(r, "abi.hugelen", "MEMORY_OUT_OF_BOUNDS",
                    oob + "[1073741824, 5368709119) is outside the connector's memory");
  ExpectStreamError(r, "abi.checkpoint7", "INVALID_CHECKPOINT_KIND",
                    "checkpoint kind 7 is not valid for the source stage (0 source, 1 "
                    "destination, 2 transform)");
  ExpectStreamError(r, "abi.emptybatch", "EMPTY_BATCH",
                    "Connector emitted a zero-length batch; this is a protocol violation");
  const Json garbage = r.Stream("abi.garbage");
  EXPECT_EQ(garbage["status"], "failed");
  EXPECT_EQ(garbage["error"]["code"], "INVALID_IPC") << garbage.dump();
  EXPECT_EQ(garbage["error"].value("message", "").rfind("invalid Arrow IPC frame: ", 0), 0u)
      << garbage.dump();
  EXPECT_EQ(garbage["batches_emitted"], 0);
  EXPECT_EQ(r.Stream("abi.ok")["status"], "completed") << r.Describe();
}

// Terminal escape injection: a connector (probe `escape`) logs, and fails its stream with
// an error whose code and message hold, an OSC retitle ending in BEL, a screen clear, a
// carriage return and a forged "Error: fake" line. The human output shows them escaped
// (`\x1b`, `\x07`, `\r`, `\n`) and never a raw control byte or the forged line; with JSON
// logs and output the text stays intact, escaped by JSON.
TEST_F(SandboxTest, ConnectorTextNeverReachesTheTerminalRaw) {
  const std::string p = HostilePipeline({"esc.escape"});
  const CommandRun human = Cli({"run", p});
  EXPECT_EQ(human.exit_code, 1) << human.out << human.err;
  for (const auto& [name, text] : std::vector<std::pair<std::string, std::string>>{
           {"stdout", human.out}, {"stderr", human.err}}) {
    SCOPED_TRACE(name);
    EXPECT_FALSE(Contains(text, "\x1b")) << text;
    EXPECT_FALSE(Contains(text, "\x07")) << text;
    EXPECT_FALSE(Contains(text, "\r")) << text;
    EXPECT_FALSE(Contains("\n" + text, "\nError: fake")) << text;
  }
  const std::string shown = "\\x1b]0;pwned\\x07\\x1b[2J\\rERASED\\nError: fake";
  EXPECT_TRUE(Contains(human.err, "Error: stream esc.escape: Source error: [config/stream] "
                                  "ESC\\x1b[31mCODE (fatal): escape message " +
                                      shown + "\n"))
      << human.err;
  EXPECT_TRUE(Contains(human.err, " WARN [connector] escape log " + shown + " origin=connector"))
      << human.err;

  const RunOutput json = RunJsonLogs(p);
  ExpectFailedRun(json);
  const std::string raw = "\x1b]0;pwned\x07\x1b[2J\rERASED\nError: fake";
  ExpectStreamError(json, "esc.escape", "ESC\x1b[31mCODE", "escape message " + raw);
  EXPECT_FALSE(Contains(json.cmd.out + json.cmd.err, "\x1b")) << json.cmd.err;
  bool logged = false;
  std::istringstream lines(json.cmd.err);
  for (std::string line; std::getline(lines, line);) {
    const Json entry = Json::parse(line, nullptr, false);
    ASSERT_TRUE(entry.is_object()) << "not a JSON line: " << line;
    logged = logged || entry.value("msg", "") == "[connector] escape log " + raw;
  }
  EXPECT_TRUE(logged) << json.cmd.err;
}

}  // namespace
}  // namespace rapidbyte::e2e
