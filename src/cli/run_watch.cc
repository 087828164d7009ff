// Signals, timeout and progress for `rapidbyte run`.
#include "cli/run_watch.h"

#include <csignal>
#include <cstdio>

#include "base/log.h"
#include "engine/core/progress.h"

namespace rapidbyte::cli {
namespace {

std::atomic<int> g_signals{0};
std::atomic<int> g_first_signal{0};  // which signal cancelled the run: the exit code says it

extern "C" void OnSignal(int signal_number) {
  int none = 0;
  g_first_signal.compare_exchange_strong(none, signal_number);
  g_signals.fetch_add(1);
}

const char* PhaseName(int phase) {
  switch (phase) {
    case engine::StreamLive::kRunning: return "running";
    case engine::StreamLive::kCompleted: return "completed";
    case engine::StreamLive::kFailed: return "failed";
    case engine::StreamLive::kCancelled: return "cancelled";
    default: return "waiting";
  }
}

}  // namespace

RunWatch::RunWatch(engine::RunControl* control, const config::Pipeline& pipeline, StderrLogSink* sink)
    : control_(control), pipeline_(pipeline), sink_(sink), started_(std::chrono::steady_clock::now()) {
  g_signals = 0;
  g_first_signal = 0;
  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  thread_ = std::thread([this] { Loop(); });
}

RunWatch::~RunWatch() { Stop(); }

void RunWatch::Start(const engine::RunProgressView& view, bool interactive) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    view_ = &view;
    interactive_ = interactive;
    rates_.assign(view.names.size(), engine::RateWindow());
    byte_rates_.assign(view.names.size(), engine::RateWindow());
    written_rates_.assign(view.names.size(), engine::RateWindow());
  }
  // Log lines go above the live block: the sink clears it before a line and redraws it
  // after. Lock order is always sink, then mu_; the watch thread never logs holding mu_.
  if (interactive) {
    sink_->set_around_line(
        [this] {
          std::lock_guard<std::mutex> lock(mu_);
          ClearBlock();
        },
        [this] {
          std::lock_guard<std::mutex> lock(mu_);
          Draw(false);
        });
  }
}

void RunWatch::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_) return;
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  sink_->set_around_line(nullptr, nullptr);
  std::lock_guard<std::mutex> lock(mu_);
  if (interactive_) ClearBlock();
  view_ = nullptr;
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

int RunWatch::first_signal() const { return g_first_signal.load(); }

void RunWatch::Loop() {
  int seen_signals = 0;
  auto last_log = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    wake_.wait_for(lock, std::chrono::milliseconds(100));
    if (stop_) break;
    const int signals = g_signals.load();
    if (signals > seen_signals) {
      seen_signals = signals;
      lock.unlock();
      if (signals == 1 && control_->follow()) {
        // A follow run ends gracefully: what is in flight is committed (SPEC §14.6).
        Log(LogLevel::kWarn, "Stopping the follow run: committing what is in flight (press "
                             "Ctrl-C again to cancel)");
        control_->RequestStop();
      } else {
        Log(LogLevel::kWarn, signals == 1 ? "Cancelling the run (press Ctrl-C again to stop connectors now)"
                                          : "Stopping connectors now");
        control_->Cancel(engine::RunControl::Reason::kUser);
      }
      lock.lock();
    }
    const auto now = std::chrono::steady_clock::now();
    const std::int64_t timeout = pipeline_.resources.timeout_seconds;
    if (timeout > 0 && !control_->cancelled() && now - started_ > std::chrono::seconds(timeout)) {
      lock.unlock();
      // Only what happens next: the timeout error itself is reported once, by the run's
      // result ("Error: stream ...: ... TIMEOUT ..."), not here as well.
      Log(LogLevel::kWarn, "Cancelling the run: its time limit (resources.timeout_seconds) is up");
      control_->Cancel(engine::RunControl::Reason::kTimeout);
      lock.lock();
    }
    if (view_ == nullptr) continue;
    const double elapsed = std::chrono::duration<double>(now - started_).count();
    for (std::size_t i = 0; i < view_->names.size(); ++i) {
      rates_[i].Add(elapsed, view_->live[i]->rows_read);
      byte_rates_[i].Add(elapsed, view_->live[i]->bytes_read);
      written_rates_[i].Add(elapsed, view_->live[i]->rows_written);
    }
    if (interactive_) {
      ClearBlock();
      Draw(false);
    } else if (now - last_log >= std::chrono::seconds(10)) {
      last_log = now;
      for (std::size_t i = 0; i < view_->names.size(); ++i) {
        const engine::StreamLive& live = *view_->live[i];
        if (live.phase != engine::StreamLive::kRunning) continue;
        engine::StreamProgress p{view_->names[i], "running", live.rows_read, live.rows_written, live.bytes_read,
                                 rates_[i].Rate(), 0, live.attempt, live.rows_expected,
                                 written_rates_[i].Rate()};
        engine::SetCdcLag(live.Metrics(), &p);  // a follow run logs its lag every 10 s
        lock.unlock();
        Log(LogLevel::kInfo, "progress", engine::ProgressLogFields(p));
        lock.lock();
      }
    }
  }
}

// Both run with mu_ held (or from the sink while the sink serialises lines and the watch
// thread is between draws).
void RunWatch::ClearBlock() {
  std::string out;
  for (std::size_t i = 0; i < drawn_lines_; ++i) out += "\033[1A\033[2K";
  drawn_lines_ = 0;
  if (!out.empty()) std::fwrite(out.data(), 1, out.size(), stderr);
}

void RunWatch::Draw(bool) {
  if (view_ == nullptr) return;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  std::size_t done = 0, width = 0;
  for (std::size_t i = 0; i < view_->names.size(); ++i) {
    width = std::max(width, view_->names[i].size());
    if (view_->live[i]->phase >= engine::StreamLive::kCompleted) ++done;
  }
  std::string out = engine::FormatProgressHeader(pipeline_.name, elapsed, done, view_->names.size()) + "\n";
  for (std::size_t i = 0; i < view_->names.size(); ++i) {
    const engine::StreamLive& live = *view_->live[i];
    engine::StreamProgress p{view_->names[i], PhaseName(live.phase), live.rows_read, live.rows_written,
                             live.bytes_read, rates_[i].Rate(), byte_rates_[i].Rate(), live.attempt,
                             live.rows_expected, written_rates_[i].Rate()};
    engine::SetCdcLag(live.Metrics(), &p);
    out += engine::FormatProgressRow(p, width) + "\n";
  }
  drawn_lines_ = view_->names.size() + 1;
  std::fwrite(out.data(), 1, out.size(), stderr);
  std::fflush(stderr);
}

}  // namespace rapidbyte::cli
