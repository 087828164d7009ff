// FileLockProvider (see file_lock.h).
#include "state/sqlite/file_lock.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "state/state_util.h"

namespace rapidbyte::state {
namespace {

Status Errno(std::string_view what, const std::string& path, int err) {
  StatusCode code = err == EACCES || err == EPERM || err == EROFS
                        ? StatusCode::kPermissionDenied
                        : StatusCode::kUnavailable;
  return Status(code, "state lock " + path + ": " + std::string(what) + ": " +
                          std::strerror(err));
}

/// Owns the locked descriptor; closing it releases the flock.
class FileLock final : public PipelineLock {
 public:
  explicit FileLock(int fd) : fd_(fd) {}
  ~FileLock() override { close(fd_); }

 private:
  int fd_;
};

}  // namespace

std::string FileLockProvider::LockPath(const std::string& pipeline) const {
  return directory_ + "/" + LockFileStem(pipeline) + ".lock";
}

Result<std::unique_ptr<PipelineLock>> FileLockProvider::TryAcquire(const std::string& pipeline) {
  if (mkdir(directory_.c_str(), 0755) != 0 && errno != EEXIST) {
    return Errno("cannot create the lock directory", directory_, errno);
  }
  std::string path = LockPath(pipeline);
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("cannot open", path, errno);
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    close(fd);
    if (err == EWOULDBLOCK) return std::unique_ptr<PipelineLock>();
    return Errno("cannot lock", path, err);
  }
  return std::unique_ptr<PipelineLock>(std::make_unique<FileLock>(fd));
}

Result<bool> FileLockProvider::IsHeld(const std::string& pipeline) {
  std::string path = LockPath(pipeline);
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return false;  // never locked on this machine
    return Errno("cannot open", path, errno);
  }
  bool held = false;
  if (flock(fd, LOCK_SH | LOCK_NB) != 0) {
    int err = errno;
    close(fd);
    if (err != EWOULDBLOCK) return Errno("cannot probe", path, err);
    held = true;
  } else {
    close(fd);  // releases the probe's shared lock
  }
  return held;
}

}  // namespace rapidbyte::state
