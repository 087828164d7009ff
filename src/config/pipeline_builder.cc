// Section by section typing of the pipeline document (SPEC §2.3): every key, its type, its
// default and its single-field rules. Cross-field rules live in pipeline_rules.cc.
#include <string>
#include <tuple>
#include <vector>

#include "base/utf8.h"
#include "config/builder_internal.h"
#include "config/byte_size.h"
#include "config/connector_ref.h"
#include "config/field_reader.h"
#include "config/redact.h"
#include "config/scalar.h"
#include "config/stream_patterns.h"

namespace rapidbyte::config::internal {
namespace {

const std::vector<std::string> kTopKeys = {"version",     "pipeline", "source",   "transforms",
                                           "destination", "state",    "resources"};
const std::vector<std::string> kSourceKeys = {"use", "config", "streams"};
const std::vector<std::string> kStreamKeys = {"name",    "sync_mode",   "cursor_field",
                                              "columns", "primary_key", "exclude", "cdc"};
const std::vector<std::string> kCdcKeys = {"slot", "publication", "create"};
const std::vector<std::string> kTransformKeys = {"use", "config"};
const std::vector<std::string> kDestinationKeys = {"use",           "config",
                                                   "write_mode",    "primary_key",
                                                   "on_data_error", "schema_evolution"};
const std::vector<std::string> kEvolutionKeys = {"new_column", "removed_column", "type_change",
                                                 "nullability_change"};
const std::vector<std::string> kStateKeys = {"backend", "connection", "schema"};
const std::vector<std::string> kResourceKeys = {
    "max_memory",          "max_batch_bytes",           "max_record_bytes",
    "max_inflight_batches", "parallelism",              "checkpoint_interval_bytes",
    "checkpoint_interval_rows", "checkpoint_interval_seconds", "max_retries",
    "compression",         "timeout_seconds",           "cancel_grace_seconds"};

const std::vector<std::string> kSyncModes = {"full_refresh", "incremental", "cdc"};
const std::vector<std::string> kWriteModes = {"append", "replace", "upsert"};
const std::vector<std::string> kDataErrorPolicies = {"fail", "skip", "dlq"};

constexpr std::int64_t kNoMax = INT64_MAX;

bool IsPipelineNameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '-' || c == '.';
}

void ReadVersion(FieldReader& top, Pipeline& out, Problems& problems) {
  const auto version = top.String("version", /*required=*/true);
  if (!version) return;
  if (*version != "1.0") {
    const Value* v = top.Get("version");
    problems.Add("version", "unsupported version " + v->Describe() + ", expected '1.0'");
    return;
  }
  out.version = *version;
}

void ReadPipelineName(FieldReader& top, Pipeline& out, Problems& problems) {
  const auto name = top.String("pipeline", /*required=*/true);
  if (!name) return;
  if (name->empty()) {
    problems.Add("pipeline", "must not be empty");
    return;
  }
  const Value* v = top.Get("pipeline");
  if (name->size() > 128) {
    problems.Add("pipeline", "must be at most 128 characters, got " +
                                 std::to_string(name->size()));
    return;
  }
  for (char c : *name) {
    if (!IsPipelineNameChar(c)) {
      problems.Add("pipeline", v->Describe() +
                                   " may contain only letters, digits, '_', '-' and '.'");
      return;
    }
  }
  out.name = *name;
}

std::optional<ConnectorRef> ReadUse(FieldReader& reader, Problems& problems) {
  const auto text = reader.String("use", /*required=*/true);
  if (!text) return std::nullopt;
  auto ref = ParseConnectorRef(*text);
  if (!ref) {
    problems.Add(ChildPath(reader.path(), "use"),
                 reader.Get("use")->Describe() +
                     " is not a connector reference (expected [org/]name[@version])");
  }
  return ref;
}

Value ReadConnectorConfig(FieldReader& reader, Problems& problems) {
  const Value* v = reader.Get("config");
  if (v == nullptr) return Value::Map();
  if (!v->is_map()) {
    problems.Add(ChildPath(reader.path(), "config"), "expected a map, got " + v->DescribeKind());
    return Value::Map();
  }
  // x- keys are ignored anywhere, also inside connector configs.
  Value config = Value::Map(v->mark());
  for (const auto& entry : v->entries()) {
    if (entry.key.rfind("x-", 0) != 0) config.mutable_entries().push_back(entry);
  }
  return config;
}

// Split a stream name into schema and relation; report when it is not `table` or
// `schema.table` with parts of 1-63 bytes of UTF-8 without NUL.
bool SplitStreamName(const Value& v, const std::string& text, const std::string& default_schema,
                     const std::string& path, StreamSpec& stream, Problems& problems) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = text.find('.', start);
    parts.push_back(text.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (parts.size() > 2) {
    problems.Add(path, v.Describe() + " must be 'table' or 'schema.table'");
    return false;
  }
  for (const auto& part : parts) {
    if (part.empty() || part.size() > 63 || part.find('\0') != std::string::npos ||
        !IsValidUtf8(part)) {
      problems.Add(path, v.Describe() +
                             " must be 'table' or 'schema.table' with each part 1-63 bytes of "
                             "UTF-8 without NUL");
      return false;
    }
  }
  if (parts.size() == 2 && IsStreamPattern(parts[0])) {
    problems.Add(path, v.Describe() +
                           " uses a pattern in the schema part; '*' and '?' are allowed only in "
                           "the table part ('schema.prefix_*')");
    return false;
  }
  stream.schema = parts.size() == 2 ? parts[0] : default_schema;
  stream.table = parts.back();
  stream.pattern = IsStreamPattern(stream.table);
  return true;
}

// A replication slot or publication name the user gives: PostgreSQL's rules for an
// unquoted name in replication commands (slots allow only [a-z0-9_]).
bool ValidCdcName(const std::string& name) {
  if (name.empty() || name.size() > 63) return false;
  for (const char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

// `cdc:` of a stream (SPEC §14.1): only with sync_mode cdc; names default to
// DefaultCdcName (filled in here for a plain stream, at expansion for a pattern's matches).
void ReadCdc(FieldReader& r, const std::string& item_path, const std::string& pipeline,
             StreamSpec& stream, Problems& problems) {
  const Value* v = r.Get("cdc");
  if (stream.sync_mode != SyncMode::kCdc) {
    if (v != nullptr) problems.Add(ChildPath(item_path, "cdc"), "only for sync_mode 'cdc'");
    return;
  }
  CdcSpec cdc;
  FieldReader c(v, ChildPath(item_path, "cdc"), kCdcKeys, problems);
  for (auto [key, name, named] : {std::tuple{"slot", &cdc.slot, &cdc.slot_named},
                                  std::tuple{"publication", &cdc.publication, &cdc.publication_named}}) {
    auto text = c.String(key, /*required=*/false);
    if (!text) continue;
    if (!ValidCdcName(*text)) {
      problems.Add(ChildPath(c.path(), key), c.Get(key)->Describe() +
                                                 " must be 1-63 characters of a-z, 0-9 and _");
      continue;
    }
    if (stream.pattern) {
      problems.Add(ChildPath(c.path(), key), "a pattern stream cannot name one " + std::string(key) +
                                                 " for all its tables; leave it out (each table "
                                                 "gets its own) or give the table its own stream");
      continue;
    }
    *name = *text;
    *named = true;
  }
  if (const Value* create = c.Get("create")) {
    const auto b = create->is_scalar() ? ParseCoreBool(create->text()) : std::nullopt;
    if (!b) {
      problems.Add(ChildPath(c.path(), "create"), create->Describe() + " must be true or false");
    } else {
      cdc.create = *b;
    }
  }
  c.ReportUnknownKeys();
  if (!stream.pattern) {
    if (!cdc.slot_named) cdc.slot = DefaultCdcName(pipeline, stream.schema, stream.table);
    if (!cdc.publication_named) cdc.publication = DefaultCdcName(pipeline, stream.schema, stream.table);
  }
  stream.cdc = std::move(cdc);
}

// `exclude:` of a pattern stream: a list of names or globs.
void ReadExclude(FieldReader& r, const std::string& item_path, StreamSpec& stream,
                 Problems& problems) {
  auto exclude = r.StringList("exclude", /*non_empty=*/true, "name or pattern");
  if (!exclude) return;
  if (!stream.pattern) {
    problems.Add(ChildPath(item_path, "exclude"),
                 "only a pattern stream (a name with '*' or '?', e.g. 'public.*') can exclude "
                 "tables");
    return;
  }
  stream.exclude = std::move(*exclude);
}

std::string SourceSchema(const Value& config) {
  const Value* schema = config.Find("schema");
  if (schema != nullptr && schema->is_scalar() && !schema->unresolved() && !schema->text().empty()) {
    return schema->text();
  }
  return "public";
}

void ReadStreams(FieldReader& source, const std::string& default_schema, bool required,
                 Pipeline& out, Problems& problems) {
  const Value* streams = source.Get("streams");
  const std::string path = "source.streams";
  if (streams == nullptr) {
    if (required && !source.Unresolved("streams")) {
      problems.Add(path, "at least one stream is required");
    }
    return;
  }
  if (!streams->is_list()) {
    problems.Add(path, "expected a list of streams, got " + streams->DescribeKind());
    return;
  }
  if (streams->items().empty() && required) {
    problems.Add(path, "at least one stream is required");
    return;
  }
  for (std::size_t i = 0; i < streams->items().size(); ++i) {
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    const Value& item = streams->items()[i];
    FieldReader r(&item, item_path, kStreamKeys, problems);
    StreamSpec stream;
    stream.path = item_path;
    bool ok = true;
    if (auto name = r.String("name", /*required=*/true)) {
      stream.name = *name;
      ok = SplitStreamName(*r.Get("name"), *name, default_schema, ChildPath(item_path, "name"),
                           stream, problems);
    } else {
      ok = false;
    }
    if (auto mode = r.Enum("sync_mode", kSyncModes, 0)) {
      stream.sync_mode = static_cast<SyncMode>(*mode);
    }
    if (auto cursor = r.String("cursor_field", /*required=*/false)) {
      if (cursor->empty()) {
        problems.Add(ChildPath(item_path, "cursor_field"), "must not be empty");
      } else if (stream.sync_mode == SyncMode::kIncremental) {
        stream.cursor_field = *cursor;
      } else {
        problems.Warn(ChildPath(item_path, "cursor_field"),
                      "ignored because sync_mode is '" + std::string(Name(stream.sync_mode)) +
                          "'");
      }
    }
    // A pattern without cursor_field takes each table's suggested cursor at expansion.
    if (stream.sync_mode == SyncMode::kIncremental && !stream.cursor_field && !stream.pattern &&
        !r.Unresolved("cursor_field") && r.Get("cursor_field") == nullptr) {
      problems.Add(ChildPath(item_path, "cursor_field"), "required when sync_mode is 'incremental'");
    }
    stream.columns = r.StringList("columns", /*non_empty=*/true, "column");
    stream.primary_key = r.StringList("primary_key", /*non_empty=*/true, "key column");
    if (ok) ReadExclude(r, item_path, stream, problems);
    if (ok) ReadCdc(r, item_path, out.name, stream, problems);
    r.ReportUnknownKeys();
    // Streams with an unusable name are left out so later rules do not report them twice.
    if (ok) out.source.streams.push_back(std::move(stream));
  }
}

void ReadSource(const Value& root, LoadPurpose purpose, Pipeline& out, Problems& problems) {
  const Value* v = root.Find("source");
  if (v == nullptr || v->is_null()) {
    problems.Add("source", "required");
    return;
  }
  FieldReader r(v, "source", kSourceKeys, problems);
  if (auto use = ReadUse(r, problems)) out.source.use = *use;
  out.source.config = ReadConnectorConfig(r, problems);
  if (purpose == LoadPurpose::kRun || purpose == LoadPurpose::kCheck) {
    ReadStreams(r, SourceSchema(out.source.config), /*required=*/true, out, problems);
    r.ReportUnknownKeys();
  }
}

// Only what names the streams: source.streams and the default schema. `use` and the rest
// of the config are neither read nor checked (their variables need not be set).
void ReadSourceStreams(const Value& root, Pipeline& out, Problems& problems) {
  const Value* v = root.Find("source");
  if (v == nullptr || v->is_null()) {
    problems.Add("source", "required");
    return;
  }
  FieldReader r(v, "source", kSourceKeys, problems);
  const Value* config = r.Get("config");
  ReadStreams(r, config != nullptr && config->is_map() ? SourceSchema(*config) : "public",
              /*required=*/true, out, problems);
}

void ReadTransforms(const Value& root, Pipeline& out, Problems& problems) {
  const Value* v = root.Find("transforms");
  if (v == nullptr || v->is_null()) return;
  if (!v->is_list()) {
    problems.Add("transforms", "expected a list, got " + v->DescribeKind());
    return;
  }
  for (std::size_t i = 0; i < v->items().size(); ++i) {
    FieldReader r(&v->items()[i], "transforms[" + std::to_string(i) + "]", kTransformKeys,
                  problems);
    TransformSpec transform;
    if (auto use = ReadUse(r, problems)) transform.use = *use;
    transform.config = ReadConnectorConfig(r, problems);
    r.ReportUnknownKeys();
    out.transforms.push_back(std::move(transform));
  }
}

void ReadDestination(const Value& root, Pipeline& out, Problems& problems) {
  const Value* v = root.Find("destination");
  if (v == nullptr || v->is_null()) {
    problems.Add("destination", "required");
    return;
  }
  FieldReader r(v, "destination", kDestinationKeys, problems);
  DestinationSpec dest;
  if (auto use = ReadUse(r, problems)) dest.use = *use;
  dest.config = ReadConnectorConfig(r, problems);
  if (auto mode = r.Enum("write_mode", kWriteModes, 0)) {
    dest.write_mode = static_cast<WriteMode>(*mode);
  }
  if (auto key = r.StringList("primary_key", /*non_empty=*/false, "key column")) {
    dest.primary_key = *key;
  }
  if (auto policy = r.Enum("on_data_error", kDataErrorPolicies, 0)) {
    dest.on_data_error = static_cast<DataErrorPolicy>(*policy);
  }
  FieldReader evo(r.Get("schema_evolution"), "destination.schema_evolution", kEvolutionKeys,
                  problems);
  if (auto p = evo.Enum("new_column", {"add", "ignore", "fail"}, 0)) {
    dest.schema_evolution.new_column = static_cast<NewColumnPolicy>(*p);
  }
  if (auto p = evo.Enum("removed_column", {"ignore", "fail"}, 0)) {
    dest.schema_evolution.removed_column = static_cast<RemovedColumnPolicy>(*p);
  }
  if (auto p = evo.Enum("type_change", {"coerce", "fail", "null"}, 1)) {
    dest.schema_evolution.type_change = static_cast<TypeChangePolicy>(*p);
  }
  if (auto p = evo.Enum("nullability_change", {"allow", "fail"}, 0)) {
    dest.schema_evolution.nullability_change = static_cast<NullabilityPolicy>(*p);
  }
  evo.ReportUnknownKeys();
  r.ReportUnknownKeys();
  out.destination = std::move(dest);
}

void ReadState(const Value& root, const EnvLookup& env, Pipeline& out, Problems& problems) {
  FieldReader r(root.Find("state"), "state", kStateKeys, problems);
  if (auto backend = r.Enum("backend", {"sqlite", "postgres"}, 0)) {
    out.state.backend = static_cast<StateBackendKind>(*backend);
  }
  if (auto schema = r.String("schema", /*required=*/false)) {
    if (schema->empty() || schema->size() > 63 || schema->find('\0') != std::string::npos) {
      problems.Add("state.schema", "must be 1-63 bytes without NUL");
    } else {
      out.state.schema = *schema;
    }
  }
  auto connection = r.String("connection", /*required=*/false);
  const Value* conn_value = r.Get("connection");
  const bool unresolved = r.Unresolved("connection");
  if (out.state.backend == StateBackendKind::kPostgres) {
    if (!connection) {
      if (!unresolved) {
        problems.Add("state.connection", "required when backend is 'postgres' (a postgresql:// URL)");
      }
    } else if (connection->rfind("postgres://", 0) != 0 &&
               connection->rfind("postgresql://", 0) != 0) {
      problems.Add("state.connection",
                   (conn_value->from_env() ? conn_value->Describe()
                                           : "'" + RedactUrlPassword(*connection) + "'") +
                       " is not a postgres:// or postgresql:// URL");
    } else {
      out.state.connection = *connection;
    }
  } else if (!unresolved) {
    std::string path = connection.value_or("~/.rapidbyte/state.db");
    if (path.find("://") != std::string::npos) {
      problems.Add("state.connection",
                   "must be a file path for backend 'sqlite', not a URL (set backend: postgres "
                   "for a PostgreSQL state database)");
    } else if (path.empty()) {
      problems.Add("state.connection", "must not be empty");
    } else {
      if (path == "~" || path.rfind("~/", 0) == 0) {
        const auto home = env("HOME");
        if (!home || home->empty()) {
          problems.Add("state.connection", "HOME is not set; set state.connection");
        } else {
          path = *home + path.substr(1);
        }
      }
      out.state.connection = path;
    }
  }
  r.ReportUnknownKeys();
}

void ReadCompression(FieldReader& r, Pipeline& out, Problems& problems) {
  const Value* v = r.Get("compression");
  if (v == nullptr) return;  // absent or null: no compression
  if (!v->is_scalar()) {
    problems.Add("resources.compression", "expected 'lz4', 'zstd' or null, got " + v->DescribeKind());
    return;
  }
  if (v->text() == "lz4") {
    out.resources.compression = Compression::kLz4;
  } else if (v->text() == "zstd") {
    out.resources.compression = Compression::kZstd;
  } else {
    std::string message =
        "Invalid compression codec " + v->Describe() + ". Must be 'lz4' or 'zstd'";
    if (v->text() == "none") message += " (omit the key or set it to null for no compression)";
    problems.Add("resources.compression", message);
  }
}

void ReadResources(const Value& root, Pipeline& out, Problems& problems) {
  FieldReader r(root.Find("resources"), "resources", kResourceKeys, problems);
  ResourcesSpec& res = out.resources;
  constexpr std::uint64_t kKiB = 1024;
  res.max_memory = r.Size("max_memory", res.max_memory, 16 * kMiB).value_or(res.max_memory);
  res.max_batch_bytes =
      r.Size("max_batch_bytes", res.max_batch_bytes, kKiB).value_or(res.max_batch_bytes);
  res.max_record_bytes =
      r.Size("max_record_bytes", res.max_record_bytes, kKiB).value_or(res.max_record_bytes);
  res.max_inflight_batches =
      r.Int("max_inflight_batches", res.max_inflight_batches, 1).value_or(res.max_inflight_batches);
  res.parallelism = r.Int("parallelism", res.parallelism, 1).value_or(res.parallelism);
  res.checkpoint_interval_bytes = r.Size("checkpoint_interval_bytes", res.checkpoint_interval_bytes, 0)
                                      .value_or(res.checkpoint_interval_bytes);
  res.checkpoint_interval_rows = r.Int("checkpoint_interval_rows", 0, 0, kNoMax).value_or(0);
  res.checkpoint_interval_seconds = r.Int("checkpoint_interval_seconds", 0, 0, kNoMax).value_or(0);
  res.max_retries = r.Int("max_retries", res.max_retries, 0, 100).value_or(res.max_retries);
  ReadCompression(r, out, problems);
  res.timeout_seconds = r.Int("timeout_seconds", 0, 0, kNoMax).value_or(0);
  res.cancel_grace_seconds =
      r.Int("cancel_grace_seconds", res.cancel_grace_seconds, 1, 300).value_or(res.cancel_grace_seconds);
  r.ReportUnknownKeys();
}

// `discover` reads only what bounds its one connector call (max_memory, timeout_seconds);
// the rest of resources belongs to runs and is neither read nor checked here.
void ReadCallResources(const Value& root, Pipeline& out, Problems& problems) {
  FieldReader r(root.Find("resources"), "resources", kResourceKeys, problems);
  ResourcesSpec& res = out.resources;
  res.max_memory = r.Size("max_memory", res.max_memory, 16 * kMiB).value_or(res.max_memory);
  res.timeout_seconds = r.Int("timeout_seconds", 0, 0, kNoMax).value_or(0);
}

}  // namespace

void BuildPipeline(const Value& root, LoadPurpose purpose, const EnvLookup& env, Pipeline& out,
                   Problems& problems) {
  FieldReader top(&root, "", kTopKeys, problems);
  ReadVersion(top, out, problems);
  ReadPipelineName(top, out, problems);
  switch (purpose) {
    case LoadPurpose::kRun:
    case LoadPurpose::kCheck:
      ReadSource(root, purpose, out, problems);
      ReadTransforms(root, out, problems);
      ReadDestination(root, out, problems);
      ReadState(root, env, out, problems);
      ReadResources(root, out, problems);
      break;
    case LoadPurpose::kDiscover:
      ReadSource(root, purpose, out, problems);
      ReadCallResources(root, out, problems);
      break;
    case LoadPurpose::kState:
      ReadState(root, env, out, problems);
      break;
    case LoadPurpose::kStateStreams:
      ReadState(root, env, out, problems);
      ReadSourceStreams(root, out, problems);
      break;
  }
  top.ReportUnknownKeys();
}

}  // namespace rapidbyte::config::internal
