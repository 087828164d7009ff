// test-hostile: a source that misbehaves on purpose, one way per "mode", so the host's
// defences can be tested through the real wasm2c path:
//   oob, unreachable, divzero, recursion (native stack), shadowstack (wasm stack), loop
//     (ignores cancellation), membomb, procexit:
//     the instance must trap or stop and the host must report a typed error;
//   badptr: every host function is called with out-of-bounds pointers and lengths (and
//     the compression functions with an unknown codec and with input that is not zstd);
//   hugelen: rb_host_log with a range ending at 5 GiB (past 4 GiB: no 32-bit wrap);
//   garbage (bytes that are not Arrow IPC), emptybatch, checkpoint7, net (connect to a host
//     outside the allow list), netecho, portscan (the config's host on its port, then on
//     another port), env, passwd, readfile, writefile, listdir, fs (a script of directory
//     operations: mkdir, rename, unlink, rmdir, stat, fsync; hostile_files.cc): probes;
//   ok: reads nothing and succeeds (the healthy neighbour of a misbehaving stream).
//   deep_validate, deep_open, deep_discover, deep_reply, deep_details, deep_cursor,
//     deep_metric: ~200,000 levels of [[[...]]] (a stack overflow for a recursive parser)
//     in that export's response, an error's details, a checkpoint's cursor_value or a metric;
//   spin_validate, spin_discover, spin_open, spin_close: spin in that export (spin_close
//     after a successful read), ignoring cancellation;
//   tablebomb: grow 32 externref tables (outside linear memory) in 8 MiB steps until refused;
//   metricbomb: 3,000 distinct metric names, then a 1 MiB metric;
//   statebomb: 40 connector state values of 16 MiB each;
//   escape: terminal control sequences and a forged line in a log line and in its error.
// The modes of rb_open, rb_validate, rb_discover and rb_close come from the config's `mode`.
//
// Two ways to drive it:
// - The plugin-host tests call rb_run_read directly with {"mode", "host", "port", "path",
//   "target", "script"} in the request; probes answer with their findings as the response data.
// - In a pipeline (`use: test-hostile`) the parameters come from the source config (kept
//   from rb_open), and without a `mode` there the mode is the last segment of the stream name
//   (stream `trap.oob` runs `oob`), so streams of one run can misbehave differently. A probe
//   logs `probe <mode>: <findings>` at info and fails its stream with the first error a host
//   call returned (e.g. NETWORK_DENIED), or with FILE_ACCESS_FAILED when a file cannot be
//   opened; without either it succeeds having read nothing.
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "protocol/error_taxonomy.h"
#include "sdk/raw_abi.h"
#include "tests/hostile_connector/hostile_probes.h"

extern "C" char** environ;

namespace sdk = rapidbyte::sdk;
namespace protocol = rapidbyte::protocol;

// 32 externref tables for mode tablebomb, declared one by one (a table cannot be an array
// element) and at global scope (clang refuses tables in a namespace).
// clang-format off
#define RB_TABLES(X)                                                                      \
  X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15) \
  X(16) X(17) X(18) X(19) X(20) X(21) X(22) X(23) X(24) X(25) X(26) X(27) X(28) X(29)   \
  X(30) X(31)
// clang-format on
#define RB_DECLARE_TABLE(n) static __externref_t g_table##n[0];
RB_TABLES(RB_DECLARE_TABLE)
#undef RB_DECLARE_TABLE

std::string hostile::ErrorJson(std::string_view code, std::string_view message,
                              protocol::ErrorCategory category) {
  return "{\"category\":\"" + std::string(protocol::Name(category)) +
         "\",\"scope\":\"stream\",\"code\":\"" + sdk::raw::JsonEscape(code) +
         "\",\"message\":\"" + sdk::raw::JsonEscape(message) +
         "\",\"retryable\":false,\"retry_after_ms\":null,\"backoff_class\":\"normal\","
         "\"safe_to_retry\":false,\"commit_state\":null,\"details\":null}";
}

