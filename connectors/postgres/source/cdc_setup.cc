// Replica identity, publication and slot checks of a cdc stream.
#include "connectors/postgres/source/cdc_setup.h"

#include "connectors/postgres/common/pg_errors.h"
#include "pgwire/catalog.h"
#include "pgwire/server_error.h"

namespace rapidbyte::pgsource {
namespace {

using pgconn::ErrorCategory;

std::string ResetAdvice(const std::string& stream) {
  return "; `rapidbyte state reset <pipeline.yaml> --stream " + stream +
         "` takes a new snapshot";
}

Result<pgwire::QueryResult> QueryText(pgwire::Connection* conn, std::string_view sql,
                                      std::initializer_list<std::string_view> args) {
  std::vector<pgwire::Param> params;
  for (std::string_view a : args) params.push_back(pgwire::Param::Text(a));
  return conn->Query(sql, params, pgwire::Format::kText);
}

}  // namespace

Status SlotInUse(const std::string& slot) {
  return pgconn::Fail(ErrorCategory::kTransientDb, "SLOT_IN_USE",
                      "replication slot " + slot + " is in use by another connection");
}

Status SlotMissing(const std::string& slot, const std::string& stream) {
  return pgconn::Fail(ErrorCategory::kConfig, "SLOT_MISSING",
                      "replication slot " + slot + " no longer exists" + ResetAdvice(stream));
}

Status CheckReplicaIdentity(pgwire::Connection* conn, const pgconn::QualifiedName& table) {
  RB_ASSIGN_OR_RETURN(
      pgwire::QueryResult r,
      QueryText(conn,
                "SELECT c.relreplident::text, EXISTS (SELECT 1 FROM pg_catalog.pg_index i "
                "WHERE i.indrelid = c.oid AND i.indisprimary)::text FROM pg_catalog.pg_class c "
                "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = $1 AND c.relname = $2",
                {table.schema, table.relation}));
  if (r.rows.size() != 1 || r.rows[0].size() != 2 || !r.rows[0][0] || !r.rows[0][1]) {
    return pgconn::Fail(ErrorCategory::kConfig, "TABLE_NOT_FOUND",
                        "table " + table.Display() + " does not exist");
  }
  const std::string identity = *r.rows[0][0];
  const bool has_key = *r.rows[0][1] == "true";
  if (identity == "n" || (identity == "d" && !has_key)) {
    return pgconn::Fail(ErrorCategory::kConfig, "REPLICA_IDENTITY_MISSING",
                        "table " + table.Display() +
                            " has no replica identity, so its updates and deletes cannot be "
                            "replicated; add a primary key, or run `ALTER TABLE " +
                            table.Quoted() + " REPLICA IDENTITY FULL`");
  }
  return Status::OK();
}

// Whether the publication exists and publishes `table`: true; false when it is missing and
// may be created; PUBLICATION_MISSING (may not) or PUBLICATION_MISMATCH otherwise.
Result<bool> PublicationReady(pgwire::Connection* conn, const CdcSettings& settings,
                              const pgconn::QualifiedName& table) {
  RB_ASSIGN_OR_RETURN(
      pgwire::QueryResult found,
      QueryText(conn, "SELECT p.oid FROM pg_catalog.pg_publication p WHERE p.pubname = $1",
                {settings.publication}));
  const std::string pub = pgwire::QuoteIdent(settings.publication);
  if (found.rows.empty()) {
    if (settings.create) return false;
    return pgconn::Fail(ErrorCategory::kConfig, "PUBLICATION_MISSING",
                        "publication '" + settings.publication + "' does not exist and "
                        "cdc.create is false; create it with `CREATE PUBLICATION " + pub +
                        " FOR TABLE " + table.Quoted() + "`, or set cdc.create: true");
  }
  RB_ASSIGN_OR_RETURN(
      pgwire::QueryResult published,
      QueryText(conn,
                "SELECT 1 FROM pg_catalog.pg_publication_tables WHERE pubname = $1 AND "
                "schemaname = $2 AND tablename = $3",
                {settings.publication, table.schema, table.relation}));
  if (published.rows.empty()) {
    return pgconn::Fail(ErrorCategory::kConfig, "PUBLICATION_MISMATCH",
                        "publication '" + settings.publication + "' does not publish " +
                            table.Display() + "; add it with `ALTER PUBLICATION " + pub +
                            " ADD TABLE " + table.Quoted() + "` (rapidbyte never alters a "
                            "publication it did not create)");
  }
  return true;
}

Status EnsurePublication(pgwire::Connection* conn, const CdcSettings& settings,
                         const pgconn::QualifiedName& table) {
  RB_ASSIGN_OR_RETURN(const bool ready, PublicationReady(conn, settings, table));
  if (ready) return Status::OK();
  const std::string pub = pgwire::QuoteIdent(settings.publication);
  RB_RETURN_NOT_OK(conn->Execute("CREATE PUBLICATION " + pub + " FOR TABLE " + table.Quoted() +
                                 " WITH (publish = 'insert, update, delete, truncate')"));
  return conn->Execute("COMMENT ON PUBLICATION " + pub + " IS '" +
                       std::string(kPublicationComment) + "'");
}

Result<SlotState> LookupSlot(pgwire::Connection* conn, const std::string& slot) {
  RB_ASSIGN_OR_RETURN(
      pgwire::QueryResult r,
      QueryText(conn,
                "SELECT active::text, coalesce(wal_status, ''), coalesce(plugin, ''), "
                "coalesce(database, '') FROM pg_catalog.pg_replication_slots "
                "WHERE slot_name = $1",
                {slot}));
  SlotState state;
  if (r.rows.empty()) return state;
  if (r.rows[0].size() != 4) return Status::DataLoss("unexpected pg_replication_slots row");
  state.exists = true;
  state.active = r.rows[0][0].value_or("") == "true";
  state.wal_status = r.rows[0][1].value_or("");
  state.plugin = r.rows[0][2].value_or("");
  state.database = r.rows[0][3].value_or("");
  return state;
}

Status CheckSlotForResume(const SlotState& state, const std::string& slot,
                          const std::string& stream) {
  if (!state.exists) {
    return SlotMissing(slot, stream);
  }
  if (state.wal_status == "lost") {
    return pgconn::Fail(ErrorCategory::kConfig, "WAL_REMOVED",
                        "replication slot " + slot + " lost the WAL it needs (wal_status lost)" +
                            ResetAdvice(stream));
  }
  if (state.active) {
    return SlotInUse(slot);
  }
  return Status::OK();
}

Status ClassifyReplicationError(const Status& status, const std::string& slot,
                                const std::string& stream) {
  const pgwire::ServerError* error = pgwire::GetServerError(status);
  if (error == nullptr) return status;
  if (error->sqlstate() == "42704") {
    return SlotMissing(slot, stream);
  }
  if (error->sqlstate() == "55006") {
    return SlotInUse(slot);
  }
  if (error->message().find("has already been removed") != std::string::npos) {
    return pgconn::Fail(ErrorCategory::kConfig, "WAL_REMOVED",
                        "the WAL replication slot " + slot + " needs was removed (" +
                            error->message() + ")" + ResetAdvice(stream));
  }
  return status;
}

Status CheckCdcPrerequisites(pgwire::Connection* conn, const CdcSettings& settings,
                             const pgconn::QualifiedName& table) {
  RB_ASSIGN_OR_RETURN(
      pgwire::QueryResult r,
      conn->SimpleQuery(
          "SELECT current_setting('wal_level'), (SELECT rolreplication OR rolsuper FROM "
          "pg_catalog.pg_roles WHERE rolname = current_user)::text, "
          "current_setting('max_replication_slots')::int - (SELECT count(*) FROM "
          "pg_catalog.pg_replication_slots), current_setting('max_wal_senders')::int - "
          "(SELECT count(*) FROM pg_catalog.pg_stat_replication), current_user"));
  if (r.rows.size() != 1 || r.rows[0].size() != 5) {
    return Status::DataLoss("unexpected result of the cdc prerequisite query");
  }
  const auto& row = r.rows[0];
  if (row[0].value_or("") != "logical") {
    return pgconn::Fail(ErrorCategory::kConfig, "WAL_LEVEL_NOT_LOGICAL",
                        "wal_level is '" + row[0].value_or("") + "'; cdc needs 'logical': run "
                        "`ALTER SYSTEM SET wal_level = logical` and restart the server");
  }
  if (row[1].value_or("") != "true") {
    const std::string user = row[4].value_or("");
    return pgconn::Fail(ErrorCategory::kPermission, "REPLICATION_NOT_ALLOWED",
                        "user '" + user + "' lacks the REPLICATION attribute; run `ALTER ROLE " +
                            pgwire::QuoteIdent(user) + " REPLICATION`");
  }
  RB_ASSIGN_OR_RETURN(SlotState slot, LookupSlot(conn, settings.slot));
  if (!slot.exists && std::stoll(row[2].value_or("0")) <= 0) {
    return pgconn::Fail(ErrorCategory::kConfig, "NO_FREE_SLOT",
                        "every replication slot is taken (max_replication_slots); drop an unused "
                        "one with `SELECT pg_drop_replication_slot('name')` or raise the setting");
  }
  if (std::stoll(row[3].value_or("0")) <= 0) {
    return pgconn::Fail(ErrorCategory::kConfig, "NO_FREE_WAL_SENDER",
                        "every WAL sender is busy (max_wal_senders); raise the setting and "
                        "restart the server");
  }
  RB_RETURN_NOT_OK(CheckReplicaIdentity(conn, table));
  return PublicationReady(conn, settings, table).status();
}

Result<std::string> DropCdcObjects(pgwire::Connection* conn, const CdcSettings& settings) {
  std::string done;
  RB_ASSIGN_OR_RETURN(SlotState slot, LookupSlot(conn, settings.slot));
  if (slot.exists) {
    if (slot.active) {
      return pgconn::Fail(ErrorCategory::kTransientDb, "SLOT_IN_USE",
                          "replication slot " + settings.slot +
                              " is in use (is a run still going?); stop it and reset again");
    }
    RB_RETURN_NOT_OK(QueryText(conn, "SELECT pg_catalog.pg_drop_replication_slot($1)",
                               {settings.slot}).status());
    done = "dropped replication slot " + settings.slot;
  } else {
    done = "replication slot " + settings.slot + " did not exist";
  }
  RB_ASSIGN_OR_RETURN(
      pgwire::QueryResult pub,
      QueryText(conn,
                "SELECT coalesce(pg_catalog.obj_description(oid, 'pg_publication'), '') FROM "
                "pg_catalog.pg_publication WHERE pubname = $1",
                {settings.publication}));
  if (!pub.rows.empty() && pub.rows[0].size() == 1 &&
      pub.rows[0][0].value_or("") == kPublicationComment) {
    RB_RETURN_NOT_OK(conn->Execute("DROP PUBLICATION " + pgwire::QuoteIdent(settings.publication)));
    done += "; dropped publication " + settings.publication;
  } else if (!pub.rows.empty()) {
    done += "; kept publication " + settings.publication + " (not created by rapidbyte)";
  }
  return done;
}

Result<CdcSettings> ParseCdcSettings(const protocol::Json& context) {
  CdcSettings s;
  const protocol::Json* cdc = protocol::GetMember(context, "cdc");
  if (cdc == nullptr || !cdc->is_object() || !protocol::GetString(*cdc, "slot", &s.slot) ||
      !protocol::GetString(*cdc, "publication", &s.publication) || s.slot.empty() ||
      s.publication.empty()) {
    return pgconn::Fail(ErrorCategory::kConfig, "INVALID_CONFIG",
                        "cdc: the stream context needs cdc.slot and cdc.publication");
  }
  if (const protocol::Json* v = protocol::GetMember(*cdc, "create"); v && v->is_boolean()) {
    s.create = v->get<bool>();
  }
  if (const protocol::Json* v = protocol::GetMember(*cdc, "follow"); v && v->is_boolean()) {
    s.follow = v->get<bool>();
  }
  return s;
}

}  // namespace rapidbyte::pgsource
