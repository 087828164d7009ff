// `rapidbyte connectors list` and `rapidbyte connectors install` (SPEC §3.5): what every
// search location holds, and installing a checked module with its manifest into
// ~/.rapidbyte/plugins/<name>/<version>/ with its native code translated into the cache.

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <sys/stat.h>

#include "base/log.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/run_report.h"
#include "config/env_subst.h"
#include "plugin/connector_loader.h"
#include "plugin/manifest/manifest.h"
#include "plugin/manifest/resolve.h"
#include "plugin/translate/cache.h"
#include "plugin/translate/files.h"
#include "plugin/translate/sha256.h"
#include "plugin/translate/wasm_module_info.h"

namespace rapidbyte::cli {
namespace {

namespace fs = std::filesystem;
namespace manifest = plugin::manifest;
namespace translate = plugin::translate;

void Print(FILE* stream, const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stream);
  std::fflush(stream);
}

int Fail(int exit_code, const std::string& message) {
  PrintError(message, {});
  return exit_code;
}

// Bad input (a missing file, a bad manifest or module) is exit 2; anything else (no
// compiler, an unusable cache, I/O) means the command ran and failed.
int ExitCodeFor(const Status& status) {
  return status.code() == StatusCode::kInvalidArgument || status.code() == StatusCode::kNotFound
             ? kExitUsage
             : kExitFailed;
}

std::string BundledDirOrEmpty() {
  auto dir = plugin::BundledConnectorDir();
  if (dir.ok()) return *dir;
  Log(LogLevel::kWarn, "bundled connectors not searched: " + dir.status().message());
  return "";
}

// Manifest text from a third party, made safe for one terminal line.
std::string OneLine(std::string_view text) { return SanitizeForTerminal(text); }

// "rapidbyte/source-postgres 0.1.0 in /usr/lib/rapidbyte/connectors (bundled)".
std::string Describe(const manifest::Manifest& m, const manifest::SearchLocation& location) {
  return OneLine(m.id + " " + m.version) + " in " + manifest::LocationTitle(location);
}

// What the connector may reach, from its manifest, for the install report: the user
// should see what a new connector asks for before a pipeline hands it credentials.
std::string PermissionLines(const manifest::Manifest& m) {
  const manifest::Permissions& p = m.permissions;
  std::vector<std::string> network;
  for (const auto& entry : p.network.allowed_domains) network.push_back(OneLine(entry));
  if (p.network.allow_runtime_config_domains) {
    network.push_back("the hosts named in the pipeline's config");
  }
  std::string out = "Permissions it asks for:\n";
  out += "  network: " +
         (network.empty() ? std::string("none")
                          : Join(network, ", ") + " (TLS " +
                                std::string(manifest::Name(p.network.tls)) + ")") +
         "\n";
  std::vector<std::string> env;
  for (const auto& var : p.env_allowed_vars) env.push_back(OneLine(var));
  out += "  environment variables: " + (env.empty() ? "none" : Join(env, ", ")) + "\n";
  std::vector<std::string> files;
  for (const auto& preopen : p.fs_preopens) {
    files.push_back(OneLine(preopen.path) + (preopen.write ? " (read-write)" : " (read-only)"));
  }
  if (const auto& granted = p.fs_config_path) {
    std::vector<std::string> within;
    for (const auto& dir : granted->within) within.push_back(OneLine(dir));
    files.push_back("the directory its config's '" + OneLine(granted->field) + "' names" +
                    (within.empty() ? "" : " beneath " + Join(within, ", ")) +
                    (granted->write ? " (read-write" : " (read-only") +
                    (granted->create ? ", created)" : ")"));
  }
  out += "  files: " + (files.empty() ? "none" : Join(files, ", ")) + "\n";
  return out;
}

// Every connector in the search locations that is reached by the same `use: <name>` as
// `m` (another id, or another copy of the same id), except the copy in `replacing` (the
// folder a forced reinstall replaces). The org in an id is whatever a manifest declares,
// so a matching id proves nothing: any other connector of that name counts.
std::vector<std::string> SameName(const manifest::Manifest& m, const std::string& replacing) {
  std::vector<std::string> out;
  const auto locations =
      manifest::DefaultSearchLocations(config::ProcessEnvironment(), BundledDirOrEmpty());
  for (const auto& listing : manifest::ListConnectors(locations)) {
    for (const auto& c : listing.connectors) {
      if (c.manifest.connector_name != m.connector_name) continue;
      if (fs::path(c.manifest_path).parent_path() == fs::path(replacing)) continue;
      out.push_back(Describe(c.manifest, listing.location));
    }
  }
  return out;
}

std::string NativeCodeStatus(const std::string& wasm_path, const Result<std::string>& cache_dir,
                             bool bundled) {
  if (!cache_dir.ok()) return "unknown (" + cache_dir.status().message() + ")";
  auto state = translate::ProbeNativeCode(wasm_path, *cache_dir, bundled);
  if (!state.ok()) return "unknown (" + state.status().message() + ")";
  switch (*state) {
    case translate::NativeCodeState::kBundled:
      return "ready";
    case translate::NativeCodeState::kCached:
      return "cached";
    case translate::NativeCodeState::kNeedsTranslation:
      return "will translate on first use";
  }
  return "unknown";
}

bool Exists(const std::string& path) {
  struct stat st {};
  return lstat(path.c_str(), &st) == 0;
}

// `<dir>/<stem>.manifest.json` for `<dir>/<stem>.wasm`.
std::string ManifestBeside(const std::string& wasm_path) {
  const fs::path path(wasm_path);
  return (path.parent_path() / (path.stem().string() + ".manifest.json")).string();
}

// A fresh directory `<parent>/<prefix>XXXXXX`.
Result<std::string> MakeTempDir(const std::string& parent, const std::string& prefix) {
  std::string pattern = parent + "/" + prefix + "XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    return Status::Internal("cannot create a directory in " + parent + ": " +
                            std::error_code(errno, std::generic_category()).message());
  }
  return pattern;
}

