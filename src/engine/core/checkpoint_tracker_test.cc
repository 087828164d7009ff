// SPEC §5.5 coverage and cursor advance, and the commit-token wait.
#include "engine/core/checkpoint_tracker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace rapidbyte::engine {
namespace {

using namespace std::chrono_literals;

SourceCheckpoint Cp(std::int64_t cursor) {
  auto parsed = SourceCheckpoint::Parse(
      R"({"protocol_version":"1","connector_id":"s","stream_name":"t","id":1,"kind":"source",)"
      R"("stream":"t","cursor_field":"id","cursor_value":{"int64":)" +
      std::to_string(cursor) + R"(},"records_processed":)" + std::to_string(cursor) + "}");
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return *parsed;
}

std::int64_t Cursor(const std::optional<SourceCheckpoint>& cp) {
  return cp ? cp->cursor_value["int64"].get<std::int64_t>() : -1;
}

// Source: frame 1, cp 10, frame 2, cp 20, frame 3, cp 30 — the shape SPEC asks of sources.
void EmitThree(CheckpointTracker& t) {
  for (std::uint64_t seq = 1; seq <= 3; ++seq) {
    t.OnSourceFrame(seq);
    EXPECT_FALSE(t.OnSourceCheckpoint(Cp(static_cast<std::int64_t>(seq) * 10)));
  }
}

TEST(CheckpointParseTest, ReadsEnvelopeAndPayloadForms) {
  auto top = SourceCheckpoint::Parse(
      R"({"cursor_field":"id","cursor_value":{"int64":3},"cursor_boundary":{"hashes":["ab"]},)"
      R"("records_processed":5,"bytes_processed":70})");
  ASSERT_TRUE(top.ok());
  EXPECT_EQ(top->cursor_field, "id");
  EXPECT_EQ(top->cursor_value["int64"], 3);
  EXPECT_EQ(top->cursor_boundary["hashes"][0], "ab");
  EXPECT_EQ(top->records_processed, 5);
  EXPECT_EQ(top->bytes_processed, 70);
  EXPECT_TRUE(top->has_position());

  auto nested = SourceCheckpoint::Parse(
      R"({"protocol_version":"1","payload":{"cursor_field":null,"cursor_value":"null"}})");
  ASSERT_TRUE(nested.ok());
  EXPECT_EQ(nested->cursor_field, "");
  EXPECT_FALSE(nested->has_position());
  EXPECT_FALSE(SourceCheckpoint::Parse("{}")->has_position());

  // The payload's own fields are kept for position kinds other than the cursor's.
  auto lsn = SourceCheckpoint::Parse(
      R"({"payload":{"lsn":"0/16B3748","records_processed":2},"protocol_version":"1"})");
  ASSERT_TRUE(lsn.ok());
  EXPECT_EQ(lsn->fields["lsn"], "0/16B3748");
  EXPECT_FALSE(lsn->fields.contains("protocol_version"));
  EXPECT_EQ(top->fields["cursor_field"], "id");

  EXPECT_FALSE(SourceCheckpoint::Parse("[1]").ok());
  EXPECT_FALSE(SourceCheckpoint::Parse("not json").ok());
  EXPECT_FALSE(SourceCheckpoint::Parse(R"({"cursor_field":3})").ok());
  EXPECT_FALSE(SourceCheckpoint::Parse(R"({"records_processed":"x"})").ok());
  EXPECT_FALSE(SourceCheckpoint::Parse(R"({"payload":5})").ok());
}

TEST(CheckpointTrackerTest, AfterSeqIsTheLastFrameBefore) {
  CheckpointTracker t;
  EXPECT_FALSE(t.OnSourceCheckpoint(Cp(0)));  // before any frame
  t.OnSourceFrame(1);
  t.OnSourceFrame(2);
  EXPECT_FALSE(t.OnSourceCheckpoint(Cp(20)));
  t.OnDestEndOfStream();
  auto covered = t.CoveredPosition();
  ASSERT_TRUE(covered);
  EXPECT_EQ(covered->after_seq, 2u);
  EXPECT_EQ(covered->index, 2u);
  EXPECT_EQ(t.source_checkpoint_count(), 2u);
}

TEST(CheckpointTrackerTest, NothingPersistedWithoutDestinationCheckpoint) {
  CheckpointTracker t;
  EmitThree(t);
  t.OnDestReceived(1);
  t.OnDestReceived(2);
  t.OnDestReceived(3);
  t.OnDestEndOfStream();
  t.OnSourceReturned();
  EXPECT_FALSE(t.last_returned());
  // Covered, but not committed: available for a commit token only.
  EXPECT_EQ(Cursor(t.CoveredPosition()), 30);
}

TEST(CheckpointTrackerTest, CoverageFollowsReceivedFrames) {
  CheckpointTracker t;
  EmitThree(t);
  EXPECT_FALSE(t.OnDestCheckpoint());  // received nothing: covers nothing
  t.OnDestReceived(1);
  EXPECT_EQ(Cursor(t.OnDestCheckpoint()), 10);
  EXPECT_FALSE(t.OnDestCheckpoint());  // nothing newer
  t.OnDestReceived(2);
  t.OnDestReceived(3);
  EXPECT_EQ(Cursor(t.OnDestCheckpoint()), 30);  // the latest within, skipping 20
  EXPECT_EQ(Cursor(t.last_returned()), 30);
}

TEST(CheckpointTrackerTest, SeveralFramesPerCheckpoint) {
  CheckpointTracker t;
  t.OnSourceFrame(1);
  t.OnSourceFrame(2);
  EXPECT_FALSE(t.OnSourceCheckpoint(Cp(2)));  // after_seq 2
  t.OnSourceFrame(3);
  t.OnSourceFrame(4);
  EXPECT_FALSE(t.OnSourceCheckpoint(Cp(4)));  // after_seq 4
  t.OnDestReceived(1);
  EXPECT_FALSE(t.OnDestCheckpoint());  // frame 2 not yet received: cp 2 not covered
  t.OnDestReceived(3);
  EXPECT_EQ(Cursor(t.OnDestCheckpoint()), 2);
  EXPECT_EQ(Cursor(t.CoveredPosition()), 2);
  t.OnDestReceived(4);
  EXPECT_EQ(Cursor(t.CoveredPosition()), 4);
  EXPECT_EQ(Cursor(t.OnDestCheckpoint()), 4);
}

TEST(CheckpointTrackerTest, EndOfStreamCoversEverything) {
  CheckpointTracker t;
  EmitThree(t);
  t.OnDestReceived(1);
  t.OnDestEndOfStream();
  EXPECT_TRUE(t.dest_end_of_stream());
  EXPECT_EQ(Cursor(t.OnDestCheckpoint()), 30);
}

TEST(CheckpointTrackerTest, AlreadyCoveredSourceCheckpointIsPersistedOnArrival) {
  // The destination took frame 2 and committed before the source's checkpoint for frame 2
  // arrived (they run on different threads).
  CheckpointTracker t;
  t.OnSourceFrame(1);
  EXPECT_FALSE(t.OnSourceCheckpoint(Cp(10)));
  t.OnSourceFrame(2);
  t.OnDestReceived(1);
  t.OnDestReceived(2);
  EXPECT_EQ(Cursor(t.OnDestCheckpoint()), 10);
  EXPECT_EQ(Cursor(t.OnSourceCheckpoint(Cp(20))), 20);  // covered by the confirmed frame 2
  t.OnSourceFrame(3);
  EXPECT_FALSE(t.OnSourceCheckpoint(Cp(30)));  // frame 3 not confirmed
  EXPECT_FALSE(t.OnDestCheckpoint());          // nothing new received
  EXPECT_EQ(Cursor(t.last_returned()), 20);
}

TEST(CheckpointTrackerTest, NeverReturnsAnOlderCheckpoint) {
  CheckpointTracker t;
  EmitThree(t);
  t.OnDestEndOfStream();
  EXPECT_EQ(Cursor(t.OnDestCheckpoint()), 30);
  t.OnDestReceived(1);  // a late, lower mark changes nothing
  EXPECT_FALSE(t.OnDestCheckpoint());
}

TEST(CheckpointTrackerTest, TransformFreeChainEndToEnd) {
  // Without transforms a destination frame's src_seq is the source frame's seq. Source and
  // destination on their own threads, the destination committing after every frame. Both
  // sides may be handed a checkpoint to persist (the source when the destination ran ahead).
  CheckpointTracker t;
  constexpr std::uint64_t kFrames = 200;
  std::atomic<std::uint64_t> emitted{0};
  std::vector<std::int64_t> from_source;
  std::thread source([&] {
    for (std::uint64_t seq = 1; seq <= kFrames; ++seq) {
      t.OnSourceFrame(seq);
      emitted.store(seq);
      if (auto p = t.OnSourceCheckpoint(Cp(static_cast<std::int64_t>(seq)))) {
        from_source.push_back(Cursor(p));
      }
    }
    t.OnSourceReturned();
  });
  std::vector<std::int64_t> from_dest;
  for (std::uint64_t seq = 1; seq <= kFrames; ++seq) {
    while (emitted.load() < seq) std::this_thread::yield();
    t.OnDestReceived(seq);
    if (auto p = t.OnDestCheckpoint()) {
      EXPECT_LE(Cursor(p), static_cast<std::int64_t>(seq));  // never past what was received
      from_dest.push_back(Cursor(p));
    }
  }
  source.join();
  t.OnDestEndOfStream();
  if (auto p = t.OnDestCheckpoint()) from_dest.push_back(Cursor(p));
  // Each side's persists strictly advance, no checkpoint is handed out twice, and the last
  // one persisted is the final position.
  for (const auto* side : {&from_source, &from_dest}) {
    for (std::size_t i = 1; i < side->size(); ++i) EXPECT_LT((*side)[i - 1], (*side)[i]);
  }
  std::vector<std::int64_t> all = from_source;
  all.insert(all.end(), from_dest.begin(), from_dest.end());
  std::sort(all.begin(), all.end());
  EXPECT_EQ(std::adjacent_find(all.begin(), all.end()), all.end());
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.back(), static_cast<std::int64_t>(kFrames));
  EXPECT_EQ(Cursor(t.last_returned()), static_cast<std::int64_t>(kFrames));
}

