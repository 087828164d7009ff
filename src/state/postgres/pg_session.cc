// PgSession (see pg_session.h).
#include "state/postgres/pg_session.h"

#include <vector>

#include "net/pgwire_stream.h"

namespace rapidbyte::state {
namespace {

constexpr std::uint32_t kInt8Oid = 20;
constexpr std::uint32_t kByteaOid = 17;
constexpr std::uint32_t kTimestamptzOid = 1184;
// A healthy state query takes milliseconds; a dead server must not hang a run forever.
constexpr int kIoTimeoutMs = 120'000;

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// bytea's text output "\x0a1b..." -> the bytes.
Result<std::string> DecodeBytea(const std::string& text) {
  if (text.size() % 2 != 0 || text.compare(0, 2, "\\x") != 0) {
    return Status::DataLoss("state database: unexpected bytea text (bytea_output must be hex)");
  }
  std::string out;
  out.reserve(text.size() / 2 - 1);
  for (std::size_t i = 2; i < text.size(); i += 2) {
    int hi = HexDigit(text[i]);
    int lo = HexDigit(text[i + 1]);
    if (hi < 0 || lo < 0) return Status::DataLoss("state database: invalid hex in bytea text");
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

/// "2026-03-01 10:00:00[.frac]+00" (DateStyle ISO, TimeZone UTC) -> "2026-03-01T10:00:00.000Z",
/// milliseconds as NowIso8601 writes them (the server drops trailing zeros of the fraction).
std::string IsoTimestamp(const std::string& text) {
  if (text.size() < 19 || text[10] != ' ') return text;
  std::string out = text.substr(0, 19);
  out[10] = 'T';
  std::string millis;
  if (text.size() > 20 && text[19] == '.') {
    for (std::size_t i = 20; i < text.size() && millis.size() < 3; ++i) {
      if (text[i] < '0' || text[i] > '9') break;
      millis += text[i];
    }
  }
  millis.resize(3, '0');
  return out + "." + millis + "Z";
}

}  // namespace

std::string QuoteIdentifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

Result<std::unique_ptr<PgSession>> PgSession::Connect(const PgUrl& url,
                                                      const std::string& schema) {
  std::string where = "state database " + url.Redacted();
  int timeout_ms = url.connect_timeout_s * 1000;
  Result<std::unique_ptr<pgwire::ByteStream>> stream =
      net::ConnectPgwireStream(url.host, url.port, timeout_ms);
  if (!stream.ok()) return stream.status().WithContext(where + ": cannot connect");
  pgwire::ConnectOptions options;
  options.user = url.user;
  options.password = url.password;
  options.database = url.database;
  options.sslmode = url.sslmode;
  options.sslrootcert = url.sslrootcert;
  options.server_name = url.host;
  options.connect_timeout_ms = timeout_ms;
  options.io_timeout_ms = kIoTimeoutMs;
  for (auto& [name, value] : options.parameters) {
    if (name == "application_name") value = url.application_name;
  }
  Result<std::unique_ptr<pgwire::Connection>> connection =
      pgwire::Connection::Connect(stream.MoveValueUnsafe(), std::move(options));
  if (!connection.ok()) return connection.status().WithContext(where + ": cannot connect");
  return std::unique_ptr<PgSession>(
      new PgSession(connection.MoveValueUnsafe(), QuoteIdentifier(schema) + ".", where));
}

std::string PgSession::Expand(std::string_view sql) const {
  std::string out;
  out.reserve(sql.size() + 32);
  for (std::size_t i = 0; i < sql.size(); ++i) {
    if (sql.compare(i, 3, "$S.") == 0) {
      out += schema_prefix_;
      i += 2;
      continue;
    }
    out += sql[i];
  }
  return out;
}

Result<SqlResult> PgSession::Run(std::string_view sql, std::span<const SqlParam> params) {
  std::vector<std::string> integers;  // keeps the decimal texts alive for the call
  integers.reserve(params.size());
  std::vector<pgwire::Param> wire;
  wire.reserve(params.size());
  for (const SqlParam& p : params) {
    switch (p.kind) {
      case SqlParam::Kind::kNull:
        wire.push_back(pgwire::Param::Null());
        break;
      case SqlParam::Kind::kInt:
        integers.push_back(std::to_string(p.integer));
        wire.push_back(pgwire::Param::Text(integers.back(), kInt8Oid));
        break;
      case SqlParam::Kind::kText:
        // Type 0: the server infers it (text, or timestamptz for timestamp columns).
        wire.push_back(pgwire::Param::Text(p.text));
        break;
      case SqlParam::Kind::kBlob:
        wire.push_back(pgwire::Param::Binary(
            pgwire::Bytes(reinterpret_cast<const std::uint8_t*>(p.text.data()), p.text.size()),
            kByteaOid));
        break;
    }
  }
  Result<pgwire::QueryResult> query =
      connection_->Query(Expand(sql), wire, pgwire::Format::kText);
  if (!query.ok()) return query.status().WithContext(where_);
  SqlResult result;
  result.affected = static_cast<std::int64_t>(query->RowsAffected());
  for (pgwire::QueryResult::Row& row : query->rows) {
    for (std::size_t c = 0; c < row.size() && c < query->fields.size(); ++c) {
      if (!row[c]) continue;
      std::uint32_t oid = query->fields[c].type_oid;
      if (oid == kByteaOid) {
        RB_ASSIGN_OR_RETURN(*row[c], DecodeBytea(*row[c]));
      } else if (oid == kTimestamptzOid) {
        *row[c] = IsoTimestamp(*row[c]);
      }
    }
    result.rows.push_back(std::move(row));
  }
  return result;
}

Status PgSession::RunScript(std::string_view sql) {
  return connection_->Execute(Expand(sql)).WithContext(where_);
}

Status PgSession::Begin() { return RunScript("BEGIN"); }
Status PgSession::Commit() { return RunScript("COMMIT"); }
void PgSession::Rollback() {
  if (connection_->usable()) connection_->Execute("ROLLBACK").IgnoreError();
}

}  // namespace rapidbyte::state
