// Replication commands (simple queries on a replication connection), the CopyData payloads of
// the streaming replication protocol, and ReplicationStream over Connection's CopyBoth mode.
#include "pgwire/replication.h"

#include <algorithm>
#include <charconv>
#include <utility>

namespace rapidbyte::pgwire {
namespace {

constexpr std::size_t kMaxNameBytes = 63;  // NAMEDATALEN - 1

// PostgreSQL's ReplicationSlotValidateName rule, also applied to plugin names so both can be
// written into a command without quoting.
Status CheckSimpleName(std::string_view name, const char* what) {
  bool ok = !name.empty() && name.size() <= kMaxNameBytes;
  for (char c : name) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  if (ok) return Status::OK();
  return Status::InvalidArgument(std::string(what) + " '" + std::string(name) +
                                 "' must be 1-63 characters of lower-case letters, digits and _");
}

// The value of `column` in the single row of a replication command's result ("" for NULL).
Result<std::string> Cell(const QueryResult& result, std::string_view column,
                         std::string_view command) {
  if (result.rows.size() != 1) {
    return ProtocolError(std::string(command) + " returned " + std::to_string(result.rows.size()) +
                         " rows instead of 1");
  }
  for (std::size_t i = 0; i < result.fields.size() && i < result.rows[0].size(); ++i) {
    if (result.fields[i].name == column) return result.rows[0][i].value_or(std::string());
  }
  return ProtocolError(std::string(command) + " returned no column " + std::string(column));
}

Result<Lsn> LsnCell(const QueryResult& result, std::string_view column, std::string_view command) {
  RB_ASSIGN_OR_RETURN(std::string text, Cell(result, column, command));
  auto lsn = Lsn::Parse(text);
  if (!lsn.ok()) return ProtocolError(std::string(command) + ": " + lsn.status().message());
  return lsn;
}

// `text` between `quote` characters, each `quote` inside doubled: a double-quoted identifier
// (SplitIdentifierString's syntax for publication_names) or a replication-grammar string
// literal (where '' is the only escape).
std::string Quote(std::string_view text, char quote) {
  std::string out(1, quote);
  for (char c : text) {
    if (c == quote) out.push_back(quote);
    out.push_back(c);
  }
  out.push_back(quote);
  return out;
}

Result<std::string> PublicationList(const std::vector<std::string>& publications) {
  if (publications.empty()) return Status::InvalidArgument("START_REPLICATION needs a publication");
  std::string list;
  for (const std::string& name : publications) {
    if (name.empty() || name.find('\0') != std::string::npos) {
      return Status::InvalidArgument("publication names must be non-empty and without NUL");
    }
    if (!list.empty()) list.push_back(',');
    list += Quote(name, '"');
  }
  return list;
}

Result<ReplicationEvent> ParseXLogData(WireReader& r) {
  XLogData x;
  RB_ASSIGN_OR_RETURN(std::int64_t start, r.I64("XLogData start"));
  RB_ASSIGN_OR_RETURN(std::int64_t end, r.I64("XLogData end"));
  RB_ASSIGN_OR_RETURN(x.send_time, r.I64("XLogData send time"));
  x.wal_start = Lsn(static_cast<std::uint64_t>(start));
  x.wal_end = Lsn(static_cast<std::uint64_t>(end));
  x.payload = r.Rest();
  return ReplicationEvent(x);
}

Result<ReplicationEvent> ParseKeepalive(WireReader& r) {
  PrimaryKeepalive k;
  RB_ASSIGN_OR_RETURN(std::int64_t end, r.I64("keepalive WAL end"));
  RB_ASSIGN_OR_RETURN(k.send_time, r.I64("keepalive send time"));
  RB_ASSIGN_OR_RETURN(std::uint8_t reply, r.U8("keepalive reply flag"));
  RB_RETURN_NOT_OK(r.ExpectEnd("primary keepalive"));
  k.wal_end = Lsn(static_cast<std::uint64_t>(end));
  k.reply_requested = reply != 0;
  return ReplicationEvent(k);
}

}  // namespace

int ServerMajorVersion(const Connection& conn) {
  const std::optional<std::string> version = conn.parameter("server_version");
  if (!version) return 0;
  int major = 0;
  const char* begin = version->data();
  const auto [end, ec] = std::from_chars(begin, begin + version->size(), major);
  return ec == std::errc() && end != begin ? major : 0;
}

Result<SystemIdentity> IdentifySystem(Connection& conn) {
  constexpr std::string_view kCommand = "IDENTIFY_SYSTEM";
  RB_ASSIGN_OR_RETURN(QueryResult result, conn.SimpleQuery(kCommand));
  SystemIdentity id;
  RB_ASSIGN_OR_RETURN(id.system_id, Cell(result, "systemid", kCommand));
  RB_ASSIGN_OR_RETURN(std::string timeline, Cell(result, "timeline", kCommand));
  const auto [end, ec] =
      std::from_chars(timeline.data(), timeline.data() + timeline.size(), id.timeline);
  if (ec != std::errc() || end != timeline.data() + timeline.size()) {
    return ProtocolError("IDENTIFY_SYSTEM returned timeline '" + timeline + "'");
  }
  RB_ASSIGN_OR_RETURN(id.xlog_pos, LsnCell(result, "xlogpos", kCommand));
  RB_ASSIGN_OR_RETURN(id.dbname, Cell(result, "dbname", kCommand));
  return id;
}

Result<CreatedSlot> CreateReplicationSlot(Connection& conn, std::string_view slot,
                                          const CreateSlotOptions& options) {
  RB_RETURN_NOT_OK(CheckSimpleName(slot, "replication slot name"));
  RB_RETURN_NOT_OK(CheckSimpleName(options.output_plugin, "output plugin name"));
  std::string command = "CREATE_REPLICATION_SLOT " + std::string(slot);
  if (options.temporary) command += " TEMPORARY";
  command += " LOGICAL " + options.output_plugin;
  if (ServerMajorVersion(conn) >= 15) {
    command += options.export_snapshot ? " (SNAPSHOT 'export')" : " (SNAPSHOT 'nothing')";
  } else {
    command += options.export_snapshot ? " EXPORT_SNAPSHOT" : " NOEXPORT_SNAPSHOT";
  }
  constexpr std::string_view kCommand = "CREATE_REPLICATION_SLOT";
  RB_ASSIGN_OR_RETURN(QueryResult result, conn.SimpleQuery(command));
  CreatedSlot created;
  RB_ASSIGN_OR_RETURN(created.slot_name, Cell(result, "slot_name", kCommand));
  RB_ASSIGN_OR_RETURN(created.consistent_point, LsnCell(result, "consistent_point", kCommand));
  RB_ASSIGN_OR_RETURN(created.snapshot_name, Cell(result, "snapshot_name", kCommand));
  RB_ASSIGN_OR_RETURN(created.output_plugin, Cell(result, "output_plugin", kCommand));
  return created;
}

Status DropReplicationSlot(Connection& conn, std::string_view slot, bool wait) {
  RB_RETURN_NOT_OK(CheckSimpleName(slot, "replication slot name"));
  return conn.Execute("DROP_REPLICATION_SLOT " + std::string(slot) + (wait ? " WAIT" : ""));
}

Result<std::string> StartReplicationCommand(const StartReplicationOptions& options) {
  RB_RETURN_NOT_OK(CheckSimpleName(options.slot, "replication slot name"));
  RB_ASSIGN_OR_RETURN(std::string publications, PublicationList(options.publications));
  std::string command = "START_REPLICATION SLOT " + options.slot + " LOGICAL " +
                        options.start.ToString() + " (proto_version '1', publication_names " +
                        Quote(publications, '\'');
  if (options.binary) command += ", binary 'true'";
  if (options.messages) command += ", messages 'true'";
  command += ")";
  return command;
}

Result<ReplicationEvent> ParseReplicationMessage(Bytes copy_data) {
  WireReader r(copy_data);
  RB_ASSIGN_OR_RETURN(std::uint8_t type, r.U8("replication message type"));
  if (type == 'w') return ParseXLogData(r);
  if (type == 'k') return ParseKeepalive(r);
  return ProtocolError("unknown replication message type " + std::to_string(type));
}

void EncodeStandbyStatusUpdate(const StandbyStatus& status, ByteBuffer* out) {
  WireWriter w(out);
  w.PutU8('r');
  for (Lsn lsn : {status.written, status.flushed, status.applied}) {
    w.PutU32(static_cast<std::uint32_t>(lsn.value() >> 32));
    w.PutU32(static_cast<std::uint32_t>(lsn.value()));
  }
  const auto time = static_cast<std::uint64_t>(status.client_time);
  w.PutU32(static_cast<std::uint32_t>(time >> 32));
  w.PutU32(static_cast<std::uint32_t>(time));
  w.PutU8(status.reply_requested ? 1 : 0);
}

Result<ReplicationStream> ReplicationStream::Start(Connection& conn,
                                                   const StartReplicationOptions& options) {
  RB_ASSIGN_OR_RETURN(std::string command, StartReplicationCommand(options));
  RB_RETURN_NOT_OK(conn.StartCopyBoth(command).status());
  return ReplicationStream(&conn);
}

Result<ReplicationEvent> ReplicationStream::Next(int timeout_ms) {
  Bytes chunk;
  RB_ASSIGN_OR_RETURN(Connection::CopyBothRead read, conn_->ReadCopyBoth(&chunk, timeout_ms));
  if (read == Connection::CopyBothRead::kTimeout) return ReplicationEvent(StreamIdle{});
  if (read == Connection::CopyBothRead::kDone) return ReplicationEvent(StreamEnded{});
  RB_ASSIGN_OR_RETURN(ReplicationEvent event, ParseReplicationMessage(chunk));
  if (const auto* x = std::get_if<XLogData>(&event)) {
    server_wal_end_ = std::max(server_wal_end_, x->wal_end);
  } else if (const auto* k = std::get_if<PrimaryKeepalive>(&event)) {
    server_wal_end_ = std::max(server_wal_end_, k->wal_end);
  }
  return event;
}

Status ReplicationStream::SendStatus(const StandbyStatus& status) {
  status_buffer_.clear();
  EncodeStandbyStatusUpdate(status, &status_buffer_);
  return conn_->SendCopyBothData(status_buffer_);
}

Status ReplicationStream::End() { return conn_->EndCopyBoth(); }

}  // namespace rapidbyte::pgwire
