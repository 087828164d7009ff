// Cross-field rules of SPEC §2.6: stream identity and name clashes, incremental cursors,
// projections, upsert keys, and mode combinations. Each rule reports on the field that a
// user would edit to fix it.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "base/strings.h"
#include "config/builder_internal.h"
#include "config/redact.h"

namespace rapidbyte::config::internal {
namespace {

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

void CheckStreamIdentity(const Pipeline& pipeline, Problems& problems) {
  std::map<std::string, const StreamSpec*> by_name;
  std::map<std::string, const StreamSpec*> by_table;
  for (const auto& stream : pipeline.source.streams) {
    const std::string path = stream.path + ".name";
    const std::string qualified = stream.QualifiedName();
    if (auto it = by_name.find(qualified); it != by_name.end()) {
      problems.Add(path, "duplicate stream '" + qualified + "' (also " + it->second->path + ")");
      continue;
    }
    by_name[qualified] = &stream;
    if (stream.pattern) continue;  // its matches are checked after expansion
    if (auto it = by_table.find(stream.table); it != by_table.end()) {
      problems.Add(path, "'" + qualified + "' and '" + it->second->QualifiedName() +
                             "' would both write destination table '" + stream.table + "'");
      continue;
    }
    by_table[stream.table] = &stream;
  }
}

void CheckCursorInProjection(const Pipeline& pipeline, Problems& problems) {
  for (const auto& stream : pipeline.source.streams) {
    if (!stream.cursor_field || !stream.columns) continue;
    if (!Contains(*stream.columns, *stream.cursor_field)) {
      problems.Add(stream.path + ".columns",
                   "must include cursor_field '" + *stream.cursor_field + "'");
    }
  }
}

void CheckDestinationModes(const Pipeline& pipeline, Problems& problems) {
  if (!pipeline.destination) return;
  const DestinationSpec& dest = *pipeline.destination;
  std::vector<std::string> missing_key;
  for (const auto& stream : pipeline.source.streams) {
    if (dest.write_mode == WriteMode::kReplace && stream.sync_mode == SyncMode::kIncremental) {
      problems.Add(stream.path + ".sync_mode",
                   "'incremental' cannot be combined with write_mode 'replace' (each run would "
                   "keep only the changed rows)");
    }
    const std::vector<std::string>* key = stream.primary_key ? &*stream.primary_key : nullptr;
    if (key == nullptr && dest.write_mode == WriteMode::kUpsert && !dest.primary_key.empty()) {
      key = &dest.primary_key;
    }
    // A pattern's matches take the key of the source's catalog; checked after expansion.
    if (dest.write_mode == WriteMode::kUpsert && key == nullptr && !stream.pattern &&
        !Contains(missing_key, stream.QualifiedName())) {
      missing_key.push_back(stream.QualifiedName());
    }
    if (key != nullptr && stream.columns) {
      for (const auto& column : *key) {
        if (!Contains(*stream.columns, column)) {
          problems.Add(stream.path + ".columns", "must include primary key column '" + column + "'");
        }
      }
    }
  }
  if (!missing_key.empty()) {
    problems.Add("destination.primary_key",
                 "write_mode 'upsert' needs a primary key (here or on every stream); missing for " +
                     Join(missing_key, ", "));
  }
}

// SPEC §14.1: cdc streams mirror (upsert) or log (append) changes, and each has its own
// replication slot.
void CheckCdc(const Pipeline& pipeline, Problems& problems) {
  std::map<std::string, const StreamSpec*> slots;
  for (const auto& stream : pipeline.source.streams) {
    if (!stream.cdc) continue;
    if (pipeline.destination && pipeline.destination->write_mode == WriteMode::kReplace) {
      problems.Add(stream.path + ".sync_mode",
                   "'cdc' cannot be combined with write_mode 'replace'; use 'upsert' (a mirror "
                   "of the table) or 'append' (a log of every change)");
    }
    if (stream.pattern) continue;
    if (auto it = slots.find(stream.cdc->slot); it != slots.end()) {
      problems.Add(stream.path + ".cdc.slot", "slot '" + stream.cdc->slot + "' is also used by " +
                                                  it->second->path + "; each stream needs its own");
      continue;
    }
    slots[stream.cdc->slot] = &stream;
  }
}

void CollectConfigSecrets(const Value& value, bool secret_key, std::vector<std::string>& out) {
  switch (value.kind()) {
    case Value::Kind::kScalar:
      if (secret_key && !value.text().empty()) out.push_back(value.text());
      if (auto pw = UrlPassword(value.text())) out.push_back(*pw);
      break;
    case Value::Kind::kMap:
      for (const auto& entry : value.entries()) {
        CollectConfigSecrets(entry.value, secret_key || IsSecretKey(entry.key), out);
      }
      break;
    case Value::Kind::kList:
      for (const auto& item : value.items()) CollectConfigSecrets(item, secret_key, out);
      break;
    case Value::Kind::kNull:
      break;
  }
}

}  // namespace

void CheckPipelineRules(LoadPurpose purpose, Pipeline& pipeline,
                        Problems& problems) {
  if (purpose != LoadPurpose::kRun && purpose != LoadPurpose::kCheck) return;
  CheckStreamIdentity(pipeline, problems);
  CheckCursorInProjection(pipeline, problems);
  CheckDestinationModes(pipeline, problems);
  CheckCdc(pipeline, problems);
}

void CollectSecrets(Pipeline& pipeline) {
  CollectConfigSecrets(pipeline.source.config, false, pipeline.secrets);
  for (const auto& transform : pipeline.transforms) {
    CollectConfigSecrets(transform.config, false, pipeline.secrets);
  }
  if (pipeline.destination) CollectConfigSecrets(pipeline.destination->config, false, pipeline.secrets);
  if (auto pw = UrlPassword(pipeline.state.connection)) pipeline.secrets.push_back(*pw);
}

}  // namespace rapidbyte::config::internal
