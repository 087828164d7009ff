// getrusage wrapper.
#include "engine/core/rusage.h"

#include <sys/resource.h>

namespace rapidbyte::engine {
namespace {
double Secs(const timeval& tv) {
  return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}
}  // namespace

ProcessUsage ReadProcessUsage() {
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return {};
  ProcessUsage out;
  // Linux reports ru_maxrss in KiB.
  out.peak_rss_bytes = static_cast<std::uint64_t>(usage.ru_maxrss) * 1024u;
  out.cpu_secs = Secs(usage.ru_utime) + Secs(usage.ru_stime);
  return out;
}

}  // namespace rapidbyte::engine
