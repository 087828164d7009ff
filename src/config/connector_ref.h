// Connector references as written in `use:` (SPEC §4.1): [org/]name[@version].
#pragma once

#include <optional>
#include <string_view>

#include "config/pipeline.h"

namespace rapidbyte::config {

/// Parse a reference; nullopt when it does not follow the grammar. `name` is
/// [a-z0-9][a-z0-9_-]*, `org` the same, `version` MAJOR.MINOR.PATCH[-pre] with an optional
/// leading 'v' (dropped).
std::optional<ConnectorRef> ParseConnectorRef(std::string_view text);

}  // namespace rapidbyte::config
