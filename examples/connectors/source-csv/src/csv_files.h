// The files of a stream: the regular files in the configured directory whose names match the
// stream's pattern, in the order they are read (modification time, then name), each with
// the cursor key that incremental sync stores. Plain POSIX calls through wasi-libc: inside
// the sandbox the directory must be (beneath) one of the manifest's preopens.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace source_csv {

struct CsvFile {
  std::string name;  // file name in the directory
  std::string path;  // directory + "/" + name
  std::int64_t mtime_ns = 0;
  /// "<mtime as YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ> <name>": fixed-width time first, so string
  /// order is (time, name) order. The incremental cursor value.
  std::string key;
};

/// The matching files sorted by key. Fails (false, *error set) when the directory cannot be
/// read.
bool ListFiles(const std::string& directory, const std::string& pattern, std::vector<CsvFile>* out,
               std::string* error);

/// The key of a file modified at `mtime_ns` named `name`.
std::string FileKey(std::int64_t mtime_ns, const std::string& name);

}  // namespace source_csv
