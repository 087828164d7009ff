// Discover (SPEC §7.4): the Catalog of every readable relation, with columns (Arrow type
// spelling, nullability, pg_type), primary key, supported sync modes and a suggested cursor.
// Guest only.
#pragma once

#include "base/result.h"
#include "connectors/postgres/source/source_config.h"
#include "pgwire/catalog.h"
#include "protocol/json.h"

namespace rapidbyte::pgsource {

/// Connect and build the Catalog JSON ({"streams": [Stream...]}).
Result<protocol::Json> Discover(const SourceConfig& config);

/// The Stream object of one relation (exposed for validate and tests of the mapping).
Result<protocol::Json> DescribeStream(std::string_view schema, std::string_view relation,
                                      const pgwire::RelationCatalog& catalog);

}  // namespace rapidbyte::pgsource
