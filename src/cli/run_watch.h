// RunWatch: the run's companion thread (SPEC §4.9, §10.3). It turns SIGINT/SIGTERM into
// run cancellation (a second signal stops connectors at once), enforces
// resources.timeout_seconds, and shows progress: a live block on an interactive terminal,
// otherwise an info line per running stream every 10 s; both with a total and an ETA when
// the source estimated its rows (the records_estimate metric).
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "cli/stderr_log_sink.h"
#include "config/pipeline.h"
#include "engine/core/progress.h"
#include "engine/run.h"

namespace rapidbyte::cli {

class RunWatch {
 public:
  /// Installs the signal handlers and starts the thread (signals and timeout are watched
  /// from now on; progress from Start()).
  RunWatch(engine::RunControl* control, const config::Pipeline& pipeline, StderrLogSink* sink);
  ~RunWatch();
  RunWatch(const RunWatch&) = delete;
  RunWatch& operator=(const RunWatch&) = delete;

  /// Begin showing progress for `view` (valid until Stop()).
  void Start(const engine::RunProgressView& view, bool interactive);
  /// Stop the thread, clear any live block and restore the signal handlers.
  void Stop();
  /// The first signal (SIGINT or SIGTERM) received since construction; 0 when none.
  int first_signal() const;

 private:
  void Loop();
  void Draw(bool final_draw);
  void ClearBlock();

  engine::RunControl* control_;
  const config::Pipeline& pipeline_;
  StderrLogSink* sink_;
  std::chrono::steady_clock::time_point started_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  const engine::RunProgressView* view_ = nullptr;
  bool interactive_ = false;
  std::size_t drawn_lines_ = 0;
  std::vector<engine::RateWindow> rates_;       // rows read per second, per stream
  std::vector<engine::RateWindow> byte_rates_;  // bytes read per second, per stream
  std::vector<engine::RateWindow> written_rates_;  // rows written per second (for the ETA)
  std::thread thread_;
};

}  // namespace rapidbyte::cli
