// Writing and checking the native-code footer. The footer is untrusted input when read (a
// cache directory can be edited by anyone who owns it): its length is checked against the
// file before anything is read, and its JSON is parsed without exceptions.
#include "plugin/translate/native_footer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "plugin/runtime/module_table.h"
#include "plugin/translate/glue.h"
#include "plugin/translate/host_abi_config.h"
#include "plugin/translate/sha256.h"

namespace rapidbyte::plugin::translate {
namespace {

constexpr std::uint64_t kTrailerBytes = 4 + kNativeFooterMagic.size();
constexpr std::uint64_t kMaxSharedObjectBytes = std::uint64_t{2} << 30;
constexpr int kFooterFormat = 1;

// Closes a descriptor on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

Status PreadAll(int fd, void* out, std::uint64_t size, std::uint64_t offset) {
  auto* bytes = static_cast<char*>(out);
  std::uint64_t done = 0;
  while (done < size) {
    const ssize_t got = pread(fd, bytes + done, size - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return Status::Internal(std::string("read failed: ") + std::strerror(errno));
    if (got == 0) return Status::FailedPrecondition("file ended early");
    done += static_cast<std::uint64_t>(got);
  }
  return Status::OK();
}

Status PwriteAll(int fd, std::string_view data, std::uint64_t offset) {
  std::uint64_t done = 0;
  while (done < data.size()) {
    const ssize_t put =
        pwrite(fd, data.data() + done, data.size() - done, static_cast<off_t>(offset + done));
    if (put < 0 && errno == EINTR) continue;
    if (put < 0) return Status::Internal(std::string("write failed: ") + std::strerror(errno));
    done += static_cast<std::uint64_t>(put);
  }
  return Status::OK();
}

// The JSON length recorded by a well-formed trailer, or 0 when there is none.
Result<std::uint32_t> ReadTrailer(int fd, std::uint64_t file_size) {
  if (file_size < kTrailerBytes + 1) return std::uint32_t{0};
  unsigned char trailer[kTrailerBytes];
  RB_RETURN_NOT_OK(PreadAll(fd, trailer, kTrailerBytes, file_size - kTrailerBytes));
  if (std::memcmp(trailer + 4, kNativeFooterMagic.data(), kNativeFooterMagic.size()) != 0) {
    return std::uint32_t{0};
  }
  const std::uint32_t length = std::uint32_t{trailer[0]} | std::uint32_t{trailer[1]} << 8 |
                               std::uint32_t{trailer[2]} << 16 | std::uint32_t{trailer[3]} << 24;
  if (length == 0 || length > kMaxNativeFooterJson ||
      std::uint64_t{length} + kTrailerBytes >= file_size) {
    return std::uint32_t{0};
  }
  return length;
}

bool GetString(const nlohmann::json& doc, const char* key, std::string* out) {
  auto it = doc.find(key);
  if (it == doc.end() || !it->is_string()) return false;
  *out = it->get<std::string>();
  return true;
}

Status OpenRegularFile(const std::string& path, int flags, int* fd_out, std::uint64_t* size) {
  const int fd = open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) {
    return Status::FailedPrecondition("cannot open " + path + ": " + std::strerror(errno));
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return Status::FailedPrecondition(path + " is not a regular file");
  }
  if (static_cast<std::uint64_t>(st.st_size) > kMaxSharedObjectBytes) {
    close(fd);
    return Status::FailedPrecondition(path + " is larger than 2 GiB");
  }
  *fd_out = fd;
  *size = static_cast<std::uint64_t>(st.st_size);
  return Status::OK();
}

}  // namespace

const std::string& HostAbiKey() {
  static const std::string* key = [] {
    std::string flags;
    for (const char* flag : kNativeCFlags) flags += (flags.empty() ? "" : " ") + std::string(flag);
    return new std::string(std::string("rapidbyte=") + RB_NATIVE_RAPIDBYTE_VERSION +
                           ";protocol=" + RB_NATIVE_PROTOCOL +
                           ";module_table=" + std::to_string(RB_MODULE_TABLE_VERSION) +
                           ";wasm2c=" + RB_NATIVE_WASM2C_VERSION + ";cc=" + RB_NATIVE_COMPILER +
                           ";flags=" + flags + ";tuning=" + std::to_string(kCodeTuningVersion) +
                           ";target=" + RB_NATIVE_TARGET);
  }();
  return *key;
}

std::string_view HostWasm2cVersion() { return RB_NATIVE_WASM2C_VERSION; }
std::string_view HostCompilerIdentity() { return RB_NATIVE_COMPILER; }

std::string EncodeNativeFooter(const NativeFooter& footer) {
  nlohmann::ordered_json doc;
  doc["format"] = kFooterFormat;
  doc["abi_key"] = footer.abi_key;
  doc["wasm_sha256"] = footer.wasm_sha256;
  doc["so_sha256"] = footer.so_sha256;
  doc["connector"] = footer.connector;
  doc["rapidbyte"] = footer.rapidbyte;
  doc["compiler"] = footer.compiler;
  // Invalid UTF-8 in a name is replaced rather than thrown about.
  std::string out = doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const auto length = static_cast<std::uint32_t>(out.size());
  for (int shift = 0; shift < 32; shift += 8) out += static_cast<char>((length >> shift) & 0xff);
  out += kNativeFooterMagic;
  return out;
}

Status ReadNativeFooter(int fd, std::uint64_t file_size, NativeFooter* footer,
                        std::uint64_t* payload_size) {
  RB_ASSIGN_OR_RETURN(std::uint32_t length, ReadTrailer(fd, file_size));
  if (length == 0) return Status::FailedPrecondition("no rapidbyte native-code footer");
  std::string text(length, '\0');
  RB_RETURN_NOT_OK(PreadAll(fd, text.data(), length, file_size - kTrailerBytes - length));
  const nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  auto format = doc.is_object() ? doc.find("format") : doc.end();
  if (!doc.is_object() || format == doc.end() || !format->is_number_integer() ||
      format->get<std::int64_t>() != kFooterFormat ||
      !GetString(doc, "abi_key", &footer->abi_key) ||
      !GetString(doc, "wasm_sha256", &footer->wasm_sha256) ||
      !GetString(doc, "so_sha256", &footer->so_sha256)) {
    return Status::FailedPrecondition("malformed native-code footer");
  }
  // Informational fields are optional.
  GetString(doc, "connector", &footer->connector);
  GetString(doc, "rapidbyte", &footer->rapidbyte);
  GetString(doc, "compiler", &footer->compiler);
  *payload_size = file_size - kTrailerBytes - length;
  return Status::OK();
}

Status StampNativeCode(const std::string& so_path, std::string_view wasm_sha256,
                       std::string_view connector, std::string_view compiler) {
  int raw_fd = -1;
  std::uint64_t size = 0;
  RB_RETURN_NOT_OK(OpenRegularFile(so_path, O_RDWR, &raw_fd, &size));
  Fd fd(raw_fd);
  RB_ASSIGN_OR_RETURN(std::uint32_t old_length, ReadTrailer(fd.get(), size));
  if (old_length != 0) {
    size -= kTrailerBytes + old_length;
    if (ftruncate(fd.get(), static_cast<off_t>(size)) != 0) {
      return Status::Internal("cannot truncate " + so_path + ": " + std::strerror(errno));
    }
  }
  NativeFooter footer;
  RB_ASSIGN_OR_RETURN(footer.so_sha256, Sha256HexOfFile(fd.get(), size));
  footer.abi_key = HostAbiKey();
  footer.wasm_sha256 = std::string(wasm_sha256);
  footer.connector = std::string(connector);
  footer.rapidbyte = RB_NATIVE_RAPIDBYTE_VERSION;
  footer.compiler = std::string(compiler);
  return PwriteAll(fd.get(), EncodeNativeFooter(footer), size);
}

Status VerifyNativeCode(const std::string& so_path, std::string_view wasm_sha256) {
  int raw_fd = -1;
  std::uint64_t size = 0;
  RB_RETURN_NOT_OK(OpenRegularFile(so_path, O_RDONLY, &raw_fd, &size));
  Fd fd(raw_fd);
  NativeFooter footer;
  std::uint64_t payload = 0;
  Status read = ReadNativeFooter(fd.get(), size, &footer, &payload);
  if (!read.ok()) return read.WithContext("native code " + so_path);
  if (footer.abi_key != HostAbiKey()) {
    return Status::FailedPrecondition(
        "native code " + so_path + " was built for another host (its key: " +
        footer.abi_key.substr(0, 300) + "; this host: " + HostAbiKey() + ")");
  }
  if (footer.wasm_sha256 != wasm_sha256) {
    return Status::FailedPrecondition(
        "native code " + so_path + " was translated from another module (sha256 " +
        footer.wasm_sha256.substr(0, 64) + ", expected " + std::string(wasm_sha256) + ")");
  }
  RB_ASSIGN_OR_RETURN(std::string actual, Sha256HexOfFile(fd.get(), payload));
  if (actual != footer.so_sha256) {
    return Status::DataLoss("native code " + so_path +
                            " was modified after translation (its content does not match the "
                            "hash in its footer)");
  }
  return Status::OK();
}

}  // namespace rapidbyte::plugin::translate
