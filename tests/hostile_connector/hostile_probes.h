// test-hostile's file probes (hostile_files.cc) and what they share with the rest of the
// connector (hostile_source.cc): a mode's outcome and the ConnectorError it fails with.
#pragma once

#include <string>
#include <string_view>

#include "protocol/error_taxonomy.h"

namespace hostile {

/// What a mode found, and the error it fails its stream with in a pipeline ("" = none).
struct Outcome {
  std::string findings;  // a JSON object
  std::string error;     // ConnectorError JSON
};

/// A ConnectorError document written by hand (this module links no JSON library).
std::string ErrorJson(
    std::string_view code, std::string_view message,
    rapidbyte::protocol::ErrorCategory category = rapidbyte::protocol::ErrorCategory::kPermission);

/// Open /etc/passwd, outside every preopen: {"opened", "errno"}.
Outcome Passwd();

/// Read the file (or create it and write "written"): {"content", "closed"} or {"errno"}.
Outcome FileProbe(bool write, const std::string& path);

/// List the directory: {"names", "bad_buffer_errno"} or {"errno"}.
Outcome ListDir(const std::string& path);

/// Run a script of directory operations (steps separated by ';'), each through wasi-libc as
/// a file-writing destination makes it:
///   mkdir P | rmdir P | unlink P | rename P Q | stat P | lstat P
///   create P     open(O_WRONLY|O_CREAT|O_EXCL|O_TRUNC), write "payload", fsync, close
///   fsyncdir P   open(O_RDONLY|O_DIRECTORY), fsync, close
///   fdatasync P  open(O_RDONLY), fdatasync, close
///   syncfd N     fd_sync of descriptor N itself (3: the first preopen)
/// Findings {"results": [...]}, one string a step: "0" or its errno, and for stat and lstat
/// "0 file <size>", "0 dir" or "0 symlink". Every step runs; the error is the first failed
/// step's FILE_ACCESS_FAILED.
Outcome FsScript(const std::string& script);

}  // namespace hostile
