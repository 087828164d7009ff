// Streaming replication protocol (logical): replication commands on a connection opened with
// ConnectOptions::replication (IDENTIFY_SYSTEM, CREATE_REPLICATION_SLOT with an exported
// snapshot, DROP_REPLICATION_SLOT), and ReplicationStream, which runs START_REPLICATION and
// the CopyBoth sub-protocol: XLogData and primary keepalives in, standby status updates out,
// one message at a time (memory stays at the largest single message). The CopyData payload
// codec is pure and exposed for tests and fuzzing. Timestamps are PostgreSQL epoch
// microseconds (since 2000-01-01 00:00 UTC). Portable: no clock, no sockets.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.h"
#include "base/status.h"
#include "pgwire/connection.h"
#include "pgwire/lsn.h"
#include "pgwire/wire_buffer.h"

namespace rapidbyte::pgwire {

/// 2000-01-01 00:00:00 UTC in Unix microseconds.
inline constexpr std::int64_t kPgEpochUnixMicros = 946'684'800'000'000;
constexpr std::int64_t PgTimeFromUnixMicros(std::int64_t unix_us) {
  return unix_us - kPgEpochUnixMicros;
}
constexpr std::int64_t UnixMicrosFromPgTime(std::int64_t pg_us) {
  return pg_us + kPgEpochUnixMicros;
}

/// The major version from the server_version parameter ("15.4 (Debian ...)" -> 15), or 0 when
/// the server did not report one that starts with a number.
int ServerMajorVersion(const Connection& conn);

/// IDENTIFY_SYSTEM's row.
struct SystemIdentity {
  std::string system_id;  // decimal, as sent (a uint64)
  std::int32_t timeline = 0;
  Lsn xlog_pos;        // current WAL flush position
  std::string dbname;  // empty when the connection is not database-specific
};
Result<SystemIdentity> IdentifySystem(Connection& conn);

struct CreateSlotOptions {
  std::string output_plugin = "pgoutput";
  /// Export a snapshot usable with SET TRANSACTION SNAPSHOT while this connection stays idle.
  bool export_snapshot = true;
  bool temporary = false;
};
/// CREATE_REPLICATION_SLOT's row.
struct CreatedSlot {
  std::string slot_name;
  Lsn consistent_point;       // changes committed after this point are streamed
  std::string snapshot_name;  // empty unless a snapshot was exported
  std::string output_plugin;
};
/// CREATE_REPLICATION_SLOT <slot> [TEMPORARY] LOGICAL <plugin> with (SNAPSHOT 'export' |
/// 'nothing') on PostgreSQL 15+, [NO]EXPORT_SNAPSHOT before. Slot and plugin names must be
/// 1-63 characters of [a-z0-9_] (PostgreSQL's own rule for slot names).
Result<CreatedSlot> CreateReplicationSlot(Connection& conn, std::string_view slot,
                                          const CreateSlotOptions& options = {});
/// DROP_REPLICATION_SLOT <slot> [WAIT] (WAIT: block while another connection uses it).
Status DropReplicationSlot(Connection& conn, std::string_view slot, bool wait = false);

struct StartReplicationOptions {
  std::string slot;
  /// Stream changes committed after this position (0/0: the slot's confirmed_flush_lsn).
  Lsn start;
  std::vector<std::string> publications;  // at least one; any characters but NUL
  /// pgoutput `binary 'true'` (PostgreSQL 14+): values in their types' binary send format.
  bool binary = false;
  /// pgoutput `messages 'true'`: also stream logical decoding messages (pg_logical_emit_message).
  bool messages = false;
};
/// The START_REPLICATION command for `options` (proto_version '1'); InvalidArgument for a bad
/// slot name, no publication or a NUL in a name.
Result<std::string> StartReplicationCommand(const StartReplicationOptions& options);

/// XLogData ('w'): one chunk of the output plugin's stream (one pgoutput message).
struct XLogData {
  Lsn wal_start;
  Lsn wal_end;  // the server's current WAL end
  std::int64_t send_time = 0;
  Bytes payload;  // view: valid until the next Next() or End()
};
/// Primary keepalive ('k').
struct PrimaryKeepalive {
  Lsn wal_end;
  std::int64_t send_time = 0;
  bool reply_requested = false;  // answer with SendStatus now or the server may disconnect
};
/// Nothing arrived within Next's timeout.
struct StreamIdle {};
/// The server ended the stream (CopyDone); call End().
struct StreamEnded {};
using ReplicationEvent = std::variant<XLogData, PrimaryKeepalive, StreamIdle, StreamEnded>;

/// Decode one CopyData payload from the server: XLogData or PrimaryKeepalive, every length
/// checked; anything else is a PROTOCOL_ERROR.
Result<ReplicationEvent> ParseReplicationMessage(Bytes copy_data);

/// Standby status update ('r'): the positions the client has written, flushed (durably
/// applied: the slot may release WAL up to here) and applied.
struct StandbyStatus {
  Lsn written;
  Lsn flushed;
  Lsn applied;
  std::int64_t client_time = 0;  // PostgreSQL epoch microseconds
  bool reply_requested = false;  // ask the server for a keepalive right away
};
/// Append the 34-byte CopyData payload of `status` to `out`.
void EncodeStandbyStatusUpdate(const StandbyStatus& status, ByteBuffer* out);

/// A running START_REPLICATION on a replication connection. The connection must outlive the
/// stream and is used by nothing else until End(). Not thread-safe.
class ReplicationStream {
 public:
  /// Send START_REPLICATION and wait for CopyBothResponse. A server error (missing slot or
  /// publication, slot in use) is returned with its ServerError detail; the connection stays
  /// usable for other commands.
  static Result<ReplicationStream> Start(Connection& conn, const StartReplicationOptions& options);

  /// The next message. Waits at most `timeout_ms` per read (-1: no limit, 0: only what has
  /// arrived) and returns StreamIdle when a wait ends without a whole message. Keepalives are
  /// returned, not answered: the caller owns the positions it reports (SendStatus).
  Result<ReplicationEvent> Next(int timeout_ms);
  /// Send a standby status update.
  Status SendStatus(const StandbyStatus& status);
  /// Send CopyDone and read until the server is ready for commands again.
  Status End();

  /// The highest WAL end the server reported (XLogData or keepalive).
  Lsn server_wal_end() const { return server_wal_end_; }

 private:
  explicit ReplicationStream(Connection* conn) : conn_(conn) {}

  Connection* conn_;
  Lsn server_wal_end_;
  ByteBuffer status_buffer_;
};

}  // namespace rapidbyte::pgwire
