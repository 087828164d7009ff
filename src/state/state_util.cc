// Shared helpers of the state backends (see state_util.h).
#include "state/state_util.h"

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>

#include <unistd.h>

#include "pgwire/random.h"
#include "pgwire/sha256.h"

#ifndef RB_VERSION
#define RB_VERSION "0.0.0"
#endif

namespace rapidbyte::state {

std::string NowIso8601() {
  const auto now = std::chrono::system_clock::now();
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&secs, &utc);
  char text[40];
  const std::size_t n = std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + n, sizeof(text) - n, ".%03dZ", static_cast<int>(ms % 1000));
  return text;
}

Result<std::string> NewUuid() {
  std::array<std::uint8_t, 16> bytes{};
  RB_RETURN_NOT_OK(pgwire::SystemRandom().Fill(bytes));
  bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
  std::string hex = pgwire::HexEncode(bytes);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

std::string LockFileStem(std::string_view pipeline) {
  pgwire::Sha256Digest digest = pgwire::Sha256::Hash(pipeline);
  return pgwire::HexEncode(digest).substr(0, 16);
}

std::int64_t AdvisoryLockKey(std::string_view pipeline) {
  pgwire::Sha256 hasher;
  hasher.Update(std::string_view("rapidbyte:"));
  hasher.Update(pipeline);
  pgwire::Sha256Digest digest = hasher.Finish();
  std::uint64_t key = 0;
  for (int i = 0; i < 8; ++i) key = (key << 8) | digest[static_cast<std::size_t>(i)];
  return static_cast<std::int64_t>(key);  // two's complement, as PostgreSQL's bigint
}

Status AlreadyRunningError(std::string_view pipeline, const std::optional<RunRecord>& running) {
  std::string message = "Pipeline '" + std::string(pipeline) + "' is already running";
  if (running) {
    message += " (run #" + std::to_string(running->id) + " started " + running->started_at +
               " on host " + running->hostname + ", pid " + std::to_string(running->pid) + ")";
  }
  message += ". Wait for it to finish or stop it.";
  return Status::FailedPrecondition(std::move(message));
}

Status NewerSchemaError(int found_version) {
  return Status::FailedPrecondition("state database schema version " +
                                    std::to_string(found_version) +
                                    " is newer than this rapidbyte supports (" +
                                    std::to_string(kSchemaVersion) + "); upgrade rapidbyte");
}

std::string HostName() {
  char name[256] = {};
  if (gethostname(name, sizeof(name) - 1) != 0 || name[0] == '\0') return "unknown";
  return name;
}

std::string_view RapidbyteVersion() { return RB_VERSION; }

Result<StreamStatus> ParseStreamStatus(std::string_view text) {
  for (StreamStatus s : {StreamStatus::kRunning, StreamStatus::kCompleted, StreamStatus::kFailed,
                         StreamStatus::kCancelled, StreamStatus::kNotStarted}) {
    if (StreamStatusName(s) == text) return s;
  }
  return Status::DataLoss("state: unknown stream status '" + std::string(text) + "'");
}

Result<Scope> ParseScope(std::string_view text) {
  for (Scope s : {Scope::kPipeline, Scope::kStream, Scope::kConnectorInstance}) {
    if (ScopeName(s) == text) return s;
  }
  return Status::DataLoss("state: unknown connector state scope '" + std::string(text) + "'");
}

}  // namespace rapidbyte::state