void RemoveAll(const std::string& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
  if (ec) Log(LogLevel::kWarn, "cannot remove " + path + ": " + ec.message());
}

// Copy the checked module and its manifest into `staging`. The copy must be the bytes that
// were checked, and the manifest must still name the same connector.
Status Stage(const std::string& wasm_path, const std::string& manifest_path,
             const manifest::Manifest& m, const std::string& checked_sha256,
             const std::string& staging) {
  RB_ASSIGN_OR_RETURN(auto wasm,
                      translate::ReadFileBytes(wasm_path, translate::kMaxWasmModuleBytes));
  RB_ASSIGN_OR_RETURN(std::string sha, translate::Sha256Hex(wasm));
  RB_ASSIGN_OR_RETURN(auto manifest_bytes,
                      translate::ReadFileBytes(manifest_path, manifest::kMaxManifestBytes));
  const std::string staged_manifest = staging + "/" + m.connector_name + ".manifest.json";
  RB_RETURN_NOT_OK(translate::WriteFileBytes(
      staged_manifest, std::string_view(reinterpret_cast<const char*>(manifest_bytes.data()),
                                        manifest_bytes.size())));
  auto staged = manifest::LoadManifestFile(staged_manifest);
  if (sha != checked_sha256 || !staged.ok() || staged->id != m.id || staged->version != m.version ||
      staged->artifact.checksum != m.artifact.checksum) {
    return Status::Aborted(wasm_path + " or " + manifest_path +
                           " changed while being installed; try again");
  }
  return translate::WriteFileBytes(
      staging + "/" + m.artifact.entry_point,
      std::string_view(reinterpret_cast<const char*>(wasm.data()), wasm.size()));
}

// Move `staging` to `dir`, replacing what is there (kept until the new one is in place).
Status Publish(const std::string& staging, const std::string& dir, const std::string& root) {
  std::error_code ec;
  std::string old;
  if (Exists(dir)) {
    RB_ASSIGN_OR_RETURN(old, MakeTempDir(root, ".tmp-old-"));
    fs::rename(dir, old, ec);
    if (ec) {
      RemoveAll(old);
      return Status::Internal("cannot move " + dir + " aside: " + ec.message());
    }
  }
  fs::rename(staging, dir, ec);
  if (ec) {
    std::error_code restore;
    if (!old.empty()) fs::rename(old, dir, restore);
    return Status::Internal("cannot move the new files to " + dir + ": " + ec.message());
  }
  if (!old.empty()) RemoveAll(old);
  return Status::OK();
}

}  // namespace