TEST(CheckpointTrackerTest, SourceReportedAfter) {
  CheckpointTracker t;
  EXPECT_FALSE(t.SourceReportedAfter(0));
  t.OnSourceFrame(1);
  EXPECT_TRUE(t.SourceReportedAfter(0));   // a later frame
  EXPECT_FALSE(t.SourceReportedAfter(1));
  EXPECT_FALSE(t.OnSourceCheckpoint(Cp(1)));
  EXPECT_TRUE(t.SourceReportedAfter(1));   // a checkpoint after frame 1
  t.OnSourceFrame(2);
  EXPECT_TRUE(t.SourceReportedAfter(1));
  EXPECT_FALSE(t.SourceReportedAfter(2));
  t.OnSourceReturned();
  EXPECT_TRUE(t.SourceReportedAfter(2));   // its return
  EXPECT_TRUE(t.SourceReportedAfter(99));
}

TEST(CheckpointTrackerTest, WaitForSourceAfterWakesOnCheckpoint) {
  CheckpointTracker t;
  t.OnSourceFrame(1);
  t.OnDestReceived(1);
  std::thread source([&] {
    std::this_thread::sleep_for(30ms);
    (void)t.OnSourceCheckpoint(Cp(1));
  });
  const auto r = t.WaitForSourceAfter(t.last_received_src_seq(), [] { return false; }, 10s);
  source.join();
  EXPECT_EQ(r, CheckpointTracker::WaitResult::kReady);
  // Now the covered position ends exactly at frame 1.
  EXPECT_EQ(Cursor(t.CoveredPosition()), 1);
}

TEST(CheckpointTrackerTest, WaitForSourceAfterCancelsAndTimesOut) {
  CheckpointTracker t;
  t.OnSourceFrame(1);
  EXPECT_EQ(t.WaitForSourceAfter(1, nullptr, 30ms), CheckpointTracker::WaitResult::kTimedOut);

  std::atomic<bool> cancel{false};
  std::thread canceller([&] {
    std::this_thread::sleep_for(30ms);
    cancel.store(true);
    t.Interrupt();
  });
  const auto start = std::chrono::steady_clock::now();
  const auto r = t.WaitForSourceAfter(1, [&] { return cancel.load(); }, std::nullopt, 10s);
  canceller.join();
  EXPECT_EQ(r, CheckpointTracker::WaitResult::kCancelled);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);  // Interrupt, not the poll, woke it

  // Ready beats cancelled.
  t.OnSourceReturned();
  EXPECT_EQ(t.WaitForSourceAfter(1, [] { return true; }), CheckpointTracker::WaitResult::kReady);
}

}  // namespace
}  // namespace rapidbyte::engine
