// Validate (SPEC §7.5, §3.3): a ValidationResult with one check for the connection and one per
// stream (relation exists, SELECT privilege, columns exist, cursor column with a supported
// type; WARNING when it is nullable). Connection and authentication failures are FAILED
// checks carrying their category and code, not errors. Guest only.
#pragma once

#include "protocol/json.h"
#include "sdk/connector.h"

namespace rapidbyte::pgsource {

/// `config`: the pipeline's config object; `request`: the whole ValidateRequest.
sdk::ValidationResult Validate(const protocol::Json& config, const protocol::Json& request);

}  // namespace rapidbyte::pgsource
