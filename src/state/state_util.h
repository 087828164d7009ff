// Small helpers shared by both state backends: timestamps, UUIDs, the lock keys of SPEC §6.3,
// the "already running" message and the identity (host, pid, version) stored with a run.
// [host]
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "state/state_backend.h"

namespace rapidbyte::state {

/// The error message stored on runs found `running` when the lock is taken (SPEC §6.2).
inline constexpr std::string_view kInterruptedMessage =
    "process ended without finishing (killed or crashed)";

/// Now in UTC, ISO-8601 with milliseconds: "2026-03-01T10:00:00.123Z". Run rows store
/// it, and `state show` computes durations from it: whole seconds made a 0.74 s run 0 s.
std::string NowIso8601();

/// A random (version 4) UUID in its canonical lowercase text form.
Result<std::string> NewUuid();

/// First 16 hex digits of SHA-256(pipeline): the SQLite lock file's stem.
std::string LockFileStem(std::string_view pipeline);

/// First 8 bytes of SHA-256("rapidbyte:" + pipeline) as a signed big-endian integer: the
/// PostgreSQL advisory lock key.
std::int64_t AdvisoryLockKey(std::string_view pipeline);

/// The FailedPrecondition of SPEC §6.3; the run details come from `running` (the newest
/// running run row) and are omitted when there is none.
Status AlreadyRunningError(std::string_view pipeline, const std::optional<RunRecord>& running);

/// FailedPrecondition for a database whose schema is newer than kSchemaVersion.
Status NewerSchemaError(int found_version);

/// This machine's host name ("unknown" when it cannot be read).
std::string HostName();

/// The rapidbyte version stored with each run.
std::string_view RapidbyteVersion();

Result<StreamStatus> ParseStreamStatus(std::string_view text);
Result<Scope> ParseScope(std::string_view text);

}  // namespace rapidbyte::state
