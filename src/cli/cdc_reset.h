// `state reset` of cdc streams (SPEC §14.4): before the stored positions go, the source drops
// each stream's replication slot (and the publication rapidbyte created), through its own
// rb_validate with `cdc_reset` in the stream's context, so the engine never talks to the
// source database itself.
#pragma once

#include <optional>
#include <string>

namespace rapidbyte::cli {

/// For every cdc stream of the pipeline at `pipeline_path` (only `target`, a qualified stream
/// name, when given): drop its slot and rapidbyte's publication, printing what was done.
/// False (with the error printed) when a slot could not be dropped: the state is then left
/// as it is. A pipeline without cdc streams does nothing.
bool DropCdcSlots(const std::string& pipeline_path, const std::optional<std::string>& target);

}  // namespace rapidbyte::cli
