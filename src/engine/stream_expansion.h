// Before a run (and for `check` and `--dry-run`): the source's catalog through rb_discover,
// and pattern streams (`name: public.*`) expanded against it (config/stream_patterns.h). A
// pipeline without patterns never calls the source here.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "config/pipeline.h"
#include "config/stream_patterns.h"
#include "engine/pipeline_connectors.h"

namespace rapidbyte::engine {

/// The source's catalog: rb_discover on a fresh instance (resolving only the source).
/// `secrets` (may be null) receives the source connector's secrets, for messages.
/// InvalidArgument when the source does not resolve; the connector's error otherwise.
Result<nlohmann::json> DiscoverCatalog(const config::Pipeline& pipeline,
                                       const ResolveOptions& options,
                                       std::vector<std::string>* secrets);

/// The relations of a catalog (SPEC §4.10 Catalog) as the expansion sees them. A stream
/// name is split at its first dot; malformed entries are left out.
std::vector<config::CatalogRelation> CatalogRelations(const nlohmann::json& catalog);

/// `pipeline` with its patterns expanded, discovering the catalog only when there is a
/// pattern. Problems and warnings are in the result; a failing discover is the Status.
Result<config::ExpansionResult> ExpandPipelineStreams(const config::Pipeline& pipeline,
                                                      const ResolveOptions& options,
                                                      std::vector<std::string>* secrets);

/// "source.streams[0] 'public.*' matched 3 tables: public.a, public.b, public.c".
std::string DescribeExpansion(const config::PatternExpansion& expansion);

}  // namespace rapidbyte::engine
