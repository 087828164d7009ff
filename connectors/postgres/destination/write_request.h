// WriteRequest: what dest-postgres reads from a StreamContext (SPEC §4.10): the SDK's parsed
// identity, write mode, key and on_data_error, plus the destination's own schema evolution
// policy (§8.6; defaults of §2.3 when absent). Portable.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sdk/outcome.h"
#include "sdk/stream_context.h"

namespace rapidbyte::pgdest {

using sdk::DataErrorPolicy;
using sdk::SyncMode;
using sdk::WriteMode;
using sdk::WriteModeName;

/// destination.schema_evolution (SPEC §8.6).
struct EvolutionPolicy {
  enum class NewColumn { kAdd, kIgnore, kFail } new_column = NewColumn::kAdd;
  enum class RemovedColumn { kIgnore, kFail } removed_column = RemovedColumn::kIgnore;
  enum class TypeChange { kCoerce, kFail, kNull } type_change = TypeChange::kFail;
  enum class Nullability { kAllow, kFail } nullability_change = Nullability::kAllow;
};

struct WriteRequest {
  std::string pipeline;
  std::int64_t run_id = 0;
  std::string stream_name;
  WriteMode write_mode = WriteMode::kAppend;
  std::vector<std::string> primary_key;  ///< the upsert key
  DataErrorPolicy on_data_error = DataErrorPolicy::kFail;
  EvolutionPolicy evolution;
  /// sync_mode cdc: frames are changes (cdc_frame.h); upsert mirrors, append logs them.
  bool cdc = false;
  /// The config's soft_delete (not part of the context; set by the caller): the cdc mirror
  /// keeps deleted rows with _rb_deleted_at.
  bool soft_delete = false;
};

/// The context's fields plus policies.schema_evolution; an unknown spelling there is a
/// config error naming the field, and so is write_mode replace for a cdc stream.
sdk::Outcome<WriteRequest> MakeWriteRequest(const sdk::StreamContext& context);

}  // namespace rapidbyte::pgdest
