// The WASI file table of one instance: descriptors 0-2 are the standard streams (handled in
// wasi_core.cc); from 3 on come the manifest's preopened directories, then files the guest
// opened beneath them. Host descriptors are owned here and closed with the instance.
//
// Not thread-safe; used on the instance's thread only.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace rapidbyte::plugin::wasi {

/// A preopened directory: visible to the guest under its own absolute path.
struct Preopen {
  std::string path;
  bool writable = false;
};

class OwnedFd {
 public:
  OwnedFd() = default;
  explicit OwnedFd(int fd) : fd_(fd) {}
  OwnedFd(OwnedFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  OwnedFd& operator=(OwnedFd&& other) noexcept {
    if (this != &other) {
      Reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  OwnedFd(const OwnedFd&) = delete;
  OwnedFd& operator=(const OwnedFd&) = delete;
  ~OwnedFd() { Reset(); }
  int get() const { return fd_; }
  void Reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

struct OpenFile {
  OwnedFd fd;
  bool directory = false;
  bool writable = false;   // writes allowed (inherited from the preopen)
  bool preopen = false;
  std::string guest_path;  // preopens only
  std::uint64_t unflushed = 0;  // bytes written since writeback was last started
};

/// Descriptors from 3 upwards; a closed slot has fd -1.
struct FileTable {
  bool initialized = false;
  std::vector<OpenFile> files;
  static constexpr std::uint32_t kFirstFd = 3;
};

}  // namespace rapidbyte::plugin::wasi
