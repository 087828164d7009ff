// File and directory operations of dest-files on a local directory (WASI beneath the
// preopen the manifest grants; see docs/connectors/abi.md "The sandbox"). Every error names
// the path and the system's reason. Guest code (wasi-libc).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sdk/outcome.h"

namespace rapidbyte::files {

/// Create `path` and its missing parents.
sdk::Outcome<void> MakeDirs(const std::string& path);
/// The names in directory `path` (no "." or ".."); entries of any kind.
sdk::Outcome<std::vector<std::string>> ListDir(const std::string& path);
/// Whether `path` exists.
bool Exists(const std::string& path);
/// The whole of a small file, or nullopt when it does not exist.
sdk::Outcome<std::optional<std::string>> ReadSmallFile(const std::string& path);
/// Replace `path` atomically with `contents`: write `path`.tmp, fsync, rename, fsync the
/// directory.
sdk::Outcome<void> ReplaceFile(const std::string& path, std::string_view contents);
/// rename(2) `from` to `to` (same directory tree), then nothing else.
sdk::Outcome<void> Rename(const std::string& from, const std::string& to);
/// Remove a file; a missing one is not an error.
sdk::Outcome<void> RemoveFile(const std::string& path);
/// fsync a directory so the renames and removals in it are durable.
sdk::Outcome<void> SyncDir(const std::string& path);

/// A file being written: created (truncated) on Open, written in order, fsynced on Close.
class OutputFile {
 public:
  OutputFile() = default;
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  sdk::Outcome<void> Open(const std::string& path);
  sdk::Outcome<void> Write(std::span<const std::uint8_t> bytes);
  /// fsync and close.
  sdk::Outcome<void> Close();
  /// Close without syncing (after a failure); never fails.
  void Discard();
  bool is_open() const { return fd_ >= 0; }
  std::uint64_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  std::uint64_t size_ = 0;
  std::string path_;
};

}  // namespace rapidbyte::files
