// What a cdc stream needs on the source server before it reads (SPEC §14.1): the table's
// replica identity, its publication (created when allowed, never altered when the user named
// one) and the replication slot's state. Each missing prerequisite is a config error whose
// message names the fix. Guest only (runs SQL on a normal connection).
#pragma once

#include <string>

#include "base/result.h"
#include "connectors/postgres/common/identifiers.h"
#include "pgwire/connection.h"
#include "protocol/json.h"

namespace rapidbyte::pgsource {

/// The stream's `cdc` block of the StreamContext (names resolved by the engine).
struct CdcSettings {
  std::string slot;
  std::string publication;
  bool create = true;  ///< create the publication when it is missing
  bool follow = false; ///< `run --follow`: keep streaming until asked to stop
};

/// The comment rapidbyte puts on a publication it creates: `state reset` drops only those.
inline constexpr std::string_view kPublicationComment = "created by rapidbyte";

/// The table must have a replica identity (primary key, an index or FULL) so updates and
/// deletes can be replicated: REPLICA_IDENTITY_MISSING otherwise, with the ALTER TABLE fix.
Status CheckReplicaIdentity(pgwire::Connection* conn, const pgconn::QualifiedName& table);

/// Make sure `settings.publication` exists and publishes `table`: create it (FOR TABLE,
/// insert/update/delete/truncate, with kPublicationComment) when missing and allowed;
/// PUBLICATION_MISSING when not allowed, PUBLICATION_MISMATCH when an existing one does not
/// publish the table.
Status EnsurePublication(pgwire::Connection* conn, const CdcSettings& settings,
                         const pgconn::QualifiedName& table);

struct SlotState {
  bool exists = false;
  bool active = false;     ///< another connection streams from it
  std::string wal_status;  ///< reserved, extended, unreserved, lost ("" before PostgreSQL 13)
  std::string plugin;
  std::string database;
};
Result<SlotState> LookupSlot(pgwire::Connection* conn, const std::string& slot);

/// SLOT_IN_USE (transient_db, retried): another connection streams from `slot`.
Status SlotInUse(const std::string& slot);
/// SLOT_MISSING (config): `stream` has a position but `slot` is gone; names the reset.
Status SlotMissing(const std::string& slot, const std::string& stream);

/// A stored position needs its slot: SLOT_MISSING / WAL_REMOVED (config, with the state reset
/// advice) or SLOT_IN_USE (retryable).
Status CheckSlotForResume(const SlotState& state, const std::string& slot,
                          const std::string& stream);

/// `check` (SPEC §14.1): every prerequisite of streaming `table` with `settings`, each failure
/// naming its fix: wal_level logical, the REPLICATION attribute, a free slot and WAL sender
/// (when the slot is still to be created), the replica identity, the publication.
Status CheckCdcPrerequisites(pgwire::Connection* conn, const CdcSettings& settings,
                             const pgconn::QualifiedName& table);

/// `state reset` of a cdc stream (SPEC §14.4): drop its slot, and its publication when
/// rapidbyte created it (kPublicationComment). Returns what was done, for people.
Result<std::string> DropCdcObjects(pgwire::Connection* conn, const CdcSettings& settings);

/// The `cdc` block of a StreamContext.
Result<CdcSettings> ParseCdcSettings(const protocol::Json& context);

/// A replication error of START_REPLICATION or of the stream, classified for the stream.
Status ClassifyReplicationError(const Status& status, const std::string& slot,
                                const std::string& stream);

}  // namespace rapidbyte::pgsource
