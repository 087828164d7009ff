// test-hostile: a source that misbehaves on purpose, one way per "mode" in its request, so
// the host's defences can be tested through the real wasm2c path:
//   oob, unreachable, divzero, recursion (native stack), shadowstack (wasm stack), loop
//     (ignores cancellation), membomb, procexit:
//     the instance must trap or stop and the host must report a typed error;
//   badptr: every host function is called with out-of-bounds pointers and lengths and the
//     error codes the host returned are reported back;
//   garbage (bytes that are not Arrow IPC), emptybatch, env, passwd, net, netecho, readfile, writefile, checkpoint7: probes whose
//     outcome is reported back.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "sdk/sdk.h"

namespace sdk = rapidbyte::sdk;

namespace {

constexpr std::uint32_t kBad = 0xFFFFFF00u;  // beyond any memory this module gets

std::uint32_t Addr(const void* p) { return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(p)); }

// The code of the host's last error, or "none".
std::string LastCode() {
  const std::string error = sdk::LastError();
  const std::string code = sdk::FindJsonString(error, "code");
  return code.empty() ? "none" : code;
}

std::string Probe(const char* name, std::int32_t rc) {
  return "\"" + std::string(name) + "\":\"" + std::to_string(rc) + ":" + LastCode() + "\"";
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

std::string BadPointers() {
  std::uint32_t len = 0;
  const char key[] = "k";
  std::vector<std::string> probes;
  probes.push_back(Probe("log", rb_host_log(RB_LOG_INFO, kBad, 16)));
  probes.push_back(Probe("log_wrap", rb_host_log(RB_LOG_INFO, 16, 0xFFFFFFF0u)));
  probes.push_back(Probe("emit_bad_ptr", rb_host_emit_batch(kBad, 64)));
  probes.push_back(Probe("emit_2gib", rb_host_emit_batch(16, 0x80000000u)));
  probes.push_back(Probe("next_as_source", rb_host_next_batch(16, 16, Addr(&len))));
  probes.push_back(Probe("last_error_bad_len", rb_host_checkpoint(9, 0, 0) == RB_ERR
                                                   ? rb_host_last_error(16, 0, kBad)
                                                   : 0));
  probes.push_back(Probe("state_get_bad_key", rb_host_state_get(0, kBad, 4, 16, 16, Addr(&len))));
  probes.push_back(Probe("state_get_bad_scope", rb_host_state_get(9, Addr(key), 1, 16, 16, Addr(&len))));
  probes.push_back(Probe("state_put_huge", rb_host_state_put(0, Addr(key), 1, 16, 0x7FFFFFFFu)));
  probes.push_back(Probe("checkpoint_bad_ptr", rb_host_checkpoint(0, kBad, 10)));
  probes.push_back(Probe("metric_bad_ptr", rb_host_metric(kBad, 10)));
  probes.push_back(Probe("connect_bad_ptr", rb_host_net_connect(kBad, 10, 5432, 0, Addr(&len))));
  std::string out = "{";
  for (std::size_t i = 0; i < probes.size(); ++i) out += (i ? "," : "") + probes[i];
  return out + "}";
}

}  // namespace

