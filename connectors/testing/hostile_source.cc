// test-hostile: a source that misbehaves on purpose, one way per "mode", so the host's
// defences can be tested through the real wasm2c path:
//   oob, unreachable, divzero, recursion (native stack), shadowstack (wasm stack), loop
//     (ignores cancellation), membomb, procexit:
//     the instance must trap or stop and the host must report a typed error;
//   badptr: every host function is called with out-of-bounds pointers and lengths;
//   hugelen: rb_host_log with a range ending at 5 GiB (past 4 GiB: no 32-bit wrap);
//   garbage (bytes that are not Arrow IPC), emptybatch, checkpoint7, net (connect to a host
//     outside the allow list), netecho, env, passwd, readfile, writefile: probes;
//   ok: reads nothing and succeeds (the healthy neighbour of a misbehaving stream).
//
// Two ways to drive it:
// - The plugin-host tests call rb_run_read directly with {"mode", "host", "port", "path",
//   "target"} in the request; probes answer with their findings as the response data.
// - In a pipeline (`use: test-hostile`) the parameters come from the source config (kept
//   from rb_open), and without a `mode` there the mode is the last segment of the stream name
//   (stream `trap.oob` runs `oob`), so streams of one run can misbehave differently. A probe
//   logs `probe <mode>: <findings>` at info and fails its stream with the first error a host
//   call returned (e.g. NETWORK_DENIED), or with FILE_ACCESS_FAILED when a file cannot be
//   opened; without either it succeeds having read nothing.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "sdk/sdk.h"

extern "C" char** environ;

namespace sdk = rapidbyte::sdk;

namespace {

constexpr std::uint32_t kBad = 0xFFFFFF00u;  // beyond any memory this module gets
// The ReadSummary of a stream that read nothing.
constexpr const char* kNothingRead =
    R"({"records_read":0,"bytes_read":0,"batches_emitted":0,"checkpoint_count":0})";

std::uint32_t Addr(const void* p) {
  return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(p));
}

// The OpenContext of rb_open: the pipeline config of this instance (one instance per process).
std::string& OpenRequest() {
  static std::string request;
  return request;
}

// One host call: its return code and the error the host recorded for it (fetched at once,
// which also clears it).
struct HostCall {
  std::string name;
  std::int32_t rc = 0;
  std::string error;  // ConnectorError JSON, "" when none
};

HostCall Call(const char* name, std::int32_t rc) { return {name, rc, sdk::LastError()}; }

// What a mode found, and the error it fails its stream with in a pipeline ("" = none).
struct Outcome {
  std::string findings;  // a JSON object
  std::string error;     // ConnectorError JSON
};

std::string ErrorJson(std::string_view code, std::string_view message) {
  return "{\"category\":\"permission\",\"scope\":\"stream\",\"code\":\"" + sdk::JsonEscape(code) +
         "\",\"message\":\"" + sdk::JsonEscape(message) +
         "\",\"retryable\":false,\"retry_after_ms\":null,\"backoff_class\":\"normal\","
         "\"safe_to_retry\":false,\"commit_state\":null,\"details\":null}";
}

// Findings {"<name>": "<rc>:<code or none>", ...}; the error is the first failed call's.
Outcome Report(const std::vector<HostCall>& calls) {
  Outcome out;
  out.findings = "{";
  for (std::size_t i = 0; i < calls.size(); ++i) {
    const std::string code = sdk::FindJsonString(calls[i].error, "code");
    out.findings += std::string(i ? "," : "") + "\"" + calls[i].name + "\":\"" +
                    std::to_string(calls[i].rc) + ":" + (code.empty() ? "none" : code) + "\"";
    if (out.error.empty() && calls[i].rc < 0) {
      out.error = !calls[i].error.empty()
                      ? calls[i].error
                      : ErrorJson("HOST_CALL_FAILED",
                                  calls[i].name + " returned " + std::to_string(calls[i].rc));
    }
  }
  out.findings += "}";
  return out;
}

