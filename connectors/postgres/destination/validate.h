// rb_validate of dest-postgres (SPEC §8.8): connect and authenticate, check that the schema
// exists or may be created, and for each stream whose target table exists, its fitness for the
// write mode (a unique key for upsert, no dependents for replace). Failures are reported as
// FAILED checks with their category, not as errors. Guest only.
#pragma once

#include "protocol/json.h"
#include "sdk/connector.h"

namespace rapidbyte::pgdest {

/// `config`: the pipeline's config object; `request`: the whole ValidateRequest.
sdk::ValidationResult Validate(const protocol::Json& config, const protocol::Json& request);

}  // namespace rapidbyte::pgdest
