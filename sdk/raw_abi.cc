// The raw ABI layer, including the exports every connector shares: rb_abi_version,
// rb_allocate and rb_deallocate (malloc/free; the host frees every buffer it was given), and
// the stack-protector symbols. This object is linked into every connector (the generated
// exports call Respond), so what it defines is always there.
#include "sdk/raw_abi.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

extern "C" {

// Debian's wasm32 compiler-rt builtins (the 128-bit division helpers that decimal code pulls
// in) are built with -fstack-protector and reference these; wasi-libc does not define them.
// A smashed canary traps the instance.
std::uintptr_t __stack_chk_guard = 0x5f3759df;
[[noreturn]] void __stack_chk_fail(void) { __builtin_trap(); }

__attribute__((export_name("rb_abi_version"))) int32_t rb_abi_version() { return RB_ABI_VERSION; }

__attribute__((export_name("rb_allocate"))) uint32_t rb_allocate(uint32_t size) {
  void* p = std::malloc(size == 0 ? 1 : size);
  return static_cast<uint32_t>(reinterpret_cast<uintptr_t>(p));
}

__attribute__((export_name("rb_deallocate"))) void rb_deallocate(uint32_t ptr, uint32_t /*size*/) {
  std::free(reinterpret_cast<void*>(static_cast<uintptr_t>(ptr)));
}

}  // extern "C"

