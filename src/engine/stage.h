// Stage: one connector instance of a stream attempt and what its thread found out. Apart
// from AttemptState so that the pieces of the attempt (the link, the supervisor, the result
// tally) can name a stage without depending on each other.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "engine/connector_state.h"
#include "engine/frame_path.h"
#include "engine/pipeline_connectors.h"
#include "plugin/instance.h"

#include "protocol/json.h"

namespace rapidbyte::engine {

struct Stage {
  plugin::HostContext::Role role = plugin::HostContext::Role::kNone;
  std::string label;  // "Source", "Destination", "Transform[0]"
  const StageConnector* connector = nullptr;
  std::shared_ptr<const plugin::Module> module;
  FramePath* input = nullptr;
  FramePath* output = nullptr;
  std::unique_ptr<ConnectorStateStore> state_store;
  std::unique_ptr<plugin::EngineLink> link;  // what the instance's host functions call

  // Set by the stage's thread before it reports done.
  bool ok = false;
  protocol::Json summary;  // the run call's summary, null when it failed
  bool report_complete = false;
  double vm_setup_secs = 0, run_secs = 0, total_secs = 0, wait_secs = 0;

  // The live instance, for ForceStop from the supervisor.
  std::mutex instance_mu;
  plugin::Instance* instance = nullptr;

  // Coverage marks of a transform (SPEC §5.5) and a destination's committed rows.
  std::atomic<std::uint64_t> last_received_src{0};
  std::atomic<std::uint64_t> finished_src{0};
  std::atomic<std::uint64_t> committed_records{0};
  std::atomic<std::uint64_t> checkpoints{0};

  bool is_source() const { return role == plugin::HostContext::Role::kSource; }
  bool is_destination() const { return role == plugin::HostContext::Role::kDestination; }
  /// Whether the destination's live instance has taken end-of-stream.
  bool SawEndOfStream() {
    std::lock_guard<std::mutex> lock(instance_mu);
    return instance != nullptr && instance->host().saw_end_of_stream;
  }
};

}  // namespace rapidbyte::engine
