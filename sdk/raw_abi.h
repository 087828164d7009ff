// The SDK's raw ABI layer (guest side, wasm32-wasi): the ABI's allocation and version
// exports, the JSON call convention's response packing, and the rb_host_* imports wrapped
// so that buffers grow as the host asks. The SDK's typed layer (sdk/host.h) and the
// generated exports (sdk/exports.h) are built on it. Connectors do not use it: they derive
// from the SDK classes (docs/connectors/sdk.md). Only the hostile test connector
// (tests/hostile_connector) calls it directly, to break the ABI on purpose.
//
// Single-threaded, like every connector instance.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "abi/rapidbyte_abi.h"

namespace rapidbyte::sdk::raw {

/// A pointer as the guest address host functions take.
inline std::uint32_t Addr(const void* p) {
  return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(p));
}

/// View the request the host passed to an rb_* export (valid during the call only).
std::string_view Request(std::uint32_t ptr, std::uint32_t len);

/// Pack a response document for the host: returns the i64 an rb_* export returns.
std::int64_t Respond(std::string_view json);
/// {"status":"ok","data":<data_json>}
std::int64_t RespondOk(std::string_view data_json);

/// The OpenInfo of a connector with no features and the default 4 MiB batch size.
std::int64_t RespondDefaultOpenInfo();
/// A ValidationResult with status success and no checks.
std::int64_t RespondValidationSuccess();

/// Log through the host.
void Log(int level, std::string_view message);

/// Send one frame downstream. Returns RB_OK, RB_CANCELLED or RB_ERR (see LastError()).
std::int32_t EmitBatch(std::span<const std::uint8_t> frame);

enum class NextStatus { kFrame, kEnd, kUpstreamFailed, kCancelled, kError };
/// Receive the next frame into `buffer` (grown as the host asks, up to `max_bytes`).
NextStatus NextBatch(std::vector<std::uint8_t>* buffer, std::uint32_t max_bytes = 256u << 20);

/// Report a cumulative counter metric in the payload envelope (SPEC §4.10). Failures are
/// ignored: metrics never fail a run.
void EmitCounter(std::string_view connector_id, std::string_view stream, std::string_view name,
                 std::int64_t value);

/// Send a checkpoint (`checkpoint_json` is a Checkpoint object) of `kind` (RB_CHECKPOINT_*) in
/// the payload envelope. Returns RB_OK or RB_ERR (see LastError()).
std::int32_t Checkpoint(std::int32_t kind, std::string_view connector_id, std::string_view stream,
                        std::string_view checkpoint_json);

/// Destinations that declare exactly_once (SPEC §5.5): the commit token covering everything
/// received so far, written into the commit record with the data. Returns RB_OK with the
/// token in `*token`, RB_CANCELLED, or RB_ERR (see LastError()).
std::int32_t CommitToken(std::string* token);
/// Report the token found in the destination's commit record (empty: none), before the
/// first NextBatch. Returns 0 (continue), 1 (this stream already completed in this run:
/// return a zero summary without writing) or RB_ERR (see LastError()).
std::int32_t ReportCommit(std::string_view token);
/// rb_host_committed_position into `position` (grown as needed); RB_OK or the error code.
std::int32_t CommittedPosition(std::string* position);
/// Connector state (SPEC §6.4), scope RB_SCOPE_* numbers 0-2. StateGet grows its buffer as
/// the host asks; returns 1 (found, value in *value), 0 (absent) or RB_ERR.
std::int32_t StateGet(std::int32_t scope, std::string_view key, std::string* value);
/// Returns RB_OK or RB_ERR; durable when it returns.
std::int32_t StatePut(std::int32_t scope, std::string_view key, std::string_view value);
/// Fetch and clear the host's last error for this instance (ConnectorError JSON), of any
/// size; empty when there is none.
std::string LastError();

/// Run a host call of the out/cap/len_ptr convention, `call(out_ptr, out_cap, len_ptr)`, into
/// `*out`: first with `first` bytes of room, then again with the size the host says it needs
/// (RB_TOO_SMALL). Returns RB_OK with `*out` holding the output (the call returned 1), or the
/// call's code with `*out` empty.
template <typename Call>
std::int32_t ReadGrowing(std::string* out, std::size_t first, Call call) {
  out->assign(first, '\0');
  while (true) {
    std::uint32_t len = 0;
    const std::int32_t rc =
        call(Addr(out->data()), static_cast<std::uint32_t>(out->size()), Addr(&len));
    if (rc == 1) {
      out->resize(len);
      return RB_OK;
    }
    if (rc == RB_TOO_SMALL && len > out->size()) {
      out->clear();  // no copy of the bytes offered before
      out->resize(len);
      continue;
    }
    out->clear();
    return rc;
  }
}

/// Find the value of a top-level "key": <number> or "key": "<string>" in a flat JSON text
/// (enough for test connectors' configs; real connectors use a JSON library).
std::string FindJsonString(std::string_view json, std::string_view key);
std::int64_t FindJsonInt(std::string_view json, std::string_view key, std::int64_t fallback);

/// Escape text for a JSON string literal.
std::string JsonEscape(std::string_view text);

}  // namespace rapidbyte::sdk::raw
