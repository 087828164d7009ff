// Cache lookup, locking and publication. Trust model: the cache directory must belong to
// the current user and not be writable by others (anyone who can write there could plant
// native code); inside it, nothing is loaded unless its footer verifies.
#include "plugin/translate/cache.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <sys/file.h>
#include <sys/stat.h>

#include "base/log.h"
#include "plugin/translate/files.h"
#include "plugin/translate/sha256.h"
#include "plugin/translate/translator.h"
#include "plugin/translate/wasm_module_info.h"

namespace rapidbyte::plugin::translate {
namespace {

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

// An exclusive flock(2) on a lock file, held until destruction. Each instance opens its own
// file description, so two threads of one process exclude each other too.
class FileLock {
 public:
  FileLock() = default;
  ~FileLock() {
    if (fd_ >= 0) close(fd_);  // releases the lock
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

  Status Acquire(const std::string& path) {
    fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) return Status::Internal("cannot open " + path + ": " + std::strerror(errno));
    while (flock(fd_, LOCK_EX) != 0) {
      if (errno != EINTR) {
        return Status::Internal("cannot lock " + path + ": " + std::strerror(errno));
      }
    }
    return Status::OK();
  }

 private:
  int fd_ = -1;
};

// A mkdtemp directory, removed with its contents on destruction.
class TempDir {
 public:
  TempDir() = default;
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  Status Create(const std::string& parent) {
    std::string pattern = parent + "/.tmp-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      return Status::Internal("cannot create a directory in " + parent + ": " +
                              std::strerror(errno));
    }
    path_ = pattern;
    return Status::OK();
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string NativeDir(const std::string& cache_dir) { return cache_dir + "/native"; }

// Create <cache>/native (0700) and check that nobody else can write to it.
Status PrepareNativeDir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(dir).parent_path(), ec);
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Status::FailedPrecondition("cannot create native-code cache " + dir + ": " +
                                      std::strerror(errno));
  }
  struct stat st;
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Status::FailedPrecondition("native-code cache " + dir + " is not a directory");
  }
  if (st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return Status::FailedPrecondition("refusing to use native-code cache " + dir +
                                      ": it is writable by another user");
  }
  return Status::OK();
}

std::string BundledPath(const std::string& wasm_path) {
  std::filesystem::path path(wasm_path);
  return path.replace_extension(".so").string();
}

// Verify `path` for use; a failure is reported through Log when `what` is set.
bool Usable(const std::string& path, const std::string& sha256, LogLevel level,
            std::string_view what) {
  if (!Exists(path)) return false;
  Status status = VerifyNativeCode(path, sha256);
  if (status.ok()) return true;
  Log(level, std::string(what) + ": " + status.message());
  return false;
}

Status Publish(const std::string& wasm_path, const std::vector<std::uint8_t>& wasm,
               const std::string& sha256, const std::string& connector, const std::string& version,
               const std::string& native_dir, const std::string& entry) {
  TempDir work;
  RB_RETURN_NOT_OK(work.Create(native_dir));
  // Translate the bytes that were hashed, not whatever the file holds by now.
  const std::string private_wasm = work.path() + "/module.wasm";
  RB_RETURN_NOT_OK(WriteFileBytes(
      private_wasm, std::string_view(reinterpret_cast<const char*>(wasm.data()), wasm.size())));
  TranslateRequest request{private_wasm, sha256,      connector,
                           version,      work.path(), work.path() + "/module.so"};
  Status translated = Translate(request);
  if (!translated.ok()) return translated;
  Status verified = VerifyNativeCode(request.output_path, sha256);
  if (!verified.ok()) {
    return Status::Internal("translation of " + wasm_path +
                            " produced unusable code: " + verified.message());
  }
  if (std::rename(request.output_path.c_str(), entry.c_str()) != 0) {
    return Status::Internal("cannot store " + entry + ": " + std::strerror(errno));
  }
  return Status::OK();
}

void SetOrigin(const EnsureOptions& options, NativeCodeOrigin origin) {
  if (options.origin != nullptr) *options.origin = origin;
}

}  // namespace

std::string_view NativeCodeOriginName(NativeCodeOrigin origin) {
  switch (origin) {
    case NativeCodeOrigin::kBundled:
      return "bundled";
    case NativeCodeOrigin::kCached:
      return "cached";
    case NativeCodeOrigin::kTranslated:
      return "translated";
  }
  return "?";
}

