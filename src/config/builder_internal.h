// Internal to src/config: the steps that turn a substituted Value tree into a Pipeline.
#pragma once

#include <string>

#include "config/env_subst.h"
#include "config/loader.h"
#include "config/pipeline.h"
#include "config/problems.h"
#include "config/value.h"

namespace rapidbyte::config::internal {

/// Type every section that `purpose` needs into `out`, reporting structural problems.
void BuildPipeline(const Value& root, LoadPurpose purpose, const EnvLookup& env, Pipeline& out,
                   Problems& problems);

/// Cross-field rules of §2.6 (names, duplicates, keys, modes). Run only on the parts that
/// built cleanly; `purpose` selects which sections are checked.
void CheckPipelineRules(LoadPurpose purpose, Pipeline& pipeline, Problems& problems);

/// Collect the values that must be redacted from connector configs and URLs.
void CollectSecrets(Pipeline& pipeline);

}  // namespace rapidbyte::config::internal
