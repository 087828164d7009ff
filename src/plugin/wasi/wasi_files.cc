// WASI preview 1 file, directory and socket functions (SPEC §4.8). Only the manifest's
// preopened directories are visible. Every path is resolved by the kernel with openat2 and
// RESOLVE_BENEATH, so neither ".." nor a symlink can leave a preopen; writes need a preopen
// declared writable. Directory operations by path (mkdir, rename, unlink, rmdir, stat) are
// in wasi_paths.cc; standard streams in wasi_core.cc. Sockets are never available to
// connectors (networking goes through the rapidbyte host functions).
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "plugin/guest_memory.h"
#include "plugin/host_context.h"
#include "plugin/runtime/guest_thread.h"
#include "plugin/wasi/errno.h"
#include "plugin/wasi/wasi_files_internal.h"

using rapidbyte::plugin::GuestMemory;
using rapidbyte::plugin::HostContext;
using rapidbyte::plugin::runtime::HostCallScope;
using namespace rapidbyte::plugin::wasi;  // NOLINT: errno names

using W = Z_wasi_snapshot_preview1_instance_t;
using u32 = std::uint32_t;
using u64 = std::uint64_t;

namespace rapidbyte::plugin::wasi {

u32 FromHostErrno(int err) {
  switch (err) {
    case ENOENT: return kErrnoNoent;
    case EEXIST: return kErrnoExist;
    case ENOTDIR: return kErrnoNotdir;
    case EISDIR: return kErrnoIsdir;
    case ENOTEMPTY: return kErrnoNotempty;
    case ELOOP: return kErrnoLoop;
    case EXDEV: return kErrnoNotcapable;  // openat2: the path would leave the preopen
    case EACCES: return kErrnoAcces;
    case EPERM: return kErrnoPerm;
    case ENOSYS: return kErrnoNotcapable;
    case EBADF: return kErrnoBadf;
    case EBUSY: return kErrnoBusy;
    case EINVAL: return kErrnoInval;
    case ENAMETOOLONG: return kErrnoNametoolong;
    case ENOSPC: return kErrnoNospc;
    case EDQUOT: return kErrnoDquot;
    case EFBIG: return kErrnoFbig;
    case EROFS: return kErrnoRofs;
    case EMLINK: return kErrnoMlink;
    case EMFILE: return kErrnoMfile;
    case ENFILE: return kErrnoNfile;
    case ENOMEM: return kErrnoNomem;
    case ETXTBSY: return kErrnoTxtbsy;
    default: return kErrnoIo;
  }
}

FileTable& Table(HostContext& ctx) {
  if (!ctx.files.initialized) {
    ctx.files.initialized = true;
    for (const auto& pre : ctx.wasi.preopens) {
      const int fd = ::open(pre.path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
      if (fd < 0) continue;
      OpenFile file;
      file.fd = OwnedFd(fd);
      file.directory = true;
      file.writable = pre.writable;
      file.preopen = true;
      file.guest_path = pre.path;
      ctx.files.files.push_back(std::move(file));
    }
  }
  return ctx.files;
}

OpenFile* Lookup(HostContext& ctx, u32 fd) {
  FileTable& table = Table(ctx);
  if (fd < FileTable::kFirstFd || fd - FileTable::kFirstFd >= table.files.size()) return nullptr;
  OpenFile& file = table.files[fd - FileTable::kFirstFd];
  return file.fd.get() >= 0 ? &file : nullptr;
}

long OpenBeneath(int dirfd, const std::string& path, u64 flags, u64 mode) {
  open_how how{};
  how.flags = flags | O_CLOEXEC;
  how.mode = mode;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  return syscall(SYS_openat2, dirfd, path.c_str(), &how, sizeof(how));
}

u32 ReadGuestPath(const GuestMemory& memory, u32 ptr, u32 len, std::string* out) {
  if (len > 4096 || !memory.Read(ptr, len, out)) return kErrnoFault;
  return out->find('\0') == std::string::npos ? kErrnoSuccess : kErrnoInval;
}

bool WriteFilestat(const GuestMemory& memory, u32 out, const struct stat& st) {
  std::uint8_t buf[64] = {};
  auto put = [&](int at, u64 v) {
    for (int b = 0; b < 8; ++b) buf[at + b] = static_cast<std::uint8_t>(v >> (8 * b));
  };
  auto nanos = [](const timespec& t) {
    return static_cast<u64>(t.tv_sec) * 1000000000ull + static_cast<u64>(t.tv_nsec);
  };
  put(0, st.st_dev);
  put(8, st.st_ino);
  // filetype: 1 block device, 2 character device, 3 directory, 4 regular file,
  // 6 stream socket, 7 symbolic link, 0 anything else.
  buf[16] = S_ISBLK(st.st_mode)    ? 1
            : S_ISCHR(st.st_mode)  ? 2
            : S_ISDIR(st.st_mode)  ? 3
            : S_ISREG(st.st_mode)  ? 4
            : S_ISSOCK(st.st_mode) ? 6
            : S_ISLNK(st.st_mode)  ? 7
                                   : 0;
  put(24, st.st_nlink);
  put(32, static_cast<u64>(st.st_size));
  put(40, nanos(st.st_atim));
  put(48, nanos(st.st_mtim));
  put(56, nanos(st.st_ctim));
  return memory.Write(out, buf);
}

}  // namespace rapidbyte::plugin::wasi

namespace {

constexpr u64 kRightFdWrite = 1ull << 6;
constexpr u32 kMaxIo = 16u << 20;
// Bytes written to a file between starts of its writeback (sync_file_range).
constexpr u64 kFlushAfter = u64{8} << 20;

// Copy the guest's iovec array (ptr, len pairs) after checking it.
bool ReadIovecs(const GuestMemory& memory, u32 iovs, u32 count,
                std::vector<std::pair<u32, u32>>* out) {
  if (count > 1024) return false;
  for (u32 k = 0; k < count; ++k) {
    std::uint8_t raw[8];
    if (!memory.Read(iovs + 8 * k, 8, raw)) return false;
    const u32 ptr = raw[0] | raw[1] << 8 | raw[2] << 16 | static_cast<u32>(raw[3]) << 24;
    const u32 len = raw[4] | raw[5] << 8 | raw[6] << 16 | static_cast<u32>(raw[7]) << 24;
    if (!memory.InBounds(ptr, len)) return false;
    out->emplace_back(ptr, len);
  }
  return true;
}

// fsync (or fdatasync) a file or a directory: a destination fsyncs its file, renames it into
// place and fsyncs the directory (SPEC §16.2). A preopen is held as O_PATH, which cannot be
// synced, so its directory is opened for the call. The standard streams go to the log.
u32 SyncFile(HostContext& ctx, u32 fd, bool data_only) {
  if (fd <= 2) return kErrnoSuccess;
  OpenFile* file = Lookup(ctx, fd);
  if (file == nullptr) return kErrnoBadf;
  int target = file->fd.get();
  OwnedFd reopened;
  if (file->preopen) {
    reopened = OwnedFd(::openat(target, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (reopened.get() < 0) return FromHostErrno(errno);
    target = reopened.get();
  }
  const int rc = data_only ? ::fdatasync(target) : ::fsync(target);
  return rc == 0 ? kErrnoSuccess : FromHostErrno(errno);
}

}  // namespace

extern "C" {

u32 Z_wasi_snapshot_preview1Z_fd_prestat_get(W* i, u32 fd, u32 out) noexcept {
  HostCallScope scope;
  OpenFile* file = Lookup(*i->host, fd);
  if (file == nullptr || !file->preopen) return kErrnoBadf;
  std::uint8_t prestat[8] = {};  // tag 0 (directory), then u32 name length at offset 4
  const auto len = static_cast<u32>(file->guest_path.size());
  for (int b = 0; b < 4; ++b) prestat[4 + b] = static_cast<std::uint8_t>(len >> (8 * b));
  return GuestMemory(i->host->memory).Write(out, prestat) ? kErrnoSuccess : kErrnoFault;
}

u32 Z_wasi_snapshot_preview1Z_fd_prestat_dir_name(W* i, u32 fd, u32 path, u32 path_len) noexcept {
  HostCallScope scope;
  OpenFile* file = Lookup(*i->host, fd);
  if (file == nullptr || !file->preopen) return kErrnoBadf;
  if (path_len < file->guest_path.size()) return kErrnoInval;
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(file->guest_path.data());
  return GuestMemory(i->host->memory).Write(path, {bytes, file->guest_path.size()}) ? kErrnoSuccess
                                                                                   : kErrnoFault;
}

// oflags: 1 creat, 2 directory, 4 excl, 8 trunc. fdflags: 1 append.
u32 Z_wasi_snapshot_preview1Z_path_open(W* i, u32 dirfd, u32 /*dirflags*/, u32 path_ptr,
                                        u32 path_len, u32 oflags, u64 rights, u64 /*inheriting*/,
                                        u32 fdflags, u32 fd_out) noexcept {
  HostCallScope scope;
  HostContext& ctx = *i->host;
  OpenFile* dir = Lookup(ctx, dirfd);
  if (dir == nullptr || !dir->directory) return kErrnoBadf;
  std::string path;
  GuestMemory memory(ctx.memory);
  if (const u32 err = ReadGuestPath(memory, path_ptr, path_len, &path); err != kErrnoSuccess) {
    return err;
  }
  const bool write = (rights & kRightFdWrite) != 0 || (oflags & (1 | 8)) != 0;
  if (write && !dir->writable) return kErrnoNotcapable;
  u64 flags = O_NOCTTY;
  flags |= write ? O_RDWR : O_RDONLY;
  if ((oflags & 1) != 0) flags |= O_CREAT;
  if ((oflags & 2) != 0) flags = O_DIRECTORY | O_RDONLY;
  if ((oflags & 4) != 0) flags |= O_EXCL;
  if ((oflags & 8) != 0) flags |= O_TRUNC;
  if ((fdflags & 1) != 0) flags |= O_APPEND;
  const long fd = OpenBeneath(dir->fd.get(), path, flags, (flags & O_CREAT) != 0 ? 0644 : 0);
  if (fd < 0) return FromHostErrno(errno);
  struct stat st {};
  fstat(static_cast<int>(fd), &st);
  OpenFile file;
  file.fd = OwnedFd(static_cast<int>(fd));
  file.directory = S_ISDIR(st.st_mode);
  file.writable = dir->writable;
  FileTable& table = Table(ctx);
  table.files.push_back(std::move(file));
  const auto guest_fd = static_cast<u32>(FileTable::kFirstFd + table.files.size() - 1);
  if (!memory.WriteU32(fd_out, guest_fd)) return kErrnoFault;
  return kErrnoSuccess;
}

u32 Z_wasi_snapshot_preview1Z_fd_read(W* i, u32 fd, u32 iovs, u32 iovs_len, u32 nread) noexcept {
  HostCallScope scope;
  GuestMemory memory(i->host->memory);
  if (fd == 0) return memory.WriteU32(nread, 0) ? kErrnoSuccess : kErrnoFault;  // stdin: EOF
  OpenFile* file = Lookup(*i->host, fd);
  if (file == nullptr || file->directory) return kErrnoBadf;
  std::vector<std::pair<u32, u32>> vecs;
  if (!ReadIovecs(memory, iovs, iovs_len, &vecs)) return kErrnoFault;
  u64 total = 0;
  for (const auto& [ptr, len] : vecs) {
    std::vector<std::uint8_t> buffer(len < kMaxIo ? len : kMaxIo);
    const ssize_t n = ::read(file->fd.get(), buffer.data(), buffer.size());
    if (n < 0) return FromHostErrno(errno);
    memory.Write(ptr, {buffer.data(), static_cast<std::size_t>(n)});
    total += static_cast<u64>(n);
    if (static_cast<std::size_t>(n) < buffer.size()) break;
  }
  return memory.WriteU32(nread, static_cast<u32>(total)) ? kErrnoSuccess : kErrnoFault;
}

// Writes to files opened beneath a writable preopen; fds 1 and 2 go to the log.
u32 RbWasiWriteFile(W* i, u32 fd, u32 iovs, u32 iovs_len, u32 nwritten) noexcept {
  GuestMemory memory(i->host->memory);
  OpenFile* file = Lookup(*i->host, fd);
  if (file == nullptr || file->directory) return kErrnoBadf;
  if (!file->writable) return kErrnoNotcapable;
  std::vector<std::pair<u32, u32>> vecs;
  if (!ReadIovecs(memory, iovs, iovs_len, &vecs)) return kErrnoFault;
  u64 total = 0;
  for (const auto& [ptr, len] : vecs) {
    // Straight from guest memory (ReadIovecs checked the range; the guest is paused during
    // the call): a copy would cost a fresh, page-faulted buffer per megabyte written.
    const std::span<const std::uint8_t> bytes = memory.Window(ptr, len);
    const ssize_t n = ::write(file->fd.get(), bytes.data(), bytes.size());
    if (n < 0) {
      if (total == 0) return FromHostErrno(errno);
      break;  // what was written is reported; the guest's retry meets the error
    }
    total += static_cast<u64>(n);
    if (static_cast<std::size_t>(n) < bytes.size()) break;  // short write: the guest retries
  }
  // Start the writeback of what was written every few megabytes, as PostgreSQL's
  // *_flush_after settings do: a destination fsyncs each file at its commit, and that fsync
  // then waits for the last few megabytes instead of the whole file.
  file->unflushed += total;
  if (file->unflushed >= kFlushAfter) {
    file->unflushed = 0;
    (void)::sync_file_range(file->fd.get(), 0, 0, SYNC_FILE_RANGE_WRITE);
  }
  return memory.WriteU32(nwritten, static_cast<u32>(total)) ? kErrnoSuccess : kErrnoFault;
}

u32 Z_wasi_snapshot_preview1Z_fd_fdstat_get(W* i, u32 fd, u32 out) noexcept {
  HostCallScope scope;
  std::uint8_t stat[24] = {};
  if (fd <= 2) {
    stat[0] = 2;  // character device
  } else {
    OpenFile* file = Lookup(*i->host, fd);
    if (file == nullptr) return kErrnoBadf;
    stat[0] = file->directory ? 3 : 4;  // directory : regular file
  }
  for (int b = 8; b < 24; ++b) stat[b] = 0xff;  // rights; the host enforces its own
  return GuestMemory(i->host->memory).Write(out, stat) ? kErrnoSuccess : kErrnoFault;
}

u32 Z_wasi_snapshot_preview1Z_fd_filestat_get(W* i, u32 fd, u32 out) noexcept {
  HostCallScope scope;
  OpenFile* file = Lookup(*i->host, fd);
  if (file == nullptr) return kErrnoBadf;
  struct stat st {};
  if (fstat(file->fd.get(), &st) != 0) return FromHostErrno(errno);
  return WriteFilestat(GuestMemory(i->host->memory), out, st) ? kErrnoSuccess : kErrnoFault;
}

u32 Z_wasi_snapshot_preview1Z_fd_close(W* i, u32 fd) noexcept {
  HostCallScope scope;
  if (fd <= 2) return kErrnoSuccess;
  OpenFile* file = Lookup(*i->host, fd);
  if (file == nullptr) return kErrnoBadf;
  file->fd.Reset();
  return kErrnoSuccess;
}

u32 Z_wasi_snapshot_preview1Z_fd_seek(W* i, u32 fd, u64 offset, u32 whence, u32 out) noexcept {
  HostCallScope scope;
  if (fd <= 2) return kErrnoSpipe;
  OpenFile* file = Lookup(*i->host, fd);
  if (file == nullptr || file->directory) return kErrnoBadf;
  const int how = whence == 0 ? SEEK_SET : whence == 1 ? SEEK_CUR : whence == 2 ? SEEK_END : -1;
  if (how < 0) return kErrnoInval;
  const off_t pos = lseek(file->fd.get(), static_cast<off_t>(offset), how);
  if (pos < 0) return FromHostErrno(errno);
  std::uint8_t le[8];
  for (int b = 0; b < 8; ++b) le[b] = static_cast<std::uint8_t>(static_cast<u64>(pos) >> (8 * b));
  return GuestMemory(i->host->memory).Write(out, le) ? kErrnoSuccess : kErrnoFault;
}

u32 Z_wasi_snapshot_preview1Z_fd_tell(W* i, u32 fd, u32 out) noexcept {
  return Z_wasi_snapshot_preview1Z_fd_seek(i, fd, 0, 1, out);
}

u32 Z_wasi_snapshot_preview1Z_fd_advise(W*, u32, u64, u64, u32) noexcept { return kErrnoSuccess; }
u32 Z_wasi_snapshot_preview1Z_fd_allocate(W*, u32, u64, u64) noexcept { return kErrnoNotsup; }
u32 Z_wasi_snapshot_preview1Z_fd_datasync(W* i, u32 fd) noexcept {
  HostCallScope scope;
  return SyncFile(*i->host, fd, true);
}
u32 Z_wasi_snapshot_preview1Z_fd_sync(W* i, u32 fd) noexcept {
  HostCallScope scope;
  return SyncFile(*i->host, fd, false);
}
u32 Z_wasi_snapshot_preview1Z_fd_fdstat_set_flags(W*, u32, u32) noexcept { return kErrnoNotcapable; }
u32 Z_wasi_snapshot_preview1Z_fd_fdstat_set_rights(W*, u32, u64, u64) noexcept { return kErrnoNotcapable; }
u32 Z_wasi_snapshot_preview1Z_fd_filestat_set_size(W*, u32, u64) noexcept { return kErrnoNotcapable; }
u32 Z_wasi_snapshot_preview1Z_fd_filestat_set_times(W*, u32, u64, u64, u32) noexcept {
  return kErrnoNotcapable;
}
u32 Z_wasi_snapshot_preview1Z_fd_pread(W*, u32, u32, u32, u64, u32) noexcept { return kErrnoNotsup; }
u32 Z_wasi_snapshot_preview1Z_fd_pwrite(W*, u32, u32, u32, u64, u32) noexcept { return kErrnoNotsup; }
// Directory listing (wasi-libc's opendir/readdir, e.g. a source globbing its input files):
// the names in a directory beneath a preopen, nothing else. Each call reads a fresh descriptor
// of the directory from the cookie on; the cookie is the host's telldir position, so a guest
// pages through a large directory. An entry that does not fit is cut at buf_len, as WASI
// specifies (the guest then retries from that entry with a larger buffer).
u32 Z_wasi_snapshot_preview1Z_fd_readdir(W* i, u32 fd, u32 buf, u32 buf_len, u64 cookie,
                                         u32 bufused) noexcept {
  HostCallScope scope;
  GuestMemory memory(i->host->memory);
  OpenFile* file = Lookup(*i->host, fd);
  if (file == nullptr) return kErrnoBadf;
  if (!file->directory) return kErrnoNotdir;
  if (!memory.InBounds(buf, buf_len)) return kErrnoFault;
  const int dfd = ::openat(file->fd.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return FromHostErrno(errno);
  DIR* dir = ::fdopendir(dfd);
  if (dir == nullptr) {
    ::close(dfd);
    return FromHostErrno(errno);
  }
  if (cookie != 0) ::seekdir(dir, static_cast<long>(cookie));
  std::vector<std::uint8_t> out;
  while (out.size() < buf_len) {
    const dirent* entry = ::readdir(dir);
    if (entry == nullptr) break;
    const std::size_t name_len = std::strlen(entry->d_name);
    std::uint8_t header[24] = {};  // d_next u64, d_ino u64, d_namlen u32, d_type u8
    const auto next = static_cast<u64>(::telldir(dir));
    const auto ino = static_cast<u64>(entry->d_ino);
    for (int b = 0; b < 8; ++b) {
      header[b] = static_cast<std::uint8_t>(next >> (8 * b));
      header[8 + b] = static_cast<std::uint8_t>(ino >> (8 * b));
    }
    for (int b = 0; b < 4; ++b) header[16 + b] = static_cast<std::uint8_t>(name_len >> (8 * b));
    const unsigned char type = entry->d_type;
    header[20] = type == DT_DIR ? 3 : type == DT_REG ? 4 : type == DT_LNK ? 7 : 0;
    out.insert(out.end(), header, header + sizeof(header));
    out.insert(out.end(), entry->d_name, entry->d_name + name_len);
  }
  ::closedir(dir);
  const auto used = static_cast<u32>(out.size() < buf_len ? out.size() : buf_len);
  if (!memory.Write(buf, {out.data(), used})) return kErrnoFault;
  return memory.WriteU32(bufused, used) ? kErrnoSuccess : kErrnoFault;
}

u32 Z_wasi_snapshot_preview1Z_fd_renumber(W*, u32, u32) noexcept { return kErrnoNotsup; }

u32 Z_wasi_snapshot_preview1Z_sock_accept(W*, u32, u32, u32) noexcept { return kErrnoNosys; }
u32 Z_wasi_snapshot_preview1Z_sock_recv(W*, u32, u32, u32, u32, u32, u32) noexcept { return kErrnoNosys; }
u32 Z_wasi_snapshot_preview1Z_sock_send(W*, u32, u32, u32, u32, u32) noexcept { return kErrnoNosys; }
u32 Z_wasi_snapshot_preview1Z_sock_shutdown(W*, u32, u32) noexcept { return kErrnoNosys; }

}  // extern "C"
