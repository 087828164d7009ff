// Loading a resolved connector: checksum, module checks, native code, dlopen, timing.
#include "plugin/connector_loader.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <span>
#include <vector>

#include <sys/stat.h>

#include "base/log.h"
#include "base/strings.h"
#include "plugin/manifest/checksum.h"
#include "plugin/translate/files.h"
#include "plugin/translate/native_footer.h"
#include "plugin/translate/sha256.h"
#include "plugin/translate/wasm_module_info.h"

namespace rapidbyte::plugin {
namespace {

using Clock = std::chrono::steady_clock;

double MillisSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string Who(const manifest::Manifest& m) { return "connector " + m.id + " " + m.version; }

// The first role in `roles` that `m` does not declare, or "".
std::string UndeclaredRole(const manifest::Manifest& m, translate::ConnectorRoles roles) {
  if (roles.source && !m.HasRole(manifest::Role::kSource)) return "source";
  if (roles.destination && !m.HasRole(manifest::Role::kDestination)) return "destination";
  if (roles.transform && !m.HasRole(manifest::Role::kTransform)) return "transform";
  return "";
}

// The footer of `so_path` must name `wasm_sha256`: the object is the translation of exactly
// the bytes that were checked (EnsureNativeCode reads the .wasm again by itself).
Status CheckTranslatedFrom(const std::string& so_path, const std::string& wasm_sha256,
                           const std::string& who) {
  const int fd = open(so_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Status::FailedPrecondition(who + ": cannot open native code " + so_path + ": " +
                                      std::strerror(errno));
  }
  struct stat st {};
  translate::NativeFooter footer;
  std::uint64_t payload = 0;
  Status status = fstat(fd, &st) == 0
                      ? translate::ReadNativeFooter(fd, static_cast<std::uint64_t>(st.st_size),
                                                    &footer, &payload)
                      : Status::FailedPrecondition(std::string("fstat: ") + std::strerror(errno));
  close(fd);
  RB_RETURN_NOT_OK(status.WithContext(who + ": native code " + so_path));
  if (footer.wasm_sha256 != wasm_sha256) {
    return Status::FailedPrecondition(who + ": the module changed while it was being loaded (" +
                                      so_path + " was translated from other bytes); try again");
  }
  return Status::OK();
}

}  // namespace

translate::ConnectorRoles DeclaredRoles(const manifest::Manifest& manifest) {
  return {.source = manifest.HasRole(manifest::Role::kSource),
          .destination = manifest.HasRole(manifest::Role::kDestination),
          .transform = manifest.HasRole(manifest::Role::kTransform)};
}

Result<std::string> CheckConnectorModule(const manifest::Manifest& m, const std::string& wasm_path,
                                         translate::ConnectorRoles roles) {
  const std::string who = Who(m);
  if (const std::string role = UndeclaredRole(m, roles); !role.empty()) {
    return Status::InvalidArgument(who + ": does not declare the " + role +
                                   " role (roles: " + Join(m.RoleNames(), ", ") + ")");
  }
  auto bytes = translate::ReadFileBytes(wasm_path, translate::kMaxWasmModuleBytes);
  if (!bytes.ok()) return bytes.status().WithContext(who);
  RB_ASSIGN_OR_RETURN(std::string sha, translate::Sha256Hex(*bytes));
  RB_RETURN_NOT_OK(manifest::VerifyChecksum(m, wasm_path, sha));
  RB_RETURN_NOT_OK(translate::CheckModuleBytes(*bytes, {m.id, m.version}, roles));
  return sha;
}

Result<LoadedConnector> LoadConnector(const manifest::ResolvedConnector& connector,
                                      translate::ConnectorRoles roles, const std::string& cache_dir,
                                      bool bundled_location) {
  const manifest::Manifest& m = connector.manifest;
  const std::string who = Who(m);
  LoadedConnector out;
  out.wasm_path = connector.wasm_path;
  RB_ASSIGN_OR_RETURN(out.wasm_sha256, CheckConnectorModule(m, connector.wasm_path, roles));

  const Clock::time_point lookup_start = Clock::now();
  translate::EnsureOptions options;
  options.accept_bundled = bundled_location;
  options.origin = &out.origin;
  options.wasm_sha256 = out.wasm_sha256;
  RB_ASSIGN_OR_RETURN(out.native_path,
                      translate::EnsureNativeCode(connector.wasm_path, m.connector_name, m.version,
                                                  cache_dir, options));
  const double lookup_ms = MillisSince(lookup_start);
  const Clock::time_point load_start = Clock::now();
  RB_RETURN_NOT_OK(CheckTranslatedFrom(out.native_path, out.wasm_sha256, who));
  RB_ASSIGN_OR_RETURN(out.module, Module::Load(out.native_path, m.connector_name));
  const double load_ms = MillisSince(load_start);
  if (out.origin == translate::NativeCodeOrigin::kTranslated) {
    out.translate_ms = lookup_ms;
    out.module_load_ms = load_ms;
  } else {
    out.module_load_ms = lookup_ms + load_ms;
  }
  Log(LogLevel::kDebug, "loaded connector native code",
      {{"connector", m.Label()},
       {"path", out.native_path},
       {"origin", std::string(translate::NativeCodeOriginName(out.origin))},
       {"module_load_ms", std::to_string(out.module_load_ms)}});
  return out;
}

std::string BundledConnectorDirFor(const std::string& exe_path) {
  namespace fs = std::filesystem;
  const fs::path prefix = fs::path(exe_path).parent_path().parent_path();
  std::error_code ec;
  if (fs::is_regular_file(prefix / "CMakeCache.txt", ec)) return (prefix / "connectors").string();
  return (prefix / "lib" / "rapidbyte" / "connectors").string();
}

Result<std::string> BundledConnectorDir() {
  std::vector<char> buffer(4096);
  const ssize_t n = readlink("/proc/self/exe", buffer.data(), buffer.size());
  if (n <= 0 || static_cast<std::size_t>(n) >= buffer.size()) {
    return Status::NotFound(std::string("cannot read the executable's path (/proc/self/exe): ") +
                            (n < 0 ? std::strerror(errno) : "path too long"));
  }
  return BundledConnectorDirFor(std::string(buffer.data(), static_cast<std::size_t>(n)));
}

}  // namespace rapidbyte::plugin