// Recursion without end (the limit is never reached in practice). ShadowRecurse keeps a
// buffer in linear memory, so it exhausts the wasm shadow stack (an out-of-bounds access);
// NativeRecurse keeps everything in locals, so it exhausts the native stack of the thread.
volatile int g_limit = 1 << 30;
volatile int g_sink = 0;
__attribute__((noinline)) int ShadowRecurse(int depth) {
  volatile char pad[256];
  pad[0] = static_cast<char>(depth);
  if (depth >= g_limit) return pad[0];
  return ShadowRecurse(depth + 1) + pad[0];
}
__attribute__((noinline)) int NativeRecurse(int depth) {
  if (depth >= g_limit) return depth;
  const int below = NativeRecurse(depth + 1);
  g_sink = below;  // a side effect after the call: not a tail call, not a loop
  return below ^ depth;
}

Outcome BadPointers() {
  std::uint32_t len = 0;
  const char key[] = "k";
  std::vector<HostCall> calls;
  calls.push_back(Call("log", rb_host_log(RB_LOG_INFO, kBad, 16)));
  calls.push_back(Call("log_wrap", rb_host_log(RB_LOG_INFO, 16, 0xFFFFFFF0u)));
  calls.push_back(Call("emit_bad_ptr", rb_host_emit_batch(kBad, 64)));
  calls.push_back(Call("emit_2gib", rb_host_emit_batch(16, 0x80000000u)));
  calls.push_back(Call("next_as_source", rb_host_next_batch(16, 16, Addr(&len))));
  calls.push_back(Call("last_error_bad_len", rb_host_checkpoint(9, 0, 0) == RB_ERR
                                                 ? rb_host_last_error(16, 0, kBad)
                                                 : 0));
  calls.push_back(Call("state_get_bad_key", rb_host_state_get(0, kBad, 4, 16, 16, Addr(&len))));
  calls.push_back(
      Call("state_get_bad_scope", rb_host_state_get(9, Addr(key), 1, 16, 16, Addr(&len))));
  calls.push_back(Call("state_put_huge", rb_host_state_put(0, Addr(key), 1, 16, 0x7FFFFFFFu)));
  calls.push_back(Call("checkpoint_bad_ptr", rb_host_checkpoint(0, kBad, 10)));
  calls.push_back(Call("metric_bad_ptr", rb_host_metric(kBad, 10)));
  calls.push_back(Call("connect_bad_ptr", rb_host_net_connect(kBad, 10, 5432, 0, Addr(&len))));
  return Report(calls);
}

// Connect to `host`:`port`, send "ping" (padded with 'x' to `send_bytes` when that is
// larger), then read in 15-byte pieces until the server closes: report the first 16 bytes
// of the reply and how many bytes came in all, so a test sees a long reply arrive whole.
Outcome NetEcho(const std::string& host, std::int32_t port, std::uint32_t send_bytes) {
  std::uint32_t handle = 0;
  HostCall connect = Call(
      "connect", rb_host_net_connect(Addr(host.data()), static_cast<std::uint32_t>(host.size()),
                                     port, 5000, Addr(&handle)));
  if (connect.rc != RB_OK) return Report({connect});
  std::string ping = "ping";
  if (send_bytes > ping.size()) ping.resize(send_bytes, 'x');
  HostCall write = Call("write", rb_host_net_write(static_cast<std::int32_t>(handle), Addr(ping.data()),
                                                   static_cast<std::uint32_t>(ping.size()), 5000));
  if (write.rc != RB_OK) return Report({write});
  std::string reply;
  std::uint64_t reply_bytes = 0;
  for (;;) {
    char piece[15];
    std::uint32_t got = 0;
    HostCall read = Call("read", rb_host_net_read(static_cast<std::int32_t>(handle), Addr(piece),
                                                  sizeof(piece), 5000, Addr(&got)));
    if (read.rc == 0) break;  // orderly end of stream
    if (read.rc != 1) {
      Outcome failed = Report({read});
      failed.findings = "{\"reply_bytes\":" + std::to_string(reply_bytes) + "," +
                        failed.findings.substr(1);
      return failed;
    }
    reply_bytes += got;
    if (reply.size() < 16) reply.append(piece, std::min<std::size_t>(got, 16 - reply.size()));
  }
  rb_host_net_close(static_cast<std::int32_t>(handle));
  Outcome out = Report({Call("close_twice", rb_host_net_close(static_cast<std::int32_t>(handle)))});
  out.findings = "{\"reply\":\"" + sdk::JsonEscape(reply) + "\",\"reply_bytes\":" +
                 std::to_string(reply_bytes) + "," + out.findings.substr(1);
  out.error.clear();  // closing twice is the probe, not a failure of the stream
  return out;
}

