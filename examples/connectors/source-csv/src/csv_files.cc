// Listing a stream's files (see csv_files.h).
#include "csv_files.h"

#include <dirent.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <sys/stat.h>

#include "csv_format.h"

namespace source_csv {

std::string FileKey(std::int64_t mtime_ns, const std::string& name) {
  std::int64_t secs = mtime_ns / 1000000000;
  std::int64_t nanos = mtime_ns % 1000000000;
  if (nanos < 0) {
    nanos += 1000000000;
    --secs;
  }
  std::int64_t days = secs / 86400;
  std::int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  // H. Hinnant's civil_from_days.
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
  char text[64];
  std::snprintf(text, sizeof(text), "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%09lldZ",
                static_cast<long long>(y), m, d, static_cast<long long>(rem / 3600),
                static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60),
                static_cast<long long>(nanos));
  return std::string(text) + " " + name;
}

bool ListFiles(const std::string& directory, const std::string& pattern, std::vector<CsvFile>* out,
               std::string* error) {
  out->clear();
  DIR* dir = opendir(directory.c_str());
  if (dir == nullptr) {
    *error = "cannot read directory " + directory + ": " + std::strerror(errno) +
             " (it must be one of the connector's permissions.fs.preopens, or beneath one)";
    return false;
  }
  while (const dirent* entry = readdir(dir)) {
    const std::string name = entry->d_name;
    if (name == "." || name == ".." || !GlobMatch(pattern, name)) continue;
    CsvFile file;
    file.name = name;
    file.path = directory + (directory.back() == '/' ? "" : "/") + name;
    // stat() by path is not offered by the sandbox; the opened file's fstat() is.
    std::FILE* f = std::fopen(file.path.c_str(), "rb");
    if (f == nullptr) continue;  // vanished, or not readable: not part of this read
    struct stat st {};
    const bool regular = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode);
    std::fclose(f);
    if (!regular) continue;
    file.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    file.key = FileKey(file.mtime_ns, name);
    out->push_back(std::move(file));
  }
  closedir(dir);
  std::sort(out->begin(), out->end(),
            [](const CsvFile& a, const CsvFile& b) { return a.key < b.key; });
  return true;
}

}  // namespace source_csv