Result<std::string> DefaultCacheDir() {
  const char* dir = std::getenv("RAPIDBYTE_CACHE_DIR");
  if (dir != nullptr && *dir != '\0') return std::string(dir);
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') {
    return Status::FailedPrecondition(
        "cannot locate the native-code cache: set RAPIDBYTE_CACHE_DIR or HOME");
  }
  return std::string(home) + "/.rapidbyte/cache";
}

std::string NativeCacheEntryPath(const std::string& cache_dir, std::string_view wasm_sha256) {
  static const std::string* key_hash = [] {
    const std::string& key = HostAbiKey();
    auto hash = Sha256Hex({reinterpret_cast<const std::uint8_t*>(key.data()), key.size()});
    return new std::string(hash.ok() ? hash->substr(0, 16) : "nokey");
  }();
  return NativeDir(cache_dir) + "/" + std::string(wasm_sha256) + "-" + *key_hash + ".so";
}

Result<std::string> EnsureNativeCode(const std::string& wasm_path, const std::string& connector,
                                     const std::string& version, const std::string& cache_dir,
                                     const EnsureOptions& options) {
  std::vector<std::uint8_t> wasm;
  std::string sha256 = options.wasm_sha256;
  if (sha256.empty()) {
    RB_ASSIGN_OR_RETURN(wasm, ReadFileBytes(wasm_path, kMaxWasmModuleBytes));
    RB_ASSIGN_OR_RETURN(sha256, Sha256Hex(wasm));
  }
  if (options.accept_bundled) {
    const std::string bundled = BundledPath(wasm_path);
    if (Usable(bundled, sha256, LogLevel::kDebug, "bundled native code not used")) {
      SetOrigin(options, NativeCodeOrigin::kBundled);
      return bundled;
    }
  }
  const std::string native_dir = NativeDir(cache_dir);
  RB_RETURN_NOT_OK(PrepareNativeDir(native_dir));
  const std::string entry = NativeCacheEntryPath(cache_dir, sha256);
  constexpr std::string_view kDiscarding = "discarding native-code cache entry";
  if (Usable(entry, sha256, LogLevel::kWarn, kDiscarding)) {
    SetOrigin(options, NativeCodeOrigin::kCached);
    return entry;
  }
  FileLock lock;
  RB_RETURN_NOT_OK(lock.Acquire(entry + ".lock"));
  // Another thread or process may have published the entry while we waited.
  if (Usable(entry, sha256, LogLevel::kWarn, kDiscarding)) {
    SetOrigin(options, NativeCodeOrigin::kCached);
    return entry;
  }
  if (wasm.empty()) {
    RB_ASSIGN_OR_RETURN(wasm, ReadFileBytes(wasm_path, kMaxWasmModuleBytes));
    RB_ASSIGN_OR_RETURN(std::string now, Sha256Hex(wasm));
    if (now != sha256) {
      return Status::FailedPrecondition(wasm_path + " changed while it was being loaded; try again");
    }
  }
  RB_RETURN_NOT_OK(Publish(wasm_path, wasm, sha256, connector, version, native_dir, entry));
  SetOrigin(options, NativeCodeOrigin::kTranslated);
  return entry;
}

Result<NativeCodeState> ProbeNativeCode(const std::string& wasm_path, const std::string& cache_dir,
                                        bool accept_bundled) {
  RB_ASSIGN_OR_RETURN(std::vector<std::uint8_t> wasm,
                      ReadFileBytes(wasm_path, kMaxWasmModuleBytes));
  RB_ASSIGN_OR_RETURN(std::string sha256, Sha256Hex(wasm));
  if (accept_bundled &&
      Usable(BundledPath(wasm_path), sha256, LogLevel::kDebug, "bundled native code not used")) {
    return NativeCodeState::kBundled;
  }
  const std::string native_dir = NativeDir(cache_dir);
  struct stat st;
  if (stat(native_dir.c_str(), &st) == 0 && st.st_uid == geteuid() &&
      (st.st_mode & (S_IWGRP | S_IWOTH)) == 0 &&
      Usable(NativeCacheEntryPath(cache_dir, sha256), sha256, LogLevel::kDebug,
             "native-code cache entry not usable")) {
    return NativeCodeState::kCached;
  }
  return NativeCodeState::kNeedsTranslation;
}

}  // namespace rapidbyte::plugin::translate
