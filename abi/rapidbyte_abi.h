/* rapidbyte connector ABI, version 1: the single source of truth for the contract between
 * the host (the rapidbyte binary) and a connector (a wasm32-wasi reactor module).
 *
 * Guest exports (SPEC §4.5), all required unless noted:
 *   memory                                linear memory (32-bit, not shared)
 *   _initialize        () -> ()           optional; called once after instantiation
 *   rb_abi_version     () -> i32          must return RB_ABI_VERSION
 *   rb_allocate        (size) -> ptr      0 on failure
 *   rb_deallocate      (ptr, size) -> ()
 *   rb_open, rb_validate                  (req_ptr, req_len) -> i64 packed response
 *   rb_discover, rb_run_read              same; sources
 *   rb_run_write                          same; destinations
 *   rb_run_transform                      same; transforms
 *   rb_close           () -> i32          0 on success
 *
 * JSON call convention: the host allocates the request with rb_allocate, copies the UTF-8
 * JSON in, calls the export; the i64 result packs the response as (ptr << 32) | len. The host
 * copies the response out and frees both buffers with rb_deallocate. Responses are
 * ConnectorResult envelopes: {"status":"ok","data":...} or {"status":"err","error":...}.
 *
 * Host imports live in module "rapidbyte" (names below). All parameters and results are i32;
 * pointers and lengths are unsigned 32-bit offsets into the guest's memory. Where a function
 * returns a length it stores it as a little-endian u32 at len_ptr (no alignment needed).
 *
 * This header is plain C so that guests (clang, wasm32) and the host (C++) share it.
 */
#ifndef RAPIDBYTE_ABI_H_
#define RAPIDBYTE_ABI_H_

#include <stdint.h>

#define RB_ABI_VERSION 1
#define RB_PROTOCOL_VERSION "1"
#define RB_IMPORT_MODULE "rapidbyte"

/* Status codes returned by host functions (SPEC §4.6). 0 and 1 are per-function successes. */
#define RB_OK 0
#define RB_ERR (-1)             /* failure; details via rb_host_last_error */
#define RB_UPSTREAM_FAILED (-2) /* next_batch only: the upstream stage failed */
#define RB_CANCELLED (-3)       /* the stream attempt is being cancelled; return promptly */
#define RB_TOO_SMALL (-4)       /* output buffer too small; required size stored at len_ptr */
#define RB_TIMEOUT (-5)         /* the call's timeout expired */

/* rb_host_log levels. */
#define RB_LOG_ERROR 0
#define RB_LOG_WARN 1
#define RB_LOG_INFO 2
#define RB_LOG_DEBUG 3
#define RB_LOG_TRACE 4

/* rb_host_checkpoint kinds. */
#define RB_CHECKPOINT_SOURCE 0
#define RB_CHECKPOINT_DEST 1
#define RB_CHECKPOINT_TRANSFORM 2

/* Connector state scopes. */
#define RB_SCOPE_PIPELINE 0
#define RB_SCOPE_STREAM 1
#define RB_SCOPE_CONNECTOR_INSTANCE 2

/* rb_host_net_start_tls modes. */
#define RB_TLS_ENCRYPT_ONLY 1
#define RB_TLS_VERIFY_CHAIN 2
#define RB_TLS_VERIFY_FULL 3

/* rb_host_compress / rb_host_decompress codecs. LZ4 is the LZ4 frame format; snappy is the
 * raw snappy block format (as Parquet's SNAPPY); gzip is RFC 1952 (deflate with a gzip
 * header, as Parquet's GZIP). */
#define RB_CODEC_ZSTD 1
#define RB_CODEC_LZ4 2
#define RB_CODEC_SNAPPY 3
#define RB_CODEC_GZIP 4

/* Timeouts: -1 waits without limit (still cancellable), 0 does not wait. */
#define RB_WAIT_FOREVER (-1)

/* Limits the host enforces on guest-supplied sizes. */
#define RB_MAX_JSON_BYTES (16u << 20)        /* requests and responses */
#define RB_MAX_LOG_BYTES (64u << 10)         /* longer messages are truncated */
#define RB_MAX_STATE_KEY_BYTES 1024u
#define RB_MAX_STATE_VALUE_BYTES (16u << 20)
#define RB_MAX_SOCKETS_PER_INSTANCE 16

