// WASI preview 1 file, directory and socket functions. No preopens are granted yet, so every
// path operation is refused with a named errno; stdin reads end of file; stdout and stderr
// describe themselves as character devices (wasi-libc asks). Sockets are never available to
// connectors (networking goes through the rapidbyte host functions).
#include "plugin/guest_memory.h"
#include "plugin/host_context.h"
#include "plugin/runtime/guest_thread.h"
#include "plugin/wasi/errno.h"

using rapidbyte::plugin::GuestMemory;
using rapidbyte::plugin::runtime::HostCallScope;
using namespace rapidbyte::plugin::wasi;  // NOLINT: errno names

using W = Z_wasi_snapshot_preview1_instance_t;
using u32 = std::uint32_t;
using u64 = std::uint64_t;

extern "C" {

u32 Z_wasi_snapshot_preview1Z_fd_fdstat_get(W* i, u32 fd, u32 out) noexcept {
  HostCallScope scope;
  if (fd > 2) return kErrnoBadf;
  std::uint8_t stat[24] = {};
  stat[0] = 2;  // character device
  for (int b = 8; b < 16; ++b) stat[b] = 0xff;  // rights: all, for these three streams
  return GuestMemory(i->host->memory).Write(out, stat) ? kErrnoSuccess : kErrnoFault;
}

u32 Z_wasi_snapshot_preview1Z_fd_read(W* i, u32 fd, u32, u32, u32 nread) noexcept {
  HostCallScope scope;
  if (fd != 0) return kErrnoBadf;
  return GuestMemory(i->host->memory).WriteU32(nread, 0) ? kErrnoSuccess : kErrnoFault;
}

u32 Z_wasi_snapshot_preview1Z_fd_close(W*, u32 fd) noexcept { return fd <= 2 ? kErrnoSuccess : kErrnoBadf; }
u32 Z_wasi_snapshot_preview1Z_fd_seek(W*, u32 fd, u64, u32, u32) noexcept {
  return fd <= 2 ? kErrnoSpipe : kErrnoBadf;
}
u32 Z_wasi_snapshot_preview1Z_fd_tell(W*, u32 fd, u32) noexcept { return fd <= 2 ? kErrnoSpipe : kErrnoBadf; }
u32 Z_wasi_snapshot_preview1Z_fd_prestat_get(W*, u32, u32) noexcept { return kErrnoBadf; }
u32 Z_wasi_snapshot_preview1Z_fd_prestat_dir_name(W*, u32, u32, u32) noexcept { return kErrnoBadf; }
u32 Z_wasi_snapshot_preview1Z_fd_advise(W*, u32, u64, u64, u32) noexcept { return kErrnoBadf; }
u32 Z_wasi_snapshot_preview1Z_fd_allocate(W*, u32, u64, u64) noexcept { return kErrnoBadf; }
u32 Z_wasi_snapshot_preview1Z_fd_datasync(W*, u32) noexcept { return kErrnoBadf; }
u32 Z_wasi_snapshot_preview1Z_fd_fdstat_set_flags(W*, u32, u32) noexcept { return kErrnoNotcapable; }
u32 Z_wasi_snapshot_preview1Z_fd_fdstat_set_rights(W*, u32, u64, u64) noexcept { return kErrnoNotcapable; }
u32 Z_wasi_snapshot_preview1Z_fd_filestat_get(W*, u32, u32) noexcept { return kErrnoBadf; }
u32 Z_wasi_snapshot_preview1Z_fd_filestat_set_size(W*, u32, u64) noexcept { return kErrnoBadf; }
u32 Z_wasi_snapshot_preview1Z_fd_filestat_set_times(W*, u32, u64, u64, u32) noexcept { return kErrnoBadf; }
u32 Z_wasi_snapshot_preview1Z_fd_pread(W*, u32, u32, u32, u64, u32) noexcept { return kErrnoBadf; }
u32 Z_wasi_snapshot_preview1Z_fd_pwrite(W*, u32, u32, u32, u64, u32) noexcept { return kErrnoBadf; }
u32 Z_wasi_snapshot_preview1Z_fd_readdir(W*, u32, u32, u32, u64, u32) noexcept { return kErrnoBadf; }
u32 Z_wasi_snapshot_preview1Z_fd_renumber(W*, u32, u32) noexcept { return kErrnoBadf; }
u32 Z_wasi_snapshot_preview1Z_fd_sync(W*, u32) noexcept { return kErrnoBadf; }

u32 Z_wasi_snapshot_preview1Z_path_create_directory(W*, u32, u32, u32) noexcept { return kErrnoNotcapable; }
u32 Z_wasi_snapshot_preview1Z_path_filestat_get(W*, u32, u32, u32, u32, u32) noexcept { return kErrnoNotcapable; }
u32 Z_wasi_snapshot_preview1Z_path_filestat_set_times(W*, u32, u32, u32, u32, u64, u64, u32) noexcept {
  return kErrnoNotcapable;
}
u32 Z_wasi_snapshot_preview1Z_path_link(W*, u32, u32, u32, u32, u32, u32, u32) noexcept { return kErrnoNotcapable; }
u32 Z_wasi_snapshot_preview1Z_path_open(W*, u32, u32, u32, u32, u32, u64, u64, u32, u32) noexcept {
  return kErrnoNotcapable;
}
u32 Z_wasi_snapshot_preview1Z_path_readlink(W*, u32, u32, u32, u32, u32, u32) noexcept { return kErrnoNotcapable; }
u32 Z_wasi_snapshot_preview1Z_path_remove_directory(W*, u32, u32, u32) noexcept { return kErrnoNotcapable; }
u32 Z_wasi_snapshot_preview1Z_path_rename(W*, u32, u32, u32, u32, u32, u32) noexcept { return kErrnoNotcapable; }
u32 Z_wasi_snapshot_preview1Z_path_symlink(W*, u32, u32, u32, u32, u32) noexcept { return kErrnoNotcapable; }
u32 Z_wasi_snapshot_preview1Z_path_unlink_file(W*, u32, u32, u32) noexcept { return kErrnoNotcapable; }

u32 Z_wasi_snapshot_preview1Z_sock_accept(W*, u32, u32, u32) noexcept { return kErrnoNosys; }
u32 Z_wasi_snapshot_preview1Z_sock_recv(W*, u32, u32, u32, u32, u32, u32) noexcept { return kErrnoNosys; }
u32 Z_wasi_snapshot_preview1Z_sock_send(W*, u32, u32, u32, u32, u32) noexcept { return kErrnoNosys; }
u32 Z_wasi_snapshot_preview1Z_sock_shutdown(W*, u32, u32) noexcept { return kErrnoNosys; }

}  // extern "C"