namespace rapidbyte::sdk::raw {

std::string_view Request(std::uint32_t ptr, std::uint32_t len) {
  return {reinterpret_cast<const char*>(static_cast<std::uintptr_t>(ptr)), len};
}

std::int64_t Respond(std::string_view json) {
  auto* buffer = static_cast<char*>(std::malloc(json.size() == 0 ? 1 : json.size()));
  if (buffer == nullptr) return 0;
  std::memcpy(buffer, json.data(), json.size());
  return static_cast<std::int64_t>((std::uint64_t{Addr(buffer)} << 32) | json.size());
}

std::int64_t RespondOk(std::string_view data_json) {
  std::string doc = "{\"status\":\"ok\",\"data\":";
  doc += data_json;
  doc += "}";
  return Respond(doc);
}

std::int64_t RespondDefaultOpenInfo() {
  return RespondOk(R"({"protocol_version":"1","features":[],"default_max_batch_bytes":4194304})");
}

std::int64_t RespondValidationSuccess() {
  return RespondOk(R"({"status":"success","message":"ok","checks":[]})");
}

void Log(int level, std::string_view message) {
  rb_host_log(level, Addr(message.data()), static_cast<std::uint32_t>(message.size()));
}

std::int32_t EmitBatch(std::span<const std::uint8_t> frame) {
  return rb_host_emit_batch(Addr(frame.data()), static_cast<std::uint32_t>(frame.size()));
}

namespace {

std::string Envelope(std::string_view connector_id, std::string_view stream,
                     std::string_view payload) {
  std::string doc = "{\"protocol_version\":\"1\",\"connector_id\":\"" + JsonEscape(connector_id) +
                    "\",\"stream_name\":\"" + JsonEscape(stream) + "\",\"payload\":";
  doc += payload;
  doc += "}";
  return doc;
}

}  // namespace

void EmitCounter(std::string_view connector_id, std::string_view stream, std::string_view name,
                 std::int64_t value) {
  const std::string doc = Envelope(connector_id, stream,
                                   "{\"name\":\"" + JsonEscape(name) + "\",\"value\":{\"counter\":" +
                                       std::to_string(value) + "},\"labels\":[]}");
  if (rb_host_metric(Addr(doc.data()), static_cast<std::uint32_t>(doc.size())) != RB_OK) {
    LastError();  // clear it; metrics never fail a run
  }
}

std::int32_t Checkpoint(std::int32_t kind, std::string_view connector_id, std::string_view stream,
                        std::string_view checkpoint_json) {
  const std::string doc = Envelope(connector_id, stream, checkpoint_json);
  return rb_host_checkpoint(kind, Addr(doc.data()), static_cast<std::uint32_t>(doc.size()));
}

NextStatus NextBatch(std::vector<std::uint8_t>* buffer, std::uint32_t max_bytes) {
  // Offer the whole capacity: the last frame shrank the size, not the allocation.
  buffer->resize(std::max<std::size_t>(buffer->capacity(), 64u << 10));
  while (true) {
    std::uint32_t len = 0;
    const std::int32_t rc = rb_host_next_batch(Addr(buffer->data()),
                                               static_cast<std::uint32_t>(buffer->size()), Addr(&len));
    switch (rc) {
      case 1: buffer->resize(len); return NextStatus::kFrame;
      case 0: return NextStatus::kEnd;
      case RB_UPSTREAM_FAILED: return NextStatus::kUpstreamFailed;
      case RB_CANCELLED: return NextStatus::kCancelled;
      case RB_TOO_SMALL:
        if (len > max_bytes || len <= buffer->size()) return NextStatus::kError;
        // An eighth of headroom, so that frames a little larger than this one (the usual
        // case) fit without another allocation: in linear memory every one stays resident.
        buffer->clear();
        buffer->shrink_to_fit();
        buffer->resize(std::min<std::size_t>(std::size_t{len} + len / 8, max_bytes));
        continue;
      default: return NextStatus::kError;
    }
  }
}

std::int32_t CommitToken(std::string* token) {
  return ReadGrowing(token, 1024, rb_host_commit_token);
}

std::int32_t CommittedPosition(std::string* position) {
  return ReadGrowing(position, 1024, rb_host_committed_position);
}

std::int32_t ReportCommit(std::string_view token) {
  return rb_host_report_commit(Addr(token.data()), static_cast<std::uint32_t>(token.size()));
}

std::int32_t StateGet(std::int32_t scope, std::string_view key, std::string* value) {
  value->assign(4096, '\0');
  while (true) {
    std::uint32_t len = 0;
    const std::int32_t rc = rb_host_state_get(
        scope, Addr(key.data()), static_cast<std::uint32_t>(key.size()), Addr(value->data()),
        static_cast<std::uint32_t>(value->size()), Addr(&len));
    if (rc == 1) {
      value->resize(len);
      return 1;
    }
    if (rc == RB_TOO_SMALL && len > value->size()) {
      value->resize(len);
      continue;
    }
    value->clear();
    return rc;
  }
}

std::int32_t StatePut(std::int32_t scope, std::string_view key, std::string_view value) {
  return rb_host_state_put(scope, Addr(key.data()), static_cast<std::uint32_t>(key.size()),
                           Addr(value.data()), static_cast<std::uint32_t>(value.size()));
}

std::string LastError() {
  std::string out(4096, '\0');
  while (true) {
    std::uint32_t len = 0;
    const std::int32_t rc = rb_host_last_error(Addr(out.data()),
                                               static_cast<std::uint32_t>(out.size()), Addr(&len));
    if (rc == 1) {
      out.resize(len);
      return out;
    }
    if (rc == RB_TOO_SMALL && len > out.size()) {
      out.resize(len);
      continue;
    }
    return "";
  }
}

std::string FindJsonString(std::string_view json, std::string_view key) {
  const std::string needle = "\"" + std::string(key) + "\"";
  std::size_t at = json.find(needle);
  if (at == std::string_view::npos) return "";
  at = json.find('"', json.find(':', at + needle.size()) + 1);
  if (at == std::string_view::npos) return "";
  const std::size_t end = json.find('"', at + 1);
  if (end == std::string_view::npos) return "";
  return std::string(json.substr(at + 1, end - at - 1));
}

std::int64_t FindJsonInt(std::string_view json, std::string_view key, std::int64_t fallback) {
  const std::string needle = "\"" + std::string(key) + "\"";
  std::size_t at = json.find(needle);
  if (at == std::string_view::npos) return fallback;
  at = json.find(':', at + needle.size());
  if (at == std::string_view::npos) return fallback;
  ++at;
  while (at < json.size() && json[at] == ' ') ++at;
  std::int64_t value = 0;
  bool any = false;
  while (at < json.size() && json[at] >= '0' && json[at] <= '9') {
    value = value * 10 + (json[at] - '0');
    any = true;
    ++at;
  }
  return any ? value : fallback;
}

std::string JsonEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static const char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[(c >> 4) & 0xf];
          out += kHex[c & 0xf];
        } else {
          out.push_back(c);
        }
    }
  }
  return out;
}

}  // namespace rapidbyte::sdk::raw