extern "C" {

__attribute__((export_name("rb_open"))) int64_t rb_open(uint32_t, uint32_t) {
  return sdk::RespondDefaultOpenInfo();
}

__attribute__((export_name("rb_validate"))) int64_t rb_validate(uint32_t, uint32_t) {
  return sdk::RespondValidationSuccess();
}

__attribute__((export_name("rb_discover"))) int64_t rb_discover(uint32_t, uint32_t) {
  return sdk::RespondOk(R"({"streams":[]})");
}

__attribute__((export_name("rb_run_read"))) int64_t rb_run_read(uint32_t ptr, uint32_t len) {
  const std::string mode = sdk::FindJsonString(sdk::Request(ptr, len), "mode");
  if (mode == "oob") {
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
    return sdk::RespondOk(BadPointers());
  } else if (mode == "garbage") {
    const char junk[] = "this is not an Arrow IPC stream, just bytes";
    return sdk::RespondOk("{" + Probe("garbage", rb_host_emit_batch(Addr(junk), sizeof(junk))) + "}");
  } else if (mode == "emptybatch") {
    const std::uint8_t byte = 0;
    return sdk::RespondOk("{" + Probe("empty", rb_host_emit_batch(Addr(&byte), 0)) + "}");
  } else if (mode == "env") {
    const char* home = std::getenv("HOME");
    const char* path = std::getenv("PATH");
    const char* allowed = std::getenv("RB_TEST_ALLOWED");
    return sdk::RespondOk(std::string("{\"home\":") + (home ? "true" : "false") +
                          ",\"path\":" + (path ? "true" : "false") + ",\"allowed\":\"" +
                          sdk::JsonEscape(allowed ? allowed : "") + "\"}");
  } else if (mode == "passwd") {
    FILE* f = std::fopen("/etc/passwd", "r");
    const int err = errno;
    if (f != nullptr) std::fclose(f);
    return sdk::RespondOk(std::string("{\"opened\":") + (f ? "true" : "false") +
                          ",\"errno\":" + std::to_string(err) + "}");
  } else if (mode == "net") {
    const char host[] = "evil.example.com";
    std::uint32_t handle = 0;
    const std::int32_t rc = rb_host_net_connect(Addr(host), sizeof(host) - 1, 5432, 1000, Addr(&handle));
    return sdk::RespondOk("{" + Probe("connect", rc) + "}");
  } else if (mode == "netecho") {
    // Connect to {"host","port"}, send "ping", return what comes back.
    const std::string_view request = sdk::Request(ptr, len);
    const std::string host = sdk::FindJsonString(request, "host");
    const auto port = static_cast<std::int32_t>(sdk::FindJsonInt(request, "port", 0));
    std::uint32_t handle = 0;
    std::int32_t rc = rb_host_net_connect(Addr(host.data()), static_cast<std::uint32_t>(host.size()),
                                          port, 5000, Addr(&handle));
    if (rc != RB_OK) return sdk::RespondOk("{" + Probe("connect", rc) + "}");
    const char ping[] = "ping";
    rc = rb_host_net_write(static_cast<std::int32_t>(handle), Addr(ping), 4, 5000);
    if (rc != RB_OK) return sdk::RespondOk("{" + Probe("write", rc) + "}");
    char reply[16] = {};
    std::uint32_t got = 0;
    rc = rb_host_net_read(static_cast<std::int32_t>(handle), Addr(reply), sizeof(reply) - 1, 5000,
                          Addr(&got));
    if (rc != 1) return sdk::RespondOk("{" + Probe("read", rc) + "}");
    rb_host_net_close(static_cast<std::int32_t>(handle));
    const std::int32_t again = rb_host_net_close(static_cast<std::int32_t>(handle));
    return sdk::RespondOk("{\"reply\":\"" + sdk::JsonEscape(std::string(reply, got)) + "\"," +
                          Probe("close_twice", again) + "}");
  } else if (mode == "readfile" || mode == "writefile") {
    // {"path": ...}: read the file (or create and write it); report the content or errno.
    const std::string path = sdk::FindJsonString(sdk::Request(ptr, len), "path");
    FILE* f = std::fopen(path.c_str(), mode == "readfile" ? "r" : "w");
    if (f == nullptr) return sdk::RespondOk("{\"errno\":" + std::to_string(errno) + "}");
    std::string content;
    if (mode == "readfile") {
      char buf[256];
      std::size_t n = 0;
      while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) content.append(buf, n);
    } else {
      std::fputs("written", f);
    }
    const int closed = std::fclose(f);
    return sdk::RespondOk("{\"content\":\"" + sdk::JsonEscape(content) + "\",\"closed\":" +
                          std::to_string(closed) + "}");
  } else if (mode == "checkpoint7") {
    const char payload[] = "{}";
    return sdk::RespondOk("{" + Probe("checkpoint", rb_host_checkpoint(7, Addr(payload), 2)) + "}");
  }
  return sdk::RespondError("config", "UNKNOWN_MODE", "unknown mode '" + mode + "'");
}

__attribute__((export_name("rb_close"))) int32_t rb_close() { return 0; }

}  // extern "C"