// Which variables WASI shows: the allowlisted one's value, and every visible name.
Outcome Environment() {
  const char* home = std::getenv("HOME");
  const char* path = std::getenv("PATH");
  const char* secret = std::getenv("RB_TEST_SECRET");
  const char* allowed = std::getenv("RB_TEST_ALLOWED");
  std::string names;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string entry(*e);
    names += std::string(names.empty() ? "" : ",") + "\"" +
             sdk::JsonEscape(entry.substr(0, entry.find('='))) + "\"";
  }
  return {std::string("{\"home\":") + (home ? "true" : "false") +
              ",\"path\":" + (path ? "true" : "false") +
              ",\"secret\":" + (secret ? "true" : "false") + ",\"allowed\":\"" +
              sdk::JsonEscape(allowed ? allowed : "") + "\",\"visible\":[" + names + "]}",
          ""};
}

Outcome FileError(const std::string& what, const std::string& path, int err) {
  return {"{\"errno\":" + std::to_string(err) + "}",
          ErrorJson("FILE_ACCESS_FAILED", what + " " + path + ": errno " + std::to_string(err) +
                                              " (" + std::strerror(err) + ")")};
}

// Read the file (or create and write it); report the content or errno.
Outcome FileProbe(bool write, const std::string& path) {
  FILE* f = std::fopen(path.c_str(), write ? "w" : "r");
  if (f == nullptr) return FileError(write ? "writefile" : "readfile", path, errno);
  std::string content;
  if (!write) {
    char buf[256];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) content.append(buf, n);
  } else {
    std::fputs("written", f);
  }
  const int closed = std::fclose(f);
  const std::string findings = "{\"content\":\"" + sdk::JsonEscape(content) +
                               "\",\"closed\":" + std::to_string(closed) + "}";
  return {findings, ""};
}

Outcome Passwd() {
  FILE* f = std::fopen("/etc/passwd", "r");
  const int err = errno;
  if (f != nullptr) std::fclose(f);
  Outcome out{std::string("{\"opened\":") + (f ? "true" : "false") +
                  ",\"errno\":" + std::to_string(f ? 0 : err) + "}",
              ""};
  if (f == nullptr) out.error = FileError("readfile", "/etc/passwd", err).error;
  return out;
}

// The last segment of the StreamContext's stream name ("trap.oob" -> "oob").
std::string ModeFromStream(std::string_view request) {
  const std::string stream = sdk::FindJsonString(request, "stream_name");
  return stream.substr(stream.rfind('.') + 1);
}

}  // namespace

