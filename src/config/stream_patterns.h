// Pattern streams (`name: public.*` with `exclude:`): a stream whose table part is a glob
// stands for every matching relation of the source's catalog. The loader keeps the pattern;
// before a run (and in `check`, `--dry-run`) the caller discovers the catalog and expands
// the pattern here, into one ordinary stream per match with the pattern's settings. A
// relation named by an explicit stream is never a pattern's match, so an explicit stream
// overrides a pattern's settings; an earlier pattern wins over a later one. The cross-field
// rules run again on the result. Portable, no I/O.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/pipeline.h"

namespace rapidbyte::config {

/// True when a name part holds a glob character (`*` or `?`).
bool IsStreamPattern(std::string_view name);

/// Glob match of the whole `text`: `*` any run of characters (also none), `?` one
/// character (one byte); everything else literally.
bool GlobMatch(std::string_view pattern, std::string_view text);

/// What the expansion needs of one relation of the source's catalog.
struct CatalogRelation {
  std::string schema;
  std::string table;
  std::vector<std::string> primary_key;  // empty when the source defines none
  std::string suggested_cursor;          // empty when the source suggests none
};

/// One pattern and the streams it became, for `check` and the run's log.
struct PatternExpansion {
  std::string path;     // "source.streams[i]"
  std::string pattern;  // as written
  std::vector<std::string> streams;  // "schema.table", in catalog order
};

struct ExpansionResult {
  Pipeline pipeline;  // patterns replaced by their matches, in the patterns' places
  std::vector<PatternExpansion> expansions;
  std::vector<std::string> problems;  // "path: message"; the pipeline must not run
  std::vector<std::string> warnings;  // e.g. a pattern that matches nothing
};

/// True when any stream of `pipeline` is a pattern.
bool HasStreamPatterns(const Pipeline& pipeline);

/// Expand every pattern stream against `catalog`. Incremental matches without a
/// `cursor_field` take the relation's suggested cursor; upsert matches without a key (on the
/// stream or the destination) take the relation's primary key.
ExpansionResult ExpandStreamPatterns(const Pipeline& pipeline,
                                     const std::vector<CatalogRelation>& catalog);

}  // namespace rapidbyte::config
