// Scanning one search location for connectors (SPEC §4.1): flat `<name>.manifest.json` +
// module, or installed `<name>/<version>/<name>.manifest.json` + module. Folder-private:
// used by resolution and by `connectors list`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "plugin/manifest/manifest.h"

namespace rapidbyte::plugin::manifest::internal {

struct Candidate {
  std::string manifest_path;
  std::string relative_manifest;      // relative to the location, for messages
  std::string stem;                   // the name the manifest file is stored under
  bool installed = false;             // <name>/<version>/ layout
  std::optional<Manifest> manifest;   // set when the manifest is valid and its module exists
  std::string wasm_path;              // the module the manifest names
  std::vector<std::string> problems;  // why the candidate is unusable
};

struct LocationScan {
  bool exists = false;
  std::vector<Candidate> candidates;  // flat first, then installed; each in name order
  /// Modules no manifest names, relative to the location ("x.wasm", "x/1.0.0/x.wasm").
  std::vector<std::string> orphan_modules;
};

/// Scan `dir`. Never fails: unreadable entries are skipped, a missing directory is empty.
/// With `only_name`, only the manifests stored under that name are read (`<name>.manifest.json`
/// and `<name>/<version>/`) and orphan modules are not listed: the quick look resolution takes
/// before it reads the whole location.
LocationScan ScanLocation(const std::string& dir, const std::string& only_name = "");

}  // namespace rapidbyte::plugin::manifest::internal
