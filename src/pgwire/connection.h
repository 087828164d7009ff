// Connection: a PostgreSQL protocol 3.0 client session over an abstract ByteStream. It
// negotiates TLS per sslmode, authenticates (trust, cleartext, MD5, SCRAM-SHA-256), tracks
// ParameterStatus, BackendKeyData and the transaction status, and runs simple queries,
// extended queries with binary parameters and results, COPY OUT (streamed chunk by chunk)
// and COPY IN (buffered into large CopyData messages). Server errors keep every field
// (ServerError detail); notices go to rapidbyte::Log. Portable: no sockets here.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/status.h"
#include "pgwire/backend.h"
#include "pgwire/byte_stream.h"
#include "pgwire/frontend.h"
#include "pgwire/random.h"

namespace rapidbyte::pgwire {

/// libpq's sslmode (SPEC §7.2).
enum class SslMode { kDisable, kPrefer, kRequire, kVerifyCa, kVerifyFull };

/// Parse "disable", "prefer", "require", "verify-ca", "verify-full".
Result<SslMode> ParseSslMode(std::string_view text);

struct ConnectOptions {
  std::string user;
  std::string password;
  std::string database;
  SslMode sslmode = SslMode::kPrefer;
  /// PEM CA file for verify-ca / verify-full (empty: system store).
  std::string sslrootcert;
  /// The host name as configured, for SNI and verify-full.
  std::string server_name;
  /// Open a logical replication connection (startup parameter replication=database): simple
  /// queries then also take replication commands (IDENTIFY_SYSTEM, START_REPLICATION, ...).
  bool replication = false;
  /// Startup parameters sent after user and database (SPEC §7.2 defaults).
  StartupParams parameters = {{"application_name", "rapidbyte"},
                              {"client_encoding", "UTF8"},
                              {"DateStyle", "ISO"},
                              {"TimeZone", "UTC"},
                              {"extra_float_digits", "3"}};
  /// Timeout of each read and write during TLS, startup and authentication.
  int connect_timeout_ms = 10'000;
  /// Timeout of each read and write afterwards (-1: none; cancellation is the stream's).
  int io_timeout_ms = kNoTimeout;
  /// COPY IN sends CopyData messages of about this many bytes.
  std::size_t copy_flush_bytes = 4 << 20;
  /// Largest backend message accepted (PostgreSQL's own limit is 1 GiB).
  std::uint64_t max_message_bytes = kMaxMessageBytes;
  /// SCRAM iteration counts above this are refused (a hostile server could make us spin).
  std::uint32_t max_scram_iterations = 10'000'000;
  /// Source of SCRAM nonces; nullptr means SystemRandom().
  RandomSource* random = nullptr;
};

/// The key a CancelRequest needs.
struct BackendKey {
  std::int32_t process_id = 0;
  std::int32_t secret_key = 0;
};

/// One statement's result. Cells are raw bytes (text or binary per the field's format);
/// std::nullopt is SQL NULL.
struct QueryResult {
  using Row = std::vector<std::optional<std::string>>;
  std::vector<FieldDescription> fields;
  std::vector<Row> rows;
  std::string command_tag;  // e.g. "SELECT 3", "INSERT 0 1", "COPY 10"

  /// The trailing row count of the command tag, or 0 when it has none.
  std::uint64_t RowsAffected() const;
};

/// A server-side prepared statement (Prepare).
struct PreparedStatement {
  std::string name;
  std::vector<std::uint32_t> param_oids;
  std::vector<FieldDescription> fields;  // formats are unknown (text) until execution
};

/// Send a CancelRequest for `key` on a fresh stream from `factory`, then close it. Safe to call
/// from any thread.
Status SendCancelRequest(const StreamFactory& factory, BackendKey key);

/// A client session. Owns its stream. Not thread-safe, except Cancel() and backend_key(),
/// which may be called from another thread while a query runs.
class Connection {
 public:
  /// Negotiate TLS, start up and authenticate on `stream`. Errors carry ServerError or
  /// ClientError details (AUTH_FAILED, TLS_FAILED, PROTOCOL_ERROR).
  static Result<std::unique_ptr<Connection>> Connect(std::unique_ptr<ByteStream> stream,
                                                     ConnectOptions options);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  /// Sends Terminate (best effort) unless already closed.
  ~Connection();

  TransactionStatus transaction_status() const { return txn_status_; }
  BackendKey backend_key() const { return key_; }
  bool tls_active() const { return tls_active_; }
  /// False after an I/O or protocol error, a fatal server error, or Terminate.
  bool usable() const { return !broken_ && !closed_; }
  /// The latest ParameterStatus value of `name` (e.g. "server_version"), if any.
  std::optional<std::string> parameter(std::string_view name) const;

  /// Run `sql` (one or more statements) with the simple query protocol, text results. Returns
  /// the last statement that produced rows (else the last command's tag). The first server
  /// error fails the call after the server is ready again; the session stays usable.
  Result<QueryResult> SimpleQuery(std::string_view sql);
  /// SimpleQuery, ignoring rows.
  Status Execute(std::string_view sql) { return SimpleQuery(sql).status(); }

  /// Extended query on the unnamed statement: Parse/Bind/Describe/Execute/Sync.
  Result<QueryResult> Query(std::string_view sql, std::span<const Param> params = {},
                            Format result_format = Format::kBinary);
  /// Parse a named statement and describe it.
  Result<PreparedStatement> Prepare(std::string_view name, std::string_view sql,
                                    std::span<const std::uint32_t> param_oids = {});
  Result<QueryResult> ExecutePrepared(const PreparedStatement& statement,
                                      std::span<const Param> params = {},
                                      Format result_format = Format::kBinary);
  Status ClosePrepared(std::string_view name);

