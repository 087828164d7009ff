// POSIX file I/O returning Status; every call retries on EINTR.
#include "plugin/translate/files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <sys/stat.h>

namespace rapidbyte::plugin::translate {
namespace {

std::string Errno() { return std::strerror(errno); }

}  // namespace

Result<std::vector<std::uint8_t>> ReadFileBytes(const std::string& path, std::uint64_t max_bytes) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::NotFound("cannot open " + path + ": " + Errno());
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return Status::InvalidArgument(path + " is not a regular file");
  }
  if (static_cast<std::uint64_t>(st.st_size) > max_bytes) {
    close(fd);
    return Status::InvalidArgument(path + " is larger than " + std::to_string(max_bytes) +
                                   " bytes");
  }
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(st.st_size));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t got = read(fd, bytes.data() + done, bytes.size() - done);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      const std::string why = got < 0 ? Errno() : "file shrank while reading";
      close(fd);
      return Status::Internal("cannot read " + path + ": " + why);
    }
    done += static_cast<std::size_t>(got);
  }
  close(fd);
  return bytes;
}

Status WriteFileBytes(const std::string& path, std::string_view data) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::Internal("cannot create " + path + ": " + Errno());
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t put = write(fd, data.data() + done, data.size() - done);
    if (put < 0 && errno == EINTR) continue;
    if (put < 0) {
      const std::string why = Errno();
      close(fd);
      return Status::Internal("cannot write " + path + ": " + why);
    }
    done += static_cast<std::size_t>(put);
  }
  if (close(fd) != 0) return Status::Internal("cannot write " + path + ": " + Errno());
  return Status::OK();
}

}  // namespace rapidbyte::plugin::translate
