// What the WASI file functions share (wasi_files.cc: descriptors; wasi_paths.cc: directory
// operations by path): the instance's file table, opening beneath a directory, host errno to
// WASI errno, guest paths and the filestat layout. Folder-private.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <string>

#include "plugin/guest_memory.h"
#include "plugin/host_context.h"

namespace rapidbyte::plugin::wasi {

/// The instance's descriptors; the preopens are opened on first use (a directory that does
/// not exist is simply not visible).
FileTable& Table(HostContext& ctx);

/// The open file behind guest descriptor `fd`, or nullptr.
OpenFile* Lookup(HostContext& ctx, std::uint32_t fd);

/// The WASI errno for a host errno. EXDEV is ENOTCAPABLE: from openat2 it means the path
/// would leave its preopen (and from renameat, another filesystem).
std::uint32_t FromHostErrno(int err);

/// openat2(dirfd, path) with RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS: the kernel resolves
/// `path` so that neither ".." nor a symlink (nor an absolute path) leaves `dirfd`. `flags`
/// get O_CLOEXEC. The new descriptor, or -1 with errno set.
long OpenBeneath(int dirfd, const std::string& path, std::uint64_t flags, std::uint64_t mode = 0);

/// Copy the guest's path (at most 4096 bytes) into `out`: kErrnoSuccess, kErrnoFault (out of
/// bounds or too long) or kErrnoInval (it holds a NUL).
std::uint32_t ReadGuestPath(const GuestMemory& memory, std::uint32_t ptr, std::uint32_t len,
                            std::string* out);

/// Write `st` as a WASI filestat (64 bytes: dev, ino, filetype, nlink, size, atim, mtim,
/// ctim) at `out`; false when that is out of bounds.
bool WriteFilestat(const GuestMemory& memory, std::uint32_t out, const struct stat& st);

}  // namespace rapidbyte::plugin::wasi
