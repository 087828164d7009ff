// Process resource usage for the run result (SPEC §5.10 `peak_rss_bytes`, `cpu_secs`).
#pragma once

#include <cstdint>

namespace rapidbyte::engine {

struct ProcessUsage {
  std::uint64_t peak_rss_bytes = 0;  // high-water mark of resident memory
  double cpu_secs = 0;               // user + system CPU of all threads so far
};

/// getrusage(RUSAGE_SELF); zeros if the call fails (it does not on Linux).
ProcessUsage ReadProcessUsage();

}  // namespace rapidbyte::engine
