// POSIX file operations through wasi-libc.
#include "connectors/files/local_dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sdk/errors.h"

namespace rapidbyte::files {
namespace {

// The error for a failed system call on `path`: no permission (the sandbox refuses paths
// outside the configured directory as ENOTCAPABLE) or a disk that is full are named as such.
sdk::ConnectorError FileError(const char* what, const std::string& path, int err) {
  const std::string message =
      std::string(what) + " '" + path + "' failed: " + std::strerror(err);
  if (err == EACCES || err == EPERM || err == ENOTCAPABLE || err == EROFS) {
    return sdk::PermissionError("FILE_PERMISSION_DENIED", message);
  }
  if (err == ENOSPC || err == EDQUOT) return sdk::InternalError("DISK_FULL", message);
  return sdk::InternalError("FILE_IO_ERROR", message);
}

std::string Parent(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

sdk::Outcome<void> MakeDirs(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return {};
    return FileError("mkdir", path, ENOTDIR);
  }
  const std::string parent = Parent(path);
  if (parent != path && parent != "/" && parent != ".") RB_TRY(MakeDirs(parent));
  if (::mkdir(path.c_str(), 0777) != 0 && errno != EEXIST) return FileError("mkdir", path, errno);
  return {};
}

sdk::Outcome<std::vector<std::string>> ListDir(const std::string& path) {
  DIR* dir = ::opendir(path.c_str());
  if (dir == nullptr) return FileError("listing", path, errno);
  std::vector<std::string> names;
  errno = 0;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  const int err = errno;
  ::closedir(dir);
  if (err != 0) return FileError("listing", path, err);
  return names;
}

bool Exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

sdk::Outcome<std::optional<std::string>> ReadSmallFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return FileError("opening", path, errno);
  }
  std::string out;
  char buf[16384];
  while (true) {
    const ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return FileError("reading", path, err);
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (out.size() > (std::size_t{16} << 20)) {
      ::close(fd);
      return sdk::DataError("FILE_TOO_LARGE", "'" + path + "' is larger than 16 MiB");
    }
  }
  ::close(fd);
  return std::optional<std::string>(std::move(out));
}

sdk::Outcome<void> ReplaceFile(const std::string& path, std::string_view contents) {
  const std::string tmp = path + ".tmp";
  OutputFile file;
  RB_TRY(file.Open(tmp));
  RB_TRY(file.Write(std::span<const std::uint8_t>(
      reinterpret_cast<const std::uint8_t*>(contents.data()), contents.size())));
  RB_TRY(file.Close());
  RB_TRY(Rename(tmp, path));
  return SyncDir(Parent(path));
}

sdk::Outcome<void> Rename(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    return FileError("renaming", from + "' to '" + to, errno);
  }
  return {};
}

sdk::Outcome<void> RemoveFile(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return FileError("removing", path, errno);
  return {};
}

sdk::Outcome<void> SyncDir(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return FileError("opening directory", path, errno);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return FileError("fsync of directory", path, err);
  return {};
}

OutputFile::~OutputFile() { Discard(); }

sdk::Outcome<void> OutputFile::Open(const std::string& path) {
  Discard();
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
  if (fd_ < 0) return FileError("creating", path, errno);
  path_ = path;
  size_ = 0;
  return {};
}

sdk::Outcome<void> OutputFile::Write(std::span<const std::uint8_t> bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return FileError("writing", path_, errno);
    }
    bytes = bytes.subspan(static_cast<std::size_t>(n));
    size_ += static_cast<std::uint64_t>(n);
  }
  return {};
}

sdk::Outcome<void> OutputFile::Close() {
  if (fd_ < 0) return {};
  const int rc = ::fsync(fd_);
  const int err = errno;
  ::close(fd_);
  fd_ = -1;
  if (rc != 0) return FileError("fsync of", path_, err);
  return {};
}

void OutputFile::Discard() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

}  // namespace rapidbyte::files
