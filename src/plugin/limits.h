// What the host grants one connector instance, in one place (SPEC §1.3, §4.9). Each limit
// exists because a connector is untrusted code: without it a hostile or broken connector
// could exhaust the engine's memory or disk, or hang a command forever.
// docs/connectors/manifest.md ("What the host enforces") lists them for connector authors.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace rapidbyte::plugin::limits {

// ---- Memory (resources.max_memory covers linear memory and tables together) ----
/// Tables an instance may have; modules built by clang have one (test-hostile has 33).
inline constexpr std::uint32_t kMaxTables = 64;
/// Elements in one table.
inline constexpr std::uint32_t kMaxTableElements = 1u << 20;

// ---- Metrics (rb_host_metric) ----
/// A metric document, name and value together.
inline constexpr std::size_t kMaxMetricBytes = 4096;
/// A metric's name.
inline constexpr std::size_t kMaxMetricNameBytes = 128;
/// Distinct metric names one stage of one stream may report; the latest value of each is
/// kept for the run's result.
inline constexpr std::size_t kMaxMetricNames = 256;

// ---- Connector state (rb_host_state_put / _cas) ----
/// Bytes of all values of one scope (pipeline, stream, or connector instance) together.
inline constexpr std::uint64_t kMaxStateBytesPerScope = std::uint64_t{64} << 20;
/// Keys in one scope.
inline constexpr std::uint64_t kMaxStateKeysPerScope = 10000;

// ---- Compression (rb_host_compress / rb_host_decompress) ----
/// Uncompressed bytes one call handles: the input of rb_host_compress and the output of
/// rb_host_decompress (which the host decodes into its own buffer before copying it out, so
/// a decompression bomb stops here instead of exhausting the engine's memory). Compressed
/// input to rb_host_decompress is held to the same size.
inline constexpr std::size_t kMaxUncompressedBytes = std::size_t{256} << 20;

// ---- Time ----
/// rb_validate and rb_discover (`check`, `discover`) when resources.timeout_seconds is 0.
inline constexpr std::chrono::seconds kOneShotCallDeadline{120};
/// Instantiation (start functions) and rb_open of a run.
inline constexpr std::chrono::seconds kSetupCallDeadline{120};
/// rb_close after the run's work is done: the committed result stands either way, so a
/// connector that does not return in time is stopped, not waited for.
inline constexpr std::chrono::seconds kCloseDeadline{5};
// The cap on a connector's retry_after_ms (60 s) is engine::kMaxRetryAfterMs
// (src/engine/core/retry_policy.h), next to the rest of the retry rules.

}  // namespace rapidbyte::plugin::limits
