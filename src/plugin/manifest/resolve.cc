// Connector resolution: match rules, the winner of a location, and the not-found report.
#include "plugin/manifest/resolve.h"

#include <optional>

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
  out.reserve(locations.size());
  struct Earlier {
    std::size_t listing;
    std::size_t index;
  };
  std::vector<Earlier> earlier;  // entries of earlier locations
  auto at = [&out](const Earlier& e) -> ListedConnector& {
    return out[e.listing].connectors[e.index];
  };
  auto describe = [](const ListedConnector& c, const SearchLocation& location) {
    return c.manifest.id + " " + c.manifest.version + " in " + LocationTitle(location);
  };
  for (const auto& location : locations) {
    internal::LocationScan scan = internal::ScanLocation(location.path);
    out.push_back(LocationListing{location, scan.exists, {}, {}, {}});
    LocationListing& listing = out.back();
    const std::size_t listing_index = out.size() - 1;
    for (auto& c : scan.candidates) {
      if (!c.manifest) {
        listing.invalid.insert(listing.invalid.end(), c.problems.begin(), c.problems.end());
        continue;
      }
      ListedConnector item{std::move(*c.manifest), c.manifest_path, c.wasm_path, c.installed,
                           false, "", {}};
      // `use:` matches by name first (the org only when written): the first earlier
      // location holding the name hides this entry from every reference without an org,
      // even when its id differs (the org is whatever a manifest declares). Inside it, the
      // highest version is the one `use: <name>` runs.
      std::optional<Earlier> hider;
      for (const Earlier& e : earlier) {
        const Manifest& m = at(e).manifest;
        if (m.connector_name != item.manifest.connector_name) continue;
        if (hider && (e.listing != hider->listing ||
                      CompareSemver(m.semver, at(*hider).manifest.semver) <= 0)) {
          continue;
        }
        hider = e;
      }
      for (std::size_t i = 0; !hider && i < listing.connectors.size(); ++i) {
        const Manifest& m = listing.connectors[i].manifest;
        if (m.id == item.manifest.id && CompareSemver(m.semver, item.manifest.semver) == 0) {
          hider = Earlier{listing_index, i};
        }
      }
      if (hider) {
        ListedConnector& by = at(*hider);
        item.shadowed = true;
        item.shadowed_by = describe(by, out[hider->listing].location);
        by.shadows.push_back(describe(item, location));
      }
      listing.connectors.push_back(std::move(item));
    }
    for (const auto& module : scan.orphan_modules) {
      listing.ignored.push_back(module + ": no manifest (ignored)");
    }
    for (std::size_t i = 0; i < listing.connectors.size(); ++i) {
      earlier.push_back({listing_index, i});
    }
  }
  return out;
}

}  // namespace rapidbyte::plugin::manifest
