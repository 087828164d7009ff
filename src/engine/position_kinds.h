// The position kinds (SPEC §13.2), one file each; only position.cc picks among them.
#pragma once

#include <memory>
#include <string>

#include "engine/position.h"

namespace rapidbyte::engine {

/// `none`: full refresh. Nothing is stored, requested or committed; every run starts over.
std::unique_ptr<PositionKind> MakeNonePositionKind();

/// `cursor` (SPEC §7.3): the last delivered value of `cursor_field`, its CursorValue type
/// and the boundary (key hashes of rows delivered with that value). `cursor_field` is the
/// configured field ("" when reading rows without a configuration, for `state show`).
std::unique_ptr<PositionKind> MakeCursorPositionKind(std::string cursor_field);

/// `lsn` (SPEC §14.4): a cdc stream's place in the source's WAL, {"lsn", "tx"}.
std::unique_ptr<PositionKind> MakeLsnPositionKind();

}  // namespace rapidbyte::engine
