// Connector resolution: match rules, the winner of a location, and the not-found report.
#include "plugin/manifest/resolve.h"

#include <algorithm>

#include "base/strings.h"
#include "plugin/manifest/catalog_internal.h"
#include "plugin/manifest/checksum.h"

namespace rapidbyte::plugin::manifest {
namespace {

enum class Mismatch { kNone, kName, kOrg, kVersion };

bool SameVersion(const Manifest& m, const std::string& requested) {
  const auto wanted = ParseSemver(requested);
  return wanted ? CompareSemver(m.semver, *wanted) == 0 : m.version == requested;
}

Mismatch Match(const Manifest& m, const config::ConnectorRef& ref) {
  if (m.connector_name != ref.name) return Mismatch::kName;
  if (!ref.org.empty() && m.org != ref.org) return Mismatch::kOrg;
  if (!ref.version.empty() && !SameVersion(m, ref.version)) return Mismatch::kVersion;
  return Mismatch::kNone;
}

std::string RefText(const config::ConnectorRef& ref) {
  if (!ref.text.empty()) return ref.text;
  std::string out = ref.org.empty() ? ref.name : ref.org + "/" + ref.name;
  return ref.version.empty() ? out : out + "@" + ref.version;
}

bool StemIs(const std::string& module, const std::string& name) {
  const std::size_t slash = module.rfind('/');
  const std::string file = slash == std::string::npos ? module : module.substr(slash + 1);
  return file == name + ".wasm";
}

// What a location held that bears on `ref`: connectors of that name (with why they do not
// match), invalid manifests and manifest-less modules stored under that name; else
// "nothing", or the other connectors it holds.
std::string Held(const internal::LocationScan& scan, const config::ConnectorRef& ref,
                 std::vector<std::string>& related_problems) {
  std::vector<std::string> related;
  std::vector<std::string> others;
  for (const auto& c : scan.candidates) {
    if (!c.manifest) {
      if (c.stem != ref.name) continue;
      related.push_back(c.relative_manifest + ": invalid manifest");
      related_problems.insert(related_problems.end(), c.problems.begin(), c.problems.end());
      continue;
    }
    const Manifest& m = *c.manifest;
    switch (Match(m, ref)) {
      case Mismatch::kName:
        others.push_back(m.Label());
        break;
      case Mismatch::kOrg:
        related.push_back(m.id + " " + m.version + " (org differs)");
        break;
      case Mismatch::kVersion:
        related.push_back(m.Label() + " (version differs)");
        break;
      case Mismatch::kNone:
        break;
    }
  }
  for (const auto& module : scan.orphan_modules) {
    if (StemIs(module, ref.name)) related.push_back(module + ": no manifest (ignored)");
  }
  if (!related.empty()) return Join(related, ", ");
  if (!others.empty()) return "nothing named " + ref.name + " (holds " + Join(others, ", ") + ")";
  return "nothing";
}

// The highest version in `scan` that matches `ref`, or null.
const internal::Candidate* BestMatch(const internal::LocationScan& scan,
                                     const config::ConnectorRef& ref) {
  const internal::Candidate* best = nullptr;
  for (const auto& c : scan.candidates) {
    if (!c.manifest || Match(*c.manifest, ref) != Mismatch::kNone) continue;
    if (best == nullptr || CompareSemver(c.manifest->semver, best->manifest->semver) > 0) {
      best = &c;
    }
  }
  return best;
}

}  // namespace

std::string LocationTitle(const SearchLocation& location) {
  return location.label.empty() ? location.path : location.path + " (" + location.label + ")";
}

std::vector<SearchLocation> DefaultSearchLocations(const config::EnvLookup& env,
                                                   const std::string& bundled_dir) {
  std::vector<SearchLocation> out;
  if (auto dirs = env("RAPIDBYTE_CONNECTOR_DIR")) {
    std::size_t start = 0;
    while (start <= dirs->size()) {
      std::size_t colon = dirs->find(':', start);
      if (colon == std::string::npos) colon = dirs->size();
      if (colon > start)
        out.push_back({dirs->substr(start, colon - start), "RAPIDBYTE_CONNECTOR_DIR"});
      start = colon + 1;
    }
  }
  if (auto home = env("HOME"); home && !home->empty()) {
    out.push_back({*home + (home->back() == '/' ? "" : "/") + ".rapidbyte/plugins", ""});
  }
  if (!bundled_dir.empty()) out.push_back({bundled_dir, "bundled"});
  return out;
}

Result<ResolvedConnector> ResolveConnector(const config::ConnectorRef& ref,
                                           const std::vector<SearchLocation>& locations,
                                           const std::string& use_path) {
  std::string report = use_path + ": connector '" + RefText(ref) + "' not found. Searched:";
  std::vector<std::string> related_problems;
  for (const auto& location : locations) {
    // First only the manifests stored under the connector's name (the layout of SPEC §4.1),
    // then, when none matches, everything the location holds: other files may declare the
    // name, and the not-found report lists them. `check` reads two manifests, not all.
    // So a file named after the connector wins over a higher version of it stored under
    // another file name in the same location.
    internal::LocationScan scan = internal::ScanLocation(location.path, ref.name);
    const internal::Candidate* best = BestMatch(scan, ref);
    if (best == nullptr) {
      scan = internal::ScanLocation(location.path);
      best = BestMatch(scan, ref);
    }
    if (best != nullptr) {
      // A checksum mismatch is a manifest problem (exit 2), found before any state is opened
      // or code is loaded; the loader checks the bytes it loads again.
      if (Status st = VerifyChecksumOfFile(*best->manifest, best->wasm_path); !st.ok()) {
        return Status::InvalidArgument(use_path + ": " + st.message());
      }
      return ResolvedConnector{*best->manifest, best->manifest_path, best->wasm_path, location};
    }
    report += "\n    " + LocationTitle(location) + ": " + Held(scan, ref, related_problems);
  }
  if (locations.empty()) report += "\n    (no search locations)";
  for (const auto& problem : related_problems) report += "\n    " + problem;
  return Status::InvalidArgument(report);
}

std::vector<LocationListing> ListConnectors(const std::vector<SearchLocation>& locations) {
  std::vector<LocationListing> out;
  std::vector<std::string> earlier_ids;  // ids held by earlier locations
  for (const auto& location : locations) {
    internal::LocationScan scan = internal::ScanLocation(location.path);
    LocationListing listing;
    listing.location = location;
    listing.exists = scan.exists;
    std::vector<std::string> here;  // "id@version" seen in this location
    for (auto& c : scan.candidates) {
      if (!c.manifest) {
        listing.invalid.insert(listing.invalid.end(), c.problems.begin(), c.problems.end());
        continue;
      }
      ListedConnector item{std::move(*c.manifest), c.manifest_path, c.wasm_path, c.installed,
                           false};
      const std::string key = item.manifest.id + "@" + item.manifest.semver.ToString();
      item.shadowed = std::find(earlier_ids.begin(), earlier_ids.end(), item.manifest.id) !=
                          earlier_ids.end() ||
                      std::find(here.begin(), here.end(), key) != here.end();
      here.push_back(key);
      listing.connectors.push_back(std::move(item));
    }
    for (const auto& module : scan.orphan_modules) {
      listing.ignored.push_back(module + ": no manifest (ignored)");
    }
    for (const auto& c : listing.connectors) earlier_ids.push_back(c.manifest.id);
    out.push_back(std::move(listing));
  }
  return out;
}

}  // namespace rapidbyte::plugin::manifest