extern "C" {

__attribute__((export_name("rb_open"))) int64_t rb_open(uint32_t ptr, uint32_t len) {
  OpenRequest() = std::string(sdk::Request(ptr, len));
  return sdk::RespondDefaultOpenInfo();
}

__attribute__((export_name("rb_validate"))) int64_t rb_validate(uint32_t, uint32_t) {
  return sdk::RespondValidationSuccess();
}

__attribute__((export_name("rb_discover"))) int64_t rb_discover(uint32_t, uint32_t) {
  return sdk::RespondOk(R"({"streams":[]})");
}

__attribute__((export_name("rb_run_read"))) int64_t rb_run_read(uint32_t ptr, uint32_t len) {
  const std::string_view request = sdk::Request(ptr, len);
  std::string mode = sdk::FindJsonString(request, "mode");
  const bool direct = !mode.empty();  // called by a plugin-host test, not by the engine
  const std::string params(direct ? request : std::string_view(OpenRequest()));
  if (!direct) mode = sdk::FindJsonString(params, "mode");
  if (mode.empty()) mode = ModeFromStream(request);

  Outcome outcome;
  if (mode == "ok") {
    return sdk::RespondOk(kNothingRead);
  } else if (mode == "oob") {
    volatile std::uintptr_t where = kBad;
    *reinterpret_cast<volatile int*>(where) = 1;
  } else if (mode == "unreachable") {
    __builtin_trap();
  } else if (mode == "divzero") {
    volatile int a = 1;
    volatile int b = 0;
    return sdk::RespondOk(std::to_string(a / b));
  } else if (mode == "recursion") {
    return sdk::RespondOk(std::to_string(NativeRecurse(0)));
  } else if (mode == "shadowstack") {
    return sdk::RespondOk(std::to_string(ShadowRecurse(0)));
  } else if (mode == "loop") {
    volatile std::uint64_t spins = 0;
    while (true) spins = spins + 1;
  } else if (mode == "membomb") {
    std::vector<char*> blocks;
    while (true) {
      char* block = new char[1 << 20];
      std::memset(block, 1, 1 << 20);
      blocks.push_back(block);
    }
  } else if (mode == "procexit") {
    std::exit(3);
  } else if (mode == "badptr") {
    outcome = BadPointers();
  } else if (mode == "hugelen") {
    outcome = Report({Call("log_5gib", rb_host_log(RB_LOG_INFO, 1u << 30, 0xFFFFFFFFu))});
  } else if (mode == "garbage") {
    const char junk[] = "this is not an Arrow IPC stream, just bytes";
    outcome = Report({Call("garbage", rb_host_emit_batch(Addr(junk), sizeof(junk)))});
  } else if (mode == "emptybatch") {
    const std::uint8_t byte = 0;
    outcome = Report({Call("empty", rb_host_emit_batch(Addr(&byte), 0))});
  } else if (mode == "checkpoint7") {
    const char payload[] = "{}";
    outcome = Report({Call("checkpoint", rb_host_checkpoint(7, Addr(payload), 2))});
  } else if (mode == "net") {
    // A host outside the allow list: config `target` (a key the runtime-config rule does not
    // read, so naming it does not allow it) at config `port`.
    std::string target = sdk::FindJsonString(params, "target");
    if (target.empty()) target = "evil.example.com";
    const auto port = static_cast<std::int32_t>(sdk::FindJsonInt(params, "port", 5432));
    std::uint32_t handle = 0;
    outcome = Report({Call("connect", rb_host_net_connect(Addr(target.data()),
                                                          static_cast<std::uint32_t>(target.size()),
                                                          port, 1000, Addr(&handle)))});
  } else if (mode == "netecho") {
    outcome = NetEcho(sdk::FindJsonString(params, "host"),
                      static_cast<std::int32_t>(sdk::FindJsonInt(params, "port", 0)),
                      static_cast<std::uint32_t>(sdk::FindJsonInt(params, "send_bytes", 4)));
  } else if (mode == "env") {
    outcome = Environment();
  } else if (mode == "passwd") {
    outcome = Passwd();
  } else if (mode == "readfile" || mode == "writefile") {
    outcome = FileProbe(mode == "writefile", sdk::FindJsonString(params, "path"));
  } else {
    return sdk::RespondError("config", "UNKNOWN_MODE", "unknown mode '" + mode + "'");
  }

  if (direct) return sdk::RespondOk(outcome.findings);
  sdk::Log(RB_LOG_INFO, "probe " + mode + ": " + outcome.findings);
  if (!outcome.error.empty()) {
    return sdk::Respond("{\"status\":\"err\",\"error\":" + outcome.error + "}");
  }
  return sdk::RespondOk(kNothingRead);
}

__attribute__((export_name("rb_close"))) int32_t rb_close() { return 0; }

}  // extern "C"
