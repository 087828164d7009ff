// The typed pipeline model (SPEC §2.3), with every default applied. Built only by the
// loader (loader.h) from a file that passed validation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/value.h"

namespace rapidbyte::config {

enum class SyncMode { kFullRefresh, kIncremental, kCdc };
enum class WriteMode { kAppend, kReplace, kUpsert };
enum class DataErrorPolicy { kFail, kSkip, kDlq };
enum class NewColumnPolicy { kAdd, kIgnore, kFail };
enum class RemovedColumnPolicy { kIgnore, kFail };
enum class TypeChangePolicy { kCoerce, kFail, kNull };
enum class NullabilityPolicy { kAllow, kFail };
enum class StateBackendKind { kSqlite, kPostgres };
enum class Compression { kNone, kLz4, kZstd };

/// `rb_<pipeline>_<schema>_<table>` lower-cased, every byte outside [a-z0-9_] replaced by
/// `_`, and when longer than 63 bytes cut to 54 plus `_` and 8 hex digits of a hash of the
/// whole name (SPEC §14.1): the default slot and publication name of a cdc stream.
std::string DefaultCdcName(std::string_view pipeline, std::string_view schema,
                           std::string_view table);

std::string_view Name(SyncMode v);
std::string_view Name(WriteMode v);
std::string_view Name(DataErrorPolicy v);
std::string_view Name(NewColumnPolicy v);
std::string_view Name(RemovedColumnPolicy v);
std::string_view Name(TypeChangePolicy v);
std::string_view Name(NullabilityPolicy v);
std::string_view Name(StateBackendKind v);
/// "none", "lz4" or "zstd".
std::string_view Name(Compression v);

/// A parsed `use:` value: `[org/]name[@version]`.
struct ConnectorRef {
  std::string org;      // empty when not given
  std::string name;
  std::string version;  // empty when not given; a leading 'v' is dropped
  std::string text;     // as written
};

/// A cdc stream's replication slot and publication (SPEC §14.1). Unnamed ones get
/// DefaultCdcName; a publication the user named is never altered or dropped.
struct CdcSpec {
  std::string slot;
  std::string publication;
  bool slot_named = false;         // given in the file
  bool publication_named = false;  // given in the file
  bool create = true;              // false: both must exist
};

struct StreamSpec {
  std::string path;    // "source.streams[i]", for messages
  std::string name;    // as written in the file
  std::string schema;  // the schema part, or the source config's `schema` (default public)
  std::string table;   // the relation part; also the destination table name
  SyncMode sync_mode = SyncMode::kFullRefresh;
  std::optional<std::string> cursor_field;  // set only for incremental streams
  std::optional<std::vector<std::string>> columns;
  std::optional<std::vector<std::string>> primary_key;
  /// A pattern stream (`public.*`, `sales.order_*`): `table` is a glob (`*` any run of
  /// characters, `?` one character) over the relations of `schema`, expanded from the
  /// source's catalog before a run (stream_patterns.h); its settings apply to every match.
  bool pattern = false;
  /// Names or globs a pattern leaves out: `table` (in the pattern's schema) or `schema.table`.
  std::vector<std::string> exclude;
  /// Set for sync_mode cdc (names filled in by the loader and by pattern expansion).
  std::optional<CdcSpec> cdc;

  /// "schema.table".
  std::string QualifiedName() const { return schema + "." + table; }
};

struct SourceSpec {
  ConnectorRef use;
  Value config = Value::Map();
  std::vector<StreamSpec> streams;
};

struct TransformSpec {
  ConnectorRef use;
  Value config = Value::Map();
};

struct SchemaEvolution {
  NewColumnPolicy new_column = NewColumnPolicy::kAdd;
  RemovedColumnPolicy removed_column = RemovedColumnPolicy::kIgnore;
  TypeChangePolicy type_change = TypeChangePolicy::kFail;
  NullabilityPolicy nullability_change = NullabilityPolicy::kAllow;
};

struct DestinationSpec {
  ConnectorRef use;
  Value config = Value::Map();
  WriteMode write_mode = WriteMode::kAppend;
  std::vector<std::string> primary_key;
  DataErrorPolicy on_data_error = DataErrorPolicy::kFail;
  SchemaEvolution schema_evolution;
};

struct StateSpec {
  StateBackendKind backend = StateBackendKind::kSqlite;
  /// sqlite: a file path with `~` expanded; postgres: a postgres:// URL.
  std::string connection;
  std::string schema = "rapidbyte";
};

inline constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;

struct ResourcesSpec {
  std::uint64_t max_memory = 256 * kMiB;
  std::uint64_t max_batch_bytes = 4 * kMiB;
  std::uint64_t max_record_bytes = 16 * kMiB;
  std::int64_t max_inflight_batches = 4;
  std::int64_t parallelism = 1;
  std::uint64_t checkpoint_interval_bytes = 64 * kMiB;
  std::int64_t checkpoint_interval_rows = 0;
  std::int64_t checkpoint_interval_seconds = 0;
  std::int64_t max_retries = 3;
  Compression compression = Compression::kNone;
  std::int64_t timeout_seconds = 0;
  std::int64_t cancel_grace_seconds = 10;
};

struct Pipeline {
  std::string file;     // the path it was loaded from
  std::string version;  // "1.0"
  std::string name;     // `pipeline:`
  SourceSpec source;
  std::vector<TransformSpec> transforms;
  std::optional<DestinationSpec> destination;
  StateSpec state;
  ResourcesSpec resources;
  /// Values that must never be printed: values of secret-named connector config keys and
  /// URL passwords (SPEC §10.4; a value from the environment is not secret for that alone).
  /// x-secret values join them once the connectors are resolved. Used by the redactor.
  std::vector<std::string> secrets;
  /// Non-fatal remarks found while loading ("cursor_field ignored ...").
  std::vector<std::string> warnings;
};

}  // namespace rapidbyte::config