int RunConnectorsListCommand() {
  const std::string bundled = BundledDirOrEmpty();
  const auto locations = manifest::DefaultSearchLocations(config::ProcessEnvironment(), bundled);
  const Result<std::string> cache_dir = translate::DefaultCacheDir();
  std::string out;
  for (const auto& listing : manifest::ListConnectors(locations)) {
    out += manifest::LocationTitle(listing.location) + "\n";
    if (!listing.exists) {
      out += "  nothing (the folder does not exist)\n";
      continue;
    }
    if (listing.connectors.empty() && listing.ignored.empty() && listing.invalid.empty()) {
      out += "  nothing\n";
    }
    const bool is_bundled = !bundled.empty() && listing.location.label == "bundled";
    for (const auto& c : listing.connectors) {
      const manifest::Manifest& m = c.manifest;
      out += "  " + OneLine(m.Label()) + (c.shadowed ? " (shadowed)" : "") + "\n";
      out += "      id: " + m.id + "\n";
      out += "      roles: " + Join(m.RoleNames(), ", ") + "\n";
      if (!m.description.empty()) out += "      description: " + OneLine(m.description) + "\n";
      out += "      native code: " + NativeCodeStatus(c.wasm_path, cache_dir, is_bundled) + "\n";
      // Both sides of a shadowing are named: a connector that takes a name from another
      // (perhaps a bundled one) runs the pipelines that use the name.
      if (c.shadowed) out += "      shadowed by: " + OneLine(c.shadowed_by) + "\n";
      for (const auto& hidden : c.shadows) out += "      shadows: " + OneLine(hidden) + "\n";
    }
    for (const auto& line : listing.ignored) out += "  " + OneLine(line) + "\n";
    for (const auto& line : listing.invalid) out += "  invalid manifest: " + OneLine(line) + "\n";
  }
  if (locations.empty()) out += "(no search locations: HOME is not set)\n";
  Print(stdout, out);
  return kExitOk;
}

int RunConnectorsInstallCommand(const std::string& wasm_path, const std::string& manifest_arg,
                                bool force) {
  if (!Exists(wasm_path)) return Fail(kExitUsage, wasm_path + ": no such file");
  const std::string manifest_path = manifest_arg.empty() ? ManifestBeside(wasm_path) : manifest_arg;
  if (!Exists(manifest_path)) {
    return Fail(kExitUsage, wasm_path + ": no manifest (expected " + manifest_path +
                                (manifest_arg.empty() ? "; or pass --manifest <file>)" : ")"));
  }
  auto loaded = manifest::LoadManifestFile(manifest_path);
  if (!loaded.ok()) return Fail(ExitCodeFor(loaded.status()), loaded.status().message());
  const manifest::Manifest& m = *loaded;
  auto sha = plugin::CheckConnectorModule(m, wasm_path, plugin::DeclaredRoles(m));
  if (!sha.ok()) return Fail(ExitCodeFor(sha.status()), sha.status().message());

  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') {
    return Fail(kExitFailed, "HOME is not set, so ~/.rapidbyte/plugins cannot be found");
  }
  const std::string root = (fs::path(home) / ".rapidbyte" / "plugins").string();
  const std::string dir = (fs::path(root) / m.connector_name / m.version).string();
  if (Exists(dir) && !force) {
    return Fail(kExitFailed,
                m.Label() + " is already installed in " + dir + "; use --force to replace it");
  }
  // Name takeover: `use: <name>` resolves by name in every location, so a new connector of
  // a name that exists would run (and get the config and passwords of) every pipeline
  // that uses the name. Only on request.
  const std::vector<std::string> same_name = SameName(m, dir);
  if (!same_name.empty() && !force) {
    return Fail(kExitFailed,
                "not installing " + OneLine(m.id + " " + m.version) + ": the name " +
                    m.connector_name + " is already used by " + Join(same_name, "; ") +
                    ". Pipelines with `use: " + m.connector_name +
                    "` run the first connector of that name found, and give it their config "
                    "and credentials. Use --force to install it anyway (pin the others with "
                    "`use: <org>/<name>@<version>`)");
  }
  auto cache_dir = translate::DefaultCacheDir();
  if (!cache_dir.ok()) return Fail(kExitFailed, cache_dir.status().message());
  std::error_code ec;
  fs::create_directories(fs::path(root) / m.connector_name, ec);
  if (ec) {
    return Fail(kExitFailed,
                "cannot create " + root + "/" + m.connector_name + ": " + ec.message());
  }

  // Staged beside the connector folders (same file system, so the final rename is atomic);
  // a leftover staging folder holds no <name>/<version>/ layout and is never picked up.
  auto staging = MakeTempDir(root, ".tmp-install-");
  if (!staging.ok()) return Fail(kExitFailed, staging.status().message());
  Status status = Stage(wasm_path, manifest_path, m, *sha, *staging);
  if (status.ok()) {
    auto native = translate::EnsureNativeCode(*staging + "/" + m.artifact.entry_point,
                                              m.connector_name, m.version, *cache_dir);
    status = native.ok() ? Publish(*staging, dir, root) : native.status();
  }
  if (!status.ok()) {
    RemoveAll(*staging);
    return Fail(ExitCodeFor(status), status.message());
  }
  std::string report = "Installed " + m.connector_name + " " + m.version + " (" + m.id +
                       ") -> " + dir + " (native code cached)\n";
  for (const auto& other : same_name) {
    report += "Shares its name with " + other + " (`use: " + m.connector_name +
              "` runs the first found; see `rapidbyte connectors list`)\n";
  }
  Print(stdout, report + PermissionLines(m));
  return kExitOk;
}

}  // namespace rapidbyte::cli
