// The counters and phase times of a finished attempt (SPEC §5.10): from the engine's own
// channel statistics and from the stages' summaries. Apart from the attempt's live pieces
// because it runs once, after every stage thread is done, and only reads.
#pragma once

#include <memory>
#include <vector>

#include "engine/stage.h"
#include "engine/stream_attempt.h"

namespace rapidbyte::engine {

void TallyAttempt(const std::vector<std::unique_ptr<Stage>>& stages,
                  const std::vector<std::unique_ptr<FramePath>>& paths, Codec codec,
                  AttemptResult* r);

}  // namespace rapidbyte::engine