  /// Start `COPY ... TO STDOUT`; returns the server's CopyOutResponse.
  Result<CopyResponseMsg> StartCopyOut(std::string_view sql) { return StartCopy(sql, 'H'); }
  /// Next chunk of COPY OUT data: true with `*chunk` set (valid until the next call on this
  /// connection), or false once the COPY completed (its tag is then last_command_tag()).
  /// Nothing is accumulated: memory stays at the largest single message.
  Result<bool> NextCopyData(Bytes* chunk);
  /// StartCopyOut + NextCopyData into `sink`. If `sink` fails the connection becomes unusable
  /// (the server would keep sending) and the sink's error is returned.
  Status CopyOut(std::string_view sql, const std::function<Status(Bytes)>& sink);

  /// Start `COPY ... FROM STDIN`; returns the server's CopyInResponse.
  Result<CopyResponseMsg> StartCopyIn(std::string_view sql) { return StartCopy(sql, 'G'); }
  /// ConnectOptions::copy_flush_bytes: a chunk of at least this size goes out as it is.
  std::size_t copy_flush_bytes() const { return options_.copy_flush_bytes; }
  /// Queue `data` for the COPY; sent in CopyData messages of about copy_flush_bytes.
  Status WriteCopyData(Bytes data);
  /// Send whatever is queued and then `data` now, as it is (no copy), whatever its size.
  Status SendCopyData(Bytes data);
  /// Flush, send CopyDone and return the number of rows the server reports.
  Result<std::uint64_t> EndCopyIn();
  /// Abandon the COPY with CopyFail; OK once the server has rolled it back.
  Status AbortCopyIn(std::string_view reason);

  /// What ReadCopyBoth found.
  enum class CopyBothRead { kData, kTimeout, kDone };
  /// Run a command that answers CopyBothResponse (START_REPLICATION on a replication
  /// connection); the session then stays in the CopyBoth sub-protocol until EndCopyBoth.
  Result<CopyResponseMsg> StartCopyBoth(std::string_view command) {
    return StartCopy(command, 'W');
  }
  /// The next CopyData of a CopyBoth stream: kData with `*chunk` set (valid until the next read
  /// on this connection); kTimeout when a read waited `timeout_ms` without completing a message
  /// (the session stays usable, a partial message stays buffered); kDone once the server sent
  /// CopyDone (then call EndCopyBoth). A server error ends the stream and is returned.
  Result<CopyBothRead> ReadCopyBoth(Bytes* chunk, int timeout_ms);
  /// Send `payload` as one CopyData message now.
  Status SendCopyBothData(Bytes payload);
  /// Send CopyDone and read until ReadyForQuery, dropping what the server still streams.
  Status EndCopyBoth();

  /// Ask the server to cancel the running query through a second stream. Thread-safe. A
  /// query that then fails with 57014 is classified `cancelled` (not retryable).
  Status Cancel(const StreamFactory& factory);

  /// Send Terminate and close the stream. Idempotent.
  Status Terminate();

  const std::string& last_command_tag() const { return last_tag_; }
  /// Bytes currently held by the receive buffer (for memory-bound tests).
  std::size_t receive_buffer_capacity_for_test() const { return in_.capacity(); }

 private:
  enum class Mode { kIdle, kCopyOut, kCopyIn, kCopyBoth };

  Connection(std::unique_ptr<ByteStream> stream, ConnectOptions options);

  // startup.cc
  Status NegotiateTls();
  Status Startup();
  Status Authenticate();
  Status AuthenticateSasl(Bytes mechanisms);
  Status SendPasswordMessage(std::string_view password);
  Status AwaitReady();

  // connection.cc: buffered I/O and messages every state may see.
  Status Flush(int timeout_ms);
  /// `timeout_keeps_session`: a read timeout (from any ByteStream) is returned as
  /// kDeadlineExceeded without making the session unusable; the bytes read so far stay
  /// buffered.
  Result<Frame> ReadFrame(int timeout_ms, bool timeout_keeps_session = false);
  /// The next message that is not a notice, parameter status or notification.
  Result<Frame> NextMessage();
  Status HandleAsync(const Frame& frame, bool* handled);
  Status Fail(Status status);
  Status CheckUsable(Mode expected) const;
  Status MakeServerError(Bytes body);
  /// Read until ReadyForQuery; the first ErrorResponse (or `*pending`) becomes the result.
  Status DrainUntilReady(Status pending);

  // copy.cc: COPY OUT ('H'), COPY IN ('G') or CopyBoth ('W') per `expected`.
  Result<CopyResponseMsg> StartCopy(std::string_view sql, char expected);

  // query.cc
  Result<QueryResult> ReadExtendedResults();
  Status ReadRow(Bytes body, QueryResult* result);

  std::unique_ptr<ByteStream> stream_;
  ConnectOptions options_;
  std::vector<std::uint8_t> in_;  // receive buffer; [in_start_, in_end_) is unread
  std::size_t in_start_ = 0;
  std::size_t in_end_ = 0;
  ByteBuffer out_;
  std::size_t copy_msg_start_ = SIZE_MAX;  // open CopyData message in out_, if any
  std::map<std::string, std::string, std::less<>> parameters_;
  BackendKey key_;
  TransactionStatus txn_status_ = TransactionStatus::kIdle;
  Mode mode_ = Mode::kIdle;
  std::string last_tag_;
  bool copy_both_server_done_ = false;  // CopyDone received in Mode::kCopyBoth
  bool tls_active_ = false;
  bool broken_ = false;
  bool closed_ = false;
  std::atomic<bool> cancel_requested_{false};
};

}  // namespace rapidbyte::pgwire
