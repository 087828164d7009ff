// WASI preview 1 directory operations by path (SPEC §4.8, §16.2): mkdir, rename, unlink,
// rmdir and stat, beneath the preopens only — what wasi-libc's mkdir, rename, unlink, rmdir,
// remove, stat and lstat call. A file-writing destination writes a temporary file, fsyncs
// it, renames it into place and fsyncs the directory; fd_sync is in wasi_files.cc.
//
// The rules of path_open hold: every path is resolved by the kernel beneath its directory
// descriptor (openat2 with RESOLVE_BENEATH), so neither ".." nor a symlink nor an absolute
// path leaves a preopen, and changes need a writable preopen (both of them for a rename).
// mkdirat, renameat and unlinkat take no resolve flags, so they act on the last component
// of the path only — never "", "." or "..", never holding a "/" — inside its parent
// directory, which is opened (O_PATH) with openat2 first. They do not follow a symlink in
// that last component, so they cannot reach out through one either.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>

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

namespace {

constexpr u32 kLookupSymlinkFollow = 1;

// A directory entry named by a guest path: its parent directory, opened beneath the guest's
// directory descriptor, and its name there.
struct Entry {
  OwnedFd parent;
  std::string name;
  bool trailing_slash = false;  // "name/": it must be a directory
};

// The directory descriptor `fd` of a path call: kErrnoSuccess with `*out` set, or the errno.
u32 DirectoryOf(HostContext& ctx, u32 fd, bool change, OpenFile** out) {
  OpenFile* dir = Lookup(ctx, fd);
  if (dir == nullptr) return kErrnoBadf;
  if (!dir->directory) return kErrnoNotdir;
  if (change && !dir->writable) return kErrnoNotcapable;
  *out = dir;
  return kErrnoSuccess;
}

// Resolve the guest path at `path_ptr` relative to `fd` into an Entry. `change`: the call
// changes the directory, so the preopen must be writable.
u32 ResolveEntry(HostContext& ctx, u32 fd, u32 path_ptr, u32 path_len, bool change, Entry* out) {
  OpenFile* dir = nullptr;
  if (const u32 err = DirectoryOf(ctx, fd, change, &dir); err != kErrnoSuccess) return err;
  std::string path;
  if (const u32 err = ReadGuestPath(GuestMemory(ctx.memory), path_ptr, path_len, &path);
      err != kErrnoSuccess) {
    return err;
  }
  if (path.empty()) return kErrnoNoent;
  if (path[0] == '/') return kErrnoNotcapable;  // never beneath a directory descriptor
  std::size_t end = path.size();
  while (end > 1 && path[end - 1] == '/') --end;
  out->trailing_slash = end < path.size();
  path.resize(end);
  const std::size_t slash = path.rfind('/');
  out->name = slash == std::string::npos ? path : path.substr(slash + 1);
  if (out->name == "..") return kErrnoNotcapable;  // the directory above: maybe the preopen's
  if (out->name.empty() || out->name == ".") return kErrnoInval;
  const std::string parent = slash == std::string::npos ? "." : path.substr(0, slash);
  const long parent_fd = OpenBeneath(dir->fd.get(), parent, O_PATH | O_DIRECTORY);
  if (parent_fd < 0) return FromHostErrno(errno);
  out->parent = OwnedFd(static_cast<int>(parent_fd));
  return kErrnoSuccess;
}

// For "name/" on an entry that exists: ENOTDIR unless it is a directory (`dir_error` then).
u32 TrailingSlashCheck(const Entry& e, u32 dir_error) {
  struct stat st {};
  if (::fstatat(e.parent.get(), e.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return FromHostErrno(errno);
  }
  return S_ISDIR(st.st_mode) ? dir_error : kErrnoNotdir;
}

u32 Done(int rc) { return rc == 0 ? kErrnoSuccess : FromHostErrno(errno); }

}  // namespace

extern "C" {

u32 Z_wasi_snapshot_preview1Z_path_create_directory(W* i, u32 fd, u32 path, u32 len) noexcept {
  HostCallScope scope;
  Entry e;
  if (const u32 err = ResolveEntry(*i->host, fd, path, len, true, &e); err != kErrnoSuccess) {
    return err;
  }
  return Done(::mkdirat(e.parent.get(), e.name.c_str(), 0755));
}

u32 Z_wasi_snapshot_preview1Z_path_remove_directory(W* i, u32 fd, u32 path, u32 len) noexcept {
  HostCallScope scope;
  Entry e;
  if (const u32 err = ResolveEntry(*i->host, fd, path, len, true, &e); err != kErrnoSuccess) {
    return err;
  }
  return Done(::unlinkat(e.parent.get(), e.name.c_str(), AT_REMOVEDIR));
}

u32 Z_wasi_snapshot_preview1Z_path_unlink_file(W* i, u32 fd, u32 path, u32 len) noexcept {
  HostCallScope scope;
  Entry e;
  if (const u32 err = ResolveEntry(*i->host, fd, path, len, true, &e); err != kErrnoSuccess) {
    return err;
  }
  // "name/" names a directory, which unlink never removes (wasi-libc's remove() then tries
  // rmdir on EISDIR).
  if (e.trailing_slash) return TrailingSlashCheck(e, kErrnoIsdir);
  return Done(::unlinkat(e.parent.get(), e.name.c_str(), 0));
}

// Both paths beneath writable directories; across filesystems the kernel's EXDEV reads as
// ENOTCAPABLE.
u32 Z_wasi_snapshot_preview1Z_path_rename(W* i, u32 fd, u32 old_path, u32 old_len, u32 new_fd,
                                          u32 new_path, u32 new_len) noexcept {
  HostCallScope scope;
  Entry from;
  Entry to;
  if (const u32 err = ResolveEntry(*i->host, fd, old_path, old_len, true, &from);
      err != kErrnoSuccess) {
    return err;
  }
  if (const u32 err = ResolveEntry(*i->host, new_fd, new_path, new_len, true, &to);
      err != kErrnoSuccess) {
    return err;
  }
  if (from.trailing_slash || to.trailing_slash) {
    if (const u32 err = TrailingSlashCheck(from, kErrnoSuccess); err != kErrnoSuccess) return err;
  }
  return Done(::renameat(from.parent.get(), from.name.c_str(), to.parent.get(), to.name.c_str()));
}

// stat (flags: symlink_follow) and lstat (flags 0) by path, beneath any preopen, writable or
// not. Without symlink_follow a symlink itself is described (filetype 7), wherever it points.
u32 Z_wasi_snapshot_preview1Z_path_filestat_get(W* i, u32 fd, u32 flags, u32 path_ptr, u32 path_len,
                                                u32 out) noexcept {
  HostCallScope scope;
  HostContext& ctx = *i->host;
  OpenFile* dir = nullptr;
  if (const u32 err = DirectoryOf(ctx, fd, false, &dir); err != kErrnoSuccess) return err;
  GuestMemory memory(ctx.memory);
  std::string path;
  if (const u32 err = ReadGuestPath(memory, path_ptr, path_len, &path); err != kErrnoSuccess) {
    return err;
  }
  const u64 follow = (flags & kLookupSymlinkFollow) != 0 ? 0 : O_NOFOLLOW;
  const long target = OpenBeneath(dir->fd.get(), path, O_PATH | follow);
  if (target < 0) return FromHostErrno(errno);
  const OwnedFd owned(static_cast<int>(target));
  struct stat st {};
  if (::fstat(owned.get(), &st) != 0) return FromHostErrno(errno);
  return WriteFilestat(memory, out, st) ? kErrnoSuccess : kErrnoFault;
}

u32 Z_wasi_snapshot_preview1Z_path_filestat_set_times(W*, u32, u32, u32, u32, u64, u64,
                                                      u32) noexcept {
  return kErrnoNotcapable;
}
u32 Z_wasi_snapshot_preview1Z_path_link(W*, u32, u32, u32, u32, u32, u32, u32) noexcept {
  return kErrnoNotcapable;
}
u32 Z_wasi_snapshot_preview1Z_path_readlink(W*, u32, u32, u32, u32, u32, u32) noexcept {
  return kErrnoNotcapable;
}
u32 Z_wasi_snapshot_preview1Z_path_symlink(W*, u32, u32, u32, u32, u32) noexcept {
  return kErrnoNotcapable;
}

}  // extern "C"