#if defined(__wasm__)
#define RB_IMPORT(name) __attribute__((import_module(RB_IMPORT_MODULE), import_name(#name)))

#ifdef __cplusplus
extern "C" {
#endif

RB_IMPORT(rb_host_log) int32_t rb_host_log(int32_t level, uint32_t msg_ptr, uint32_t msg_len);
RB_IMPORT(rb_host_emit_batch) int32_t rb_host_emit_batch(uint32_t ptr, uint32_t len);
RB_IMPORT(rb_host_next_batch)
int32_t rb_host_next_batch(uint32_t out_ptr, uint32_t out_cap, uint32_t len_ptr);
RB_IMPORT(rb_host_last_error)
int32_t rb_host_last_error(uint32_t out_ptr, uint32_t out_cap, uint32_t len_ptr);
RB_IMPORT(rb_host_state_get)
int32_t rb_host_state_get(int32_t scope, uint32_t key_ptr, uint32_t key_len, uint32_t out_ptr,
                          uint32_t out_cap, uint32_t len_ptr);
RB_IMPORT(rb_host_state_put)
int32_t rb_host_state_put(int32_t scope, uint32_t key_ptr, uint32_t key_len, uint32_t val_ptr,
                          uint32_t val_len);
RB_IMPORT(rb_host_state_cas)
int32_t rb_host_state_cas(int32_t scope, uint32_t key_ptr, uint32_t key_len, uint32_t exp_ptr,
                          uint32_t exp_len, uint32_t new_ptr, uint32_t new_len);
RB_IMPORT(rb_host_checkpoint) int32_t rb_host_checkpoint(int32_t kind, uint32_t ptr, uint32_t len);
RB_IMPORT(rb_host_metric) int32_t rb_host_metric(uint32_t ptr, uint32_t len);
RB_IMPORT(rb_host_commit_token)
int32_t rb_host_commit_token(uint32_t out_ptr, uint32_t out_cap, uint32_t len_ptr);
RB_IMPORT(rb_host_report_commit) int32_t rb_host_report_commit(uint32_t ptr, uint32_t len);
RB_IMPORT(rb_host_committed_position)
int32_t rb_host_committed_position(uint32_t out_ptr, uint32_t out_cap, uint32_t len_ptr);
RB_IMPORT(rb_host_net_connect)
int32_t rb_host_net_connect(uint32_t host_ptr, uint32_t host_len, int32_t port,
                            int32_t timeout_ms, uint32_t handle_ptr);
RB_IMPORT(rb_host_net_start_tls)
int32_t rb_host_net_start_tls(int32_t handle, int32_t mode, uint32_t ca_ptr, uint32_t ca_len,
                              int32_t timeout_ms);
RB_IMPORT(rb_host_net_read)
int32_t rb_host_net_read(int32_t handle, uint32_t out_ptr, uint32_t out_cap, int32_t timeout_ms,
                         uint32_t len_ptr);
RB_IMPORT(rb_host_net_write)
int32_t rb_host_net_write(int32_t handle, uint32_t ptr, uint32_t len, int32_t timeout_ms);
RB_IMPORT(rb_host_net_close) int32_t rb_host_net_close(int32_t handle);
RB_IMPORT(rb_host_is_cancelled) int32_t rb_host_is_cancelled(void);
/* Compression at native speed (RB_CODEC_*; level 0 is the codec's default). Both return 1
 * with the output's length at len_ptr, RB_TOO_SMALL with the size needed at len_ptr (call
 * again with a buffer that large), RB_CANCELLED or RB_ERR. */
RB_IMPORT(rb_host_compress)
int32_t rb_host_compress(int32_t codec, int32_t level, uint32_t in_ptr, uint32_t in_len,
                         uint32_t out_ptr, uint32_t out_cap, uint32_t len_ptr);
RB_IMPORT(rb_host_decompress)
int32_t rb_host_decompress(int32_t codec, uint32_t in_ptr, uint32_t in_len, uint32_t out_ptr,
                           uint32_t out_cap, uint32_t len_ptr);

#ifdef __cplusplus
}
#endif
#endif /* __wasm__ */

#endif /* RAPIDBYTE_ABI_H_ */
