// Pattern stream expansion (see stream_patterns.h).
#include "config/stream_patterns.h"

#include <algorithm>
#include <set>

#include "config/builder_internal.h"
#include "config/problems.h"

namespace rapidbyte::config {
namespace {

// An exclude entry with a dot is matched against "schema.table", one without against the
// table name within the pattern's schema.
bool Excluded(const StreamSpec& pattern, const CatalogRelation& r) {
  for (const std::string& e : pattern.exclude) {
    if (e.find('.') != std::string::npos ? GlobMatch(e, r.schema + "." + r.table)
                                         : GlobMatch(e, r.table)) {
      return true;
    }
  }
  return false;
}

// The stream a match becomes: the pattern's settings, the relation's name, and the
// catalog's cursor and key where the pattern leaves them to the source.
StreamSpec MatchStream(const Pipeline& pipeline, const StreamSpec& pattern,
                       const CatalogRelation& r, Problems& problems) {
  StreamSpec s = pattern;
  s.pattern = false;
  s.exclude.clear();
  s.schema = r.schema;
  s.table = r.table;
  s.name = r.schema + "." + r.table;
  s.path = pattern.path + " (" + s.name + ")";
  if (s.cdc) {  // one slot and one publication per table (a pattern cannot name them)
    s.cdc->slot = DefaultCdcName(pipeline.name, r.schema, r.table);
    s.cdc->publication = s.cdc->slot;
  }
  if (s.sync_mode == SyncMode::kIncremental && !s.cursor_field) {
    if (r.suggested_cursor.empty()) {
      problems.Add(pattern.path + ".cursor_field",
                   "required for '" + s.name + "' (matched by '" + pattern.name +
                       "'): the source suggests no cursor column for it; name one here, or "
                       "give the table its own stream, or exclude it");
    } else {
      s.cursor_field = r.suggested_cursor;
    }
  }
  const bool upsert = pipeline.destination &&
                      pipeline.destination->write_mode == WriteMode::kUpsert &&
                      pipeline.destination->primary_key.empty();
  if (upsert && !s.primary_key && !r.primary_key.empty()) s.primary_key = r.primary_key;
  return s;
}

}  // namespace

bool IsStreamPattern(std::string_view name) {
  return name.find_first_of("*?") != std::string_view::npos;
}

bool GlobMatch(std::string_view pattern, std::string_view text) {
  // Iterative matching with one backtrack point: the last `*` and where it resumed.
  std::size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool HasStreamPatterns(const Pipeline& pipeline) {
  return std::any_of(pipeline.source.streams.begin(), pipeline.source.streams.end(),
                     [](const StreamSpec& s) { return s.pattern; });
}

ExpansionResult ExpandStreamPatterns(const Pipeline& pipeline,
                                     const std::vector<CatalogRelation>& catalog) {
  ExpansionResult out;
  out.pipeline = pipeline;
  out.pipeline.source.streams.clear();
  Problems problems;
  std::set<std::string> claimed;  // explicit streams first: they override patterns
  for (const StreamSpec& s : pipeline.source.streams) {
    if (!s.pattern) claimed.insert(s.QualifiedName());
  }
  for (const StreamSpec& s : pipeline.source.streams) {
    if (!s.pattern) {
      out.pipeline.source.streams.push_back(s);
      continue;
    }
    PatternExpansion expansion{s.path, s.name, {}};
    for (const CatalogRelation& r : catalog) {
      if (r.schema != s.schema || !GlobMatch(s.table, r.table) || Excluded(s, r)) continue;
      if (!claimed.insert(r.schema + "." + r.table).second) continue;
      out.pipeline.source.streams.push_back(MatchStream(pipeline, s, r, problems));
      expansion.streams.push_back(out.pipeline.source.streams.back().name);
    }
    if (expansion.streams.empty()) {
      problems.Warn(s.path + ".name", "'" + s.name + "' matches no table or view in schema '" +
                                          s.schema + "' of the source");
    }
    out.expansions.push_back(std::move(expansion));
  }
  if (out.pipeline.source.streams.empty()) {
    problems.Add("source.streams", "the patterns match no table or view; nothing to read");
  }
  internal::CheckPipelineRules(LoadPurpose::kRun, out.pipeline, problems);
  out.problems = problems.lines();
  out.warnings = problems.warnings();
  return out;
}

}  // namespace rapidbyte::config
