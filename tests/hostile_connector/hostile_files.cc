// test-hostile's file probes: reading, writing and listing through wasi-libc, and scripts
// of the directory operations a file-writing destination makes (SPEC §16.2), so the tests
// see what the host's WASI layer allows beneath each preopen and what it refuses.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "sdk/raw_abi.h"
#include "tests/hostile_connector/hostile_probes.h"

namespace sdk = rapidbyte::sdk;

namespace hostile {
namespace {

Outcome FileError(const std::string& what, const std::string& path, int err) {
  return {"{\"errno\":" + std::to_string(err) + "}",
          ErrorJson("FILE_ACCESS_FAILED", what + " " + path + ": errno " + std::to_string(err) +
                                              " (" + std::strerror(err) + ")")};
}

// The words of a step ("rename a b" -> rename, a, b).
std::vector<std::string> Words(const std::string& step) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start < step.size()) {
    std::size_t end = step.find(' ', start);
    if (end == std::string::npos) end = step.size();
    if (end > start) words.push_back(step.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

// Open `path` with `flags`, then `sync` it (and write "payload" first when `payload`).
int OpenAndSync(const std::string& path, int flags, bool payload, int (*sync)(int)) {
  const int fd = open(path.c_str(), flags, 0644);
  if (fd < 0) return errno;
  int err = 0;
  if (payload && write(fd, "payload", 7) != 7) err = errno;
  if (err == 0 && sync(fd) != 0) err = errno;
  if (close(fd) != 0 && err == 0) err = errno;
  return err;
}

std::string Stat(const std::string& path, bool follow) {
  struct stat st {};
  if ((follow ? stat(path.c_str(), &st) : lstat(path.c_str(), &st)) != 0) {
    return std::to_string(errno);
  }
  if (S_ISREG(st.st_mode)) return "0 file " + std::to_string(st.st_size);
  return S_ISDIR(st.st_mode) ? "0 dir" : S_ISLNK(st.st_mode) ? "0 symlink" : "0 other";
}

// One step of FsScript: "0", an errno, or a stat result.
std::string FsStep(const std::vector<std::string>& w) {
  const std::string& op = w[0];
  const std::string a = w.size() > 1 ? w[1] : "";
  auto rc = [](int r) { return std::to_string(r == 0 ? 0 : errno); };
  if (op == "mkdir") return rc(mkdir(a.c_str(), 0755));
  if (op == "rmdir") return rc(rmdir(a.c_str()));
  if (op == "unlink") return rc(unlink(a.c_str()));
  if (op == "rename") return rc(rename(a.c_str(), w.size() > 2 ? w[2].c_str() : ""));
  if (op == "stat" || op == "lstat") return Stat(a, op == "stat");
  if (op == "create") {
    return std::to_string(OpenAndSync(a, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC, true, fsync));
  }
  if (op == "fsyncdir") return std::to_string(OpenAndSync(a, O_RDONLY | O_DIRECTORY, false, fsync));
  if (op == "fdatasync") return std::to_string(OpenAndSync(a, O_RDONLY, false, fdatasync));
  if (op == "syncfd") return std::to_string(__wasi_fd_sync(std::atoi(a.c_str())));
  return "unknown step";
}

}  // namespace

Outcome Passwd() {
  FILE* f = std::fopen("/etc/passwd", "r");
  const int err = errno;
  if (f != nullptr) std::fclose(f);
  Outcome out{std::string("{\"opened\":") + (f ? "true" : "false") +
                  ",\"errno\":" + std::to_string(f ? 0 : err) + "}",
              ""};
  if (f == nullptr) out.error = FileError("readfile", "/etc/passwd", err).error;
  return out;
}

Outcome FileProbe(bool write, const std::string& path) {
  FILE* f = std::fopen(path.c_str(), write ? "w" : "r");
  if (f == nullptr) return FileError(write ? "writefile" : "readfile", path, errno);
  std::string content;
  if (!write) {
    char buf[256];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) content.append(buf, n);
  } else {
    std::fputs("written", f);
  }
  const int closed = std::fclose(f);
  const std::string findings = "{\"content\":\"" + sdk::raw::JsonEscape(content) +
                               "\",\"closed\":" + std::to_string(closed) + "}";
  return {findings, ""};
}

// wasi-libc's opendir/readdir over the host's fd_readdir; then fd_readdir is handed a buffer
// outside linear memory on the first preopen (fd 3), which the host must refuse with EFAULT
// (21) instead of writing anywhere.
Outcome ListDir(const std::string& path) {
  DIR* dir = opendir(path.c_str());
  if (dir == nullptr) return FileError("listdir", path, errno);
  std::string names;
  while (const dirent* entry = readdir(dir)) {
    names += (names.empty() ? "\"" : ",\"") + sdk::raw::JsonEscape(entry->d_name) + "\"";
  }
  closedir(dir);
  __wasi_size_t used = 0;
  const __wasi_errno_t bad = __wasi_fd_readdir(
      3, reinterpret_cast<std::uint8_t*>(std::uintptr_t{0xFFFFFF00u}), 4096, 0, &used);
  return {"{\"names\":[" + names + "],\"bad_buffer_errno\":" + std::to_string(bad) + "}", ""};
}

Outcome FsScript(const std::string& script) {
  Outcome out;
  std::string results;
  std::size_t start = 0;
  while (start < script.size()) {
    std::size_t end = script.find(';', start);
    if (end == std::string::npos) end = script.size();
    const std::string step = script.substr(start, end - start);
    start = end + 1;
    const std::vector<std::string> words = Words(step);
    if (words.empty()) continue;
    const std::string result = FsStep(words);
    results += (results.empty() ? "\"" : ",\"") + sdk::raw::JsonEscape(result) + "\"";
    if (out.error.empty() && result[0] != '0') {
      const int err = std::atoi(result.c_str());
      std::string rest;
      for (std::size_t w = 1; w < words.size(); ++w) rest += (w > 1 ? " " : "") + words[w];
      out.error = err > 0 ? FileError(words[0], rest, err).error
                          : ErrorJson("FILE_ACCESS_FAILED", step + ": " + result);
    }
  }
  out.findings = "{\"results\":[" + results + "]}";
  return out;
}

}  // namespace hostile
