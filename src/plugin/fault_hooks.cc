// Fault hooks for tests (fault_hooks.h). Compiled with RB_FAULT_HOOKS, this reads
// RAPIDBYTE_FAULTS_FOR_TEST; without it only the constant-false stubs remain.
#include "plugin/fault_hooks.h"

#ifdef RB_FAULT_HOOKS

#include <array>
#include <atomic>
#include <cstdlib>
#include <string>
#include <string_view>

#include "base/log.h"

namespace rapidbyte::plugin {
namespace {

constexpr std::array<std::string_view, 3> kPointNames = {
    "kill_before_cursor_persist", "drop_after_commit", "fail_dest_checkpoint"};

struct Faults {
  std::array<std::int64_t, kPointNames.size()> fire_at{};  // 0: not armed
  std::array<std::atomic<std::int64_t>, kPointNames.size()> reached{};
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// One "<point>=<n>" entry into `faults`; false when it is malformed.
bool ParseEntry(std::string_view entry, Faults* faults) {
  const std::size_t eq = entry.find('=');
  if (eq == std::string_view::npos) return false;
  const std::string_view name = Trim(entry.substr(0, eq));
  const std::string count(Trim(entry.substr(eq + 1)));
  char* end = nullptr;
  const long long n = std::strtoll(count.c_str(), &end, 10);
  if (count.empty() || *end != '\0' || n < 1) return false;
  for (std::size_t i = 0; i < kPointNames.size(); ++i) {
    if (kPointNames[i] == name) {
      faults->fire_at[i] = n;
      return true;
    }
  }
  return false;
}

Faults* Load() {
  auto* faults = new Faults();  // lives for the process: hooks run until exit
  const char* env = std::getenv("RAPIDBYTE_FAULTS_FOR_TEST");
  std::string_view rest = env != nullptr ? env : "";
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const std::string_view entry = Trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (entry.empty()) continue;
    if (!ParseEntry(entry, faults)) {
      Log(LogLevel::kError, "ignoring a malformed RAPIDBYTE_FAULTS_FOR_TEST entry",
          {{"entry", std::string(entry)}});
      continue;
    }
    Log(LogLevel::kWarn, "fault hook armed for test", {{"fault", std::string(entry)}});
  }
  return faults;
}

Faults& Get() {
  static Faults* faults = Load();
  return *faults;
}

// A Query message ('Q', length, text, NUL) with the text COMMIT among the messages of `data`.
// Writes before the startup message is done do not parse as messages and never match.
bool HasCommitQuery(std::span<const std::uint8_t> data) {
  static constexpr std::string_view kCommit = "COMMIT";
  std::size_t pos = 0;
  while (data.size() - pos >= 5) {
    const std::uint32_t len = (std::uint32_t{data[pos + 1]} << 24) |
                              (std::uint32_t{data[pos + 2]} << 16) |
                              (std::uint32_t{data[pos + 3]} << 8) | std::uint32_t{data[pos + 4]};
    if (len < 4 || len > data.size() - pos - 1) return false;
    const std::string_view body(reinterpret_cast<const char*>(data.data() + pos + 5), len - 4);
    if (data[pos] == 'Q' && body.size() == kCommit.size() + 1 && body.back() == '\0' &&
        body.substr(0, kCommit.size()) == kCommit) {
      return true;
    }
    pos += 1 + len;
  }
  return false;
}

}  // namespace

bool FaultHitForTest(FaultPoint point) {
  Faults& faults = Get();
  const auto i = static_cast<std::size_t>(point);
  if (faults.fire_at[i] == 0) return false;
  const std::int64_t n = faults.reached[i].fetch_add(1) + 1;
  if (n != faults.fire_at[i]) return false;
  Log(LogLevel::kWarn, "fault hook fired for test",
      {{"fault", std::string(kPointNames[i])}, {"occurrence", std::to_string(n)}});
  return true;
}

bool DropAfterCommitForTest(const HostContext& ctx, std::span<const std::uint8_t> data) {
  return ctx.role == HostContext::Role::kDestination && HasCommitQuery(data) &&
         FaultHitForTest(FaultPoint::kDropAfterCommit);
}

}  // namespace rapidbyte::plugin

#else  // !RB_FAULT_HOOKS

namespace rapidbyte::plugin {

bool FaultHitForTest(FaultPoint) { return false; }
bool DropAfterCommitForTest(const HostContext&, std::span<const std::uint8_t>) { return false; }

}  // namespace rapidbyte::plugin

#endif  // RB_FAULT_HOOKS