namespace {

using hostile::ErrorJson;
using hostile::Outcome;

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

HostCall Call(const char* name, std::int32_t rc) { return {name, rc, sdk::raw::LastError()}; }

std::int64_t RespondError(std::string_view code, std::string_view message) {
  return sdk::raw::Respond("{\"status\":\"err\",\"error\":" +
                           ErrorJson(code, message, protocol::ErrorCategory::kConfig) + "}");
}

// Findings {"<name>": "<rc>:<code or none>", ...}; the error is the first failed call's.
Outcome Report(const std::vector<HostCall>& calls) {
  Outcome out;
  out.findings = "{";
  for (std::size_t i = 0; i < calls.size(); ++i) {
    const std::string code = sdk::raw::FindJsonString(calls[i].error, "code");
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
  std::uint8_t out[64];
  calls.push_back(Call("compress_bad_in", rb_host_compress(RB_CODEC_ZSTD, 0, kBad, 16, Addr(out),
                                                           sizeof(out), Addr(&len))));
  calls.push_back(Call("compress_bad_out", rb_host_compress(RB_CODEC_LZ4, 0, Addr(key), 1, kBad,
                                                            64, Addr(&len))));
  calls.push_back(Call("compress_bad_len_ptr", rb_host_compress(RB_CODEC_GZIP, 0, Addr(key), 1,
                                                                Addr(out), sizeof(out), kBad)));
  calls.push_back(Call("compress_bad_codec", rb_host_compress(7, 0, Addr(key), 1, Addr(out),
                                                              sizeof(out), Addr(&len))));
  calls.push_back(Call("decompress_wrap", rb_host_decompress(RB_CODEC_SNAPPY, 16, 0xFFFFFFF0u,
                                                             Addr(out), sizeof(out), Addr(&len))));
  calls.push_back(Call("decompress_bad_out", rb_host_decompress(RB_CODEC_ZSTD, Addr(key), 1, kBad,
                                                                64, Addr(&len))));
  calls.push_back(Call("decompress_garbage", rb_host_decompress(RB_CODEC_ZSTD, Addr(key), 1,
                                                                Addr(out), sizeof(out),
                                                                Addr(&len))));
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
  out.findings = "{\"reply\":\"" + sdk::raw::JsonEscape(reply) + "\",\"reply_bytes\":" +
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
             sdk::raw::JsonEscape(entry.substr(0, entry.find('='))) + "\"";
  }
  return {std::string("{\"home\":") + (home ? "true" : "false") +
              ",\"path\":" + (path ? "true" : "false") +
              ",\"secret\":" + (secret ? "true" : "false") + ",\"allowed\":\"" +
              sdk::raw::JsonEscape(allowed ? allowed : "") + "\",\"visible\":[" + names + "]}",
          ""};
}

// `levels` arrays nested in one another.
std::string DeepJson(std::size_t levels) {
  std::string text(levels, '[');
  text.append(levels, ']');
  return text;
}
constexpr std::size_t kDeep = 200000;

[[noreturn]] void Spin() {
  volatile std::uint64_t spins = 0;
  while (true) spins = spins + 1;
}

// Grow every table in steps of 2^20 elements (8 MiB on the host) until the host refuses;
// report the elements granted in all and the refusals. Tables live outside linear memory,
// so only the host's accounting stops this.
__attribute__((target("reference-types"))) Outcome TableBomb() {
  constexpr int kStep = 1 << 20;
  std::uint64_t granted = 0;
  int refused = 0;
  bool more = true;
  for (int round = 0; round < 16 && more; ++round) {
    more = false;
#define RB_GROW_TABLE(n)                                                                    \
  if (__builtin_wasm_table_grow(g_table##n, __builtin_wasm_ref_null_extern(), kStep) < 0) { \
    ++refused;                                                                              \
  } else {                                                                                  \
    granted += kStep;                                                                       \
    more = true;                                                                            \
  }
    RB_TABLES(RB_GROW_TABLE)
#undef RB_GROW_TABLE
  }
  Outcome out{
      "{\"granted\":" + std::to_string(granted) + ",\"refused\":" + std::to_string(refused) + "}",
      ""};
  if (refused > 0) out.error = ErrorJson("TABLE_GROW_REFUSED", "the host refused table.grow");
  return out;
}

// Distinct metric names until the host refuses one, then one metric of 1 MiB.
Outcome MetricBomb() {
  std::vector<HostCall> calls;
  int accepted = 0;
  for (int i = 0; i < 3000; ++i) {
    const std::string metric =
        "{\"name\":\"bomb_" + std::to_string(i) + "\",\"value\":{\"counter\":1}}";
    const std::int32_t rc =
        rb_host_metric(Addr(metric.data()), static_cast<std::uint32_t>(metric.size()));
    if (rc != RB_OK) {
      calls.push_back(Call("distinct", rc));
      break;
    }
    ++accepted;
  }
  std::string huge = "{\"name\":\"huge\",\"value\":{\"label\":\"";
  huge.append(1u << 20, 'x');
  huge += "\"}}";
  calls.push_back(
      Call("huge", rb_host_metric(Addr(huge.data()), static_cast<std::uint32_t>(huge.size()))));
  Outcome out = Report(calls);
  out.findings = "{\"accepted\":" + std::to_string(accepted) + "," + out.findings.substr(1);
  return out;
}

// 16 MiB values under 40 keys of the stream scope, until the host refuses one.
Outcome StateBomb() {
  const std::string value(RB_MAX_STATE_VALUE_BYTES, 'v');
  int stored = 0;
  std::vector<HostCall> calls;
  for (int i = 0; i < 40; ++i) {
    const std::string key = "bomb_" + std::to_string(i);
    const std::int32_t rc =
        rb_host_state_put(RB_SCOPE_STREAM, Addr(key.data()), static_cast<std::uint32_t>(key.size()),
                          Addr(value.data()), static_cast<std::uint32_t>(value.size()));
    if (rc != RB_OK) {
      calls.push_back(Call("put", rc));
      break;
    }
    ++stored;
  }
  Outcome out = Report(calls);
  out.findings = "{\"stored\":" + std::to_string(stored) + "," + out.findings.substr(1);
  return out;
}

// The last segment of the StreamContext's stream name ("trap.oob" -> "oob").
std::string ModeFromStream(std::string_view request) {
  const std::string stream = sdk::raw::FindJsonString(request, "stream_name");
  return stream.substr(stream.rfind('.') + 1);
}

}  // namespace

extern "C" {

__attribute__((export_name("rb_open"))) int64_t rb_open(uint32_t ptr, uint32_t len) {
  OpenRequest() = std::string(sdk::raw::Request(ptr, len));
  const std::string mode = sdk::raw::FindJsonString(OpenRequest(), "mode");
  if (mode == "deep_open") return sdk::raw::RespondOk(DeepJson(kDeep));
  if (mode == "spin_open") Spin();
  return sdk::raw::RespondDefaultOpenInfo();
}

__attribute__((export_name("rb_validate"))) int64_t rb_validate(uint32_t ptr, uint32_t len) {
  const std::string mode = sdk::raw::FindJsonString(sdk::raw::Request(ptr, len), "mode");
  if (mode == "deep_validate") return sdk::raw::RespondOk(DeepJson(kDeep));
  if (mode == "spin_validate") Spin();
  return sdk::raw::RespondValidationSuccess();
}

__attribute__((export_name("rb_discover"))) int64_t rb_discover(uint32_t ptr, uint32_t len) {
  const std::string mode = sdk::raw::FindJsonString(sdk::raw::Request(ptr, len), "mode");
  if (mode == "deep_discover") return sdk::raw::RespondOk("{\"streams\":" + DeepJson(kDeep) + "}");
  if (mode == "spin_discover") Spin();
  return sdk::raw::RespondOk(R"({"streams":[]})");
}

__attribute__((export_name("rb_run_read"))) int64_t rb_run_read(uint32_t ptr, uint32_t len) {
  const std::string_view request = sdk::raw::Request(ptr, len);
  std::string mode = sdk::raw::FindJsonString(request, "mode");
  const bool direct = !mode.empty();  // called by a plugin-host test, not by the engine
  const std::string params(direct ? request : std::string_view(OpenRequest()));
  if (!direct) mode = sdk::raw::FindJsonString(params, "mode");
  if (mode.empty()) mode = ModeFromStream(request);

  Outcome outcome;
  if (mode == "ok" || mode == "spin_close") {
    return sdk::raw::RespondOk(kNothingRead);
  } else if (mode == "deep_reply") {
    return sdk::raw::RespondOk(DeepJson(kDeep));
  } else if (mode == "deep_details") {
    return sdk::raw::Respond(
        R"({"status":"err","error":{"category":"data","scope":"stream","code":"DEEP",)"
        R"("message":"details nest deeply","retryable":false,"details":)" +
        DeepJson(kDeep) + "}}");
  } else if (mode == "deep_cursor") {
    const std::string checkpoint = R"({"stream":")" + sdk::raw::FindJsonString(request, "stream_name") +
                                   R"(","cursor_field":"id","cursor_value":)" + DeepJson(kDeep) +
                                   R"(,"records_processed":0,"bytes_processed":0})";
    outcome = Report(
        {Call("checkpoint", rb_host_checkpoint(RB_CHECKPOINT_SOURCE, Addr(checkpoint.data()),
                                               static_cast<std::uint32_t>(checkpoint.size())))});
  } else if (mode == "deep_metric") {
    const std::string metric = R"({"name":"deep","value":)" + DeepJson(1000) + "}";
    outcome = Report({Call(
        "metric", rb_host_metric(Addr(metric.data()), static_cast<std::uint32_t>(metric.size())))});
  } else if (mode == "tablebomb") {
    outcome = TableBomb();
  } else if (mode == "metricbomb") {
    outcome = MetricBomb();
  } else if (mode == "statebomb") {
    outcome = StateBomb();
  } else if (mode == "oob") {
    volatile std::uintptr_t where = kBad;
    *reinterpret_cast<volatile int*>(where) = 1;
  } else if (mode == "unreachable") {
    __builtin_trap();
  } else if (mode == "divzero") {
    volatile int a = 1;
    volatile int b = 0;
    return sdk::raw::RespondOk(std::to_string(a / b));
  } else if (mode == "recursion") {
    return sdk::raw::RespondOk(std::to_string(NativeRecurse(0)));
  } else if (mode == "shadowstack") {
    return sdk::raw::RespondOk(std::to_string(ShadowRecurse(0)));
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
    std::string target = sdk::raw::FindJsonString(params, "target");
    if (target.empty()) target = "evil.example.com";
    const auto port = static_cast<std::int32_t>(sdk::raw::FindJsonInt(params, "port", 5432));
    std::uint32_t handle = 0;
    outcome = Report({Call("connect", rb_host_net_connect(Addr(target.data()),
                                                          static_cast<std::uint32_t>(target.size()),
                                                          port, 1000, Addr(&handle)))});
  } else if (mode == "portscan") {
    // The config names `host` and `port`; `scan_port` is any other port of that host (a
    // port scan from an allowed host). Each connect that succeeds is closed at once.
    const std::string host = sdk::raw::FindJsonString(params, "host");
    std::vector<HostCall> calls;
    for (const char* key : {"port", "scan_port"}) {
      const auto port = static_cast<std::int32_t>(sdk::raw::FindJsonInt(params, key, 0));
      std::uint32_t handle = 0;
      calls.push_back(
          Call(key, rb_host_net_connect(Addr(host.data()), static_cast<std::uint32_t>(host.size()),
                                        port, 1000, Addr(&handle))));
      if (calls.back().rc == RB_OK) rb_host_net_close(static_cast<std::int32_t>(handle));
    }
    outcome = Report(calls);
  } else if (mode == "netecho") {
    outcome = NetEcho(sdk::raw::FindJsonString(params, "host"),
                      static_cast<std::int32_t>(sdk::raw::FindJsonInt(params, "port", 0)),
                      static_cast<std::uint32_t>(sdk::raw::FindJsonInt(params, "send_bytes", 4)));
  } else if (mode == "escape") {
    // Terminal control sequences (an OSC retitle ending in BEL, a screen clear, a carriage
    // return and a forged "Error:" line) in a log line and in the stream's error code and
    // message: the host must never put them on a terminal raw.
    const std::string evil = "\x1b]0;pwned\x07\x1b[2J\rERASED\nError: fake";
    sdk::raw::Log(RB_LOG_WARN, "escape log " + evil);
    return RespondError("ESC\x1b[31mCODE", "escape message " + evil);
  } else if (mode == "env") {
    outcome = Environment();
  } else if (mode == "passwd") {
    outcome = hostile::Passwd();
  } else if (mode == "listdir") {
    outcome = hostile::ListDir(sdk::raw::FindJsonString(params, "path"));
  } else if (mode == "readfile" || mode == "writefile") {
    outcome = hostile::FileProbe(mode == "writefile", sdk::raw::FindJsonString(params, "path"));
  } else if (mode == "fs") {
    outcome = hostile::FsScript(sdk::raw::FindJsonString(params, "script"));
  } else {
    return RespondError("UNKNOWN_MODE", "unknown mode '" + mode + "'");
  }

  if (direct) return sdk::raw::RespondOk(outcome.findings);
  sdk::raw::Log(RB_LOG_INFO, "probe " + mode + ": " + outcome.findings);
  if (!outcome.error.empty()) {
    return sdk::raw::Respond("{\"status\":\"err\",\"error\":" + outcome.error + "}");
  }
  return sdk::raw::RespondOk(kNothingRead);
}

__attribute__((export_name("rb_close"))) int32_t rb_close() {
  if (sdk::raw::FindJsonString(OpenRequest(), "mode") == "spin_close") Spin();
  return 0;
}

}  // extern "C"
