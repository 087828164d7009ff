// Directory scanning with std::filesystem's non-throwing (error_code) overloads.
#include <algorithm>
#include <filesystem>
#include <set>

#include "plugin/manifest/catalog_internal.h"

namespace rapidbyte::plugin::manifest::internal {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kManifestSuffix = ".manifest.json";
constexpr std::string_view kWasmSuffix = ".wasm";

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() > suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

struct Entry {
  std::string name;
  bool is_dir = false;
  bool is_file = false;
};

// Entries of `dir` sorted by name; empty when it cannot be read.
std::vector<Entry> ListDir(const fs::path& dir) {
  std::vector<Entry> out;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  const fs::directory_iterator end;
  for (; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    Entry entry;
    entry.name = it->path().filename().string();
    entry.is_dir = it->is_directory(type_ec);
    entry.is_file = !entry.is_dir && it->is_regular_file(type_ec);
    out.push_back(std::move(entry));
  }
  std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) { return a.name < b.name; });
  return out;
}

Candidate Load(const fs::path& dir, const std::string& file, const std::string& relative_dir,
               bool installed) {
  Candidate c;
  c.manifest_path = (dir / file).string();
  c.relative_manifest = relative_dir + file;
  c.stem = file.substr(0, file.size() - kManifestSuffix.size());
  c.installed = installed;
  Result<Manifest> manifest = LoadManifestFile(c.manifest_path);
  if (!manifest.ok()) {
    c.problems = ManifestProblems(manifest.status());
    return c;
  }
  c.wasm_path = (dir / manifest->artifact.entry_point).string();
  std::error_code ec;
  if (!fs::is_regular_file(c.wasm_path, ec)) {
    c.problems.push_back("connector " + manifest->id + " " + manifest->version + " (" +
                         c.manifest_path + "): module " + c.wasm_path + " not found");
    return c;
  }
  c.manifest = manifest.MoveValueUnsafe();
  return c;
}

// Manifests and modules of one directory; modules are recorded relative to the location.
void ScanDir(const fs::path& dir, const std::string& relative_dir, bool installed,
             const std::string& only_name, LocationScan& scan, std::vector<std::string>& modules) {
  for (const Entry& entry : ListDir(dir)) {
    if (!entry.is_file) continue;
    if (!only_name.empty()) {
      if (entry.name == only_name + std::string(kManifestSuffix)) {
        scan.candidates.push_back(Load(dir, entry.name, relative_dir, installed));
      }
      continue;
    }
    if (EndsWith(entry.name, kManifestSuffix)) {
      scan.candidates.push_back(Load(dir, entry.name, relative_dir, installed));
    } else if (EndsWith(entry.name, kWasmSuffix)) {
      modules.push_back(relative_dir + entry.name);
    }
  }
}

}  // namespace

LocationScan ScanLocation(const std::string& dir, const std::string& only_name) {
  LocationScan scan;
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) return scan;
  scan.exists = true;
  const fs::path root(dir);
  std::vector<std::string> modules;
  ScanDir(root, "", false, only_name, scan, modules);
  for (const Entry& name_dir : ListDir(root)) {
    if (!name_dir.is_dir || (!only_name.empty() && name_dir.name != only_name)) continue;
    for (const Entry& version_dir : ListDir(root / name_dir.name)) {
      if (!version_dir.is_dir) continue;
      ScanDir(root / name_dir.name / version_dir.name, name_dir.name + "/" + version_dir.name + "/",
              true, only_name, scan, modules);
    }
  }
  if (!only_name.empty()) return scan;
  std::set<std::string> named;
  for (const auto& c : scan.candidates) {
    // A module beside an invalid manifest is not an orphan: its manifest is reported.
    const fs::path beside = fs::path(c.manifest_path).parent_path() / (c.stem + ".wasm");
    named.insert(beside.lexically_normal().string());
    if (!c.wasm_path.empty()) named.insert(fs::path(c.wasm_path).lexically_normal().string());
  }
  for (const auto& module : modules) {
    if (named.count((root / module).lexically_normal().string()) == 0) {
      scan.orphan_modules.push_back(module);
    }
  }
  return scan;
}

}  // namespace rapidbyte::plugin::manifest::internal
