// Finding the connector a `use:` reference names (SPEC §4.1) in an ordered list of search
// locations, and listing what every location holds (`rapidbyte connectors list`, §3.5).
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "config/env_subst.h"
#include "config/pipeline.h"
#include "plugin/manifest/manifest.h"

namespace rapidbyte::plugin::manifest {

struct SearchLocation {
  std::string path;
  /// Shown in parentheses after the path: "RAPIDBYTE_CONNECTOR_DIR", "bundled", or "" for
  /// none (~/.rapidbyte/plugins).
  std::string label;
};

/// "<path>" or "<path> (<label>)".
std::string LocationTitle(const SearchLocation& location);

/// The default order: each non-empty directory of $RAPIDBYTE_CONNECTOR_DIR (':'-separated),
/// then $HOME/.rapidbyte/plugins (when HOME is set), then `bundled_dir` (when not empty).
std::vector<SearchLocation> DefaultSearchLocations(const config::EnvLookup& env,
                                                   const std::string& bundled_dir);

struct ResolvedConnector {
  Manifest manifest;
  std::string manifest_path;
  std::string wasm_path;
  SearchLocation location;
};

/// Find `ref`: a candidate matches when its id's name is ref.name, its whole id is
/// "org/name" when ref.org is set, and its version equals ref.version when set. The first
/// location holding a match wins; inside it, the highest version (semver precedence).
/// Not found: InvalidArgument (exit 2) naming `use_path` and what every location held:
///   source.use: connector 'source-postgres@2.0.0' not found. Searched:
///       /opt/conn (RAPIDBYTE_CONNECTOR_DIR): source-postgres 0.1.0 (version differs)
///       /home/u/.rapidbyte/plugins: nothing
/// followed by the problems of any invalid manifest stored under that name. A match whose
/// manifest has artifact.checksum that its .wasm does not meet: InvalidArgument
/// "<use_path>: WASM checksum mismatch for <path>. Expected: ..." (SPEC §4.1, exit 2).
Result<ResolvedConnector> ResolveConnector(const config::ConnectorRef& ref,
                                           const std::vector<SearchLocation>& locations,
                                           const std::string& use_path);

struct ListedConnector {
  Manifest manifest;
  std::string manifest_path;
  std::string wasm_path;
  bool installed = false;  // <name>/<version>/ layout rather than flat
  /// Hidden by an earlier location holding a connector of the same name, whatever its org
  /// (`use: <name>` never reaches it, and `use: <name>@<version>` only when the earlier
  /// location lacks that version), or by an earlier entry of this location with the same id
  /// and version (nothing reaches it).
  bool shadowed = false;
  /// The entry that hides it, "<id> <version> in <location title>"; empty when not shadowed.
  std::string shadowed_by;
  /// The entries this one hides, in the same form.
  std::vector<std::string> shadows;
};

struct LocationListing {
  SearchLocation location;
  bool exists = false;
  std::vector<ListedConnector> connectors;
  /// "<file>: no manifest (ignored)" for modules without a manifest.
  std::vector<std::string> ignored;
  /// Problem lines of manifests that could not be used.
  std::vector<std::string> invalid;
};

/// What every location holds, in order.
std::vector<LocationListing> ListConnectors(const std::vector<SearchLocation>& locations);

}  // namespace rapidbyte::plugin::manifest
