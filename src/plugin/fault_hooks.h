// Fault injection for the acceptance tests (SPEC §11, scenarios marked "fault hook"): points
// in the host where a test run can be made to crash, lose a connection or fail on purpose,
// at exactly the moment a test needs and that no outside signal could hit reliably.
//
// Builds with the CMake option RB_FAULT_HOOKS (ON by default, OFF in the `release` preset)
// read RAPIDBYTE_FAULTS_FOR_TEST once, at the first hook reached:
//
//   RAPIDBYTE_FAULTS_FOR_TEST="<point>=<n>[,<point>=<n>...]"
//
// Each point counts the times it is reached in this process and fires once, the n-th time
// (n ≥ 1). Points:
//   kill_before_cursor_persist  the engine raises SIGKILL when a destination checkpoint
//                               arrives (the destination has committed), before the
//                               stream's position is stored                  (§11.21)
//   drop_after_commit           the host closes a destination's connection right after
//                               forwarding a PostgreSQL Query message `COMMIT`: the server
//                               commits, the reply is lost                   (§11.22)
//   fail_dest_checkpoint        the engine refuses a destination checkpoint with
//                               internal/FAULT_INJECTED before storing anything (§11.62)
// A malformed entry is logged at error level and ignored. Without RB_FAULT_HOOKS the
// variable is never read: fault_hooks.cc compiles to stubs that return false.
#pragma once

#include <cstdint>
#include <span>

#include "plugin/host_context.h"

namespace rapidbyte::plugin {

enum class FaultPoint { kKillBeforeCursorPersist, kDropAfterCommit, kFailDestCheckpoint };

/// True exactly when this is the n-th time `point` is reached and the variable names it
/// with n. Thread-safe.
bool FaultHitForTest(FaultPoint point);

/// The drop_after_commit point for a guest write of `data` on a connection of `ctx`: true
/// when `ctx` is a destination, `data` holds a Query message whose text is COMMIT and the
/// point fires. The caller then closes the connection.
bool DropAfterCommitForTest(const HostContext& ctx, std::span<const std::uint8_t> data);

}  // namespace rapidbyte::plugin
