// RunStage: the life of one stage's instance on its own thread (SPEC §4.4): instantiate,
// rb_open, (for the source, wait until the destination is ready), the run call, rb_close.
// Every outcome is recorded in the AttemptState; the thread never throws.
#pragma once

#include "engine/attempt_state.h"

namespace rapidbyte::engine {

void RunStage(AttemptState& attempt, Stage& stage);

}  // namespace rapidbyte::engine
