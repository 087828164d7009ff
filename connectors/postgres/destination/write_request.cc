// The schema evolution policy, and the rest of WriteRequest from the parsed StreamContext.
#include "connectors/postgres/destination/write_request.h"

#include "sdk/config_fields.h"

namespace rapidbyte::pgdest {
namespace {

sdk::Outcome<void> ParseEvolution(const protocol::Json& evo, EvolutionPolicy* out) {
  using E = EvolutionPolicy;
  namespace fields = sdk::fields;
  const char* path = "policies.schema_evolution.";
  RB_TRY(fields::Enum<E::NewColumn>(evo, path, "new_column",
                                    {{"add", E::NewColumn::kAdd},
                                     {"ignore", E::NewColumn::kIgnore},
                                     {"fail", E::NewColumn::kFail}},
                                    &out->new_column));
  RB_TRY(fields::Enum<E::RemovedColumn>(
      evo, path, "removed_column",
      {{"ignore", E::RemovedColumn::kIgnore}, {"fail", E::RemovedColumn::kFail}},
      &out->removed_column));
  RB_TRY(fields::Enum<E::TypeChange>(evo, path, "type_change",
                                     {{"coerce", E::TypeChange::kCoerce},
                                      {"fail", E::TypeChange::kFail},
                                      {"null", E::TypeChange::kNull}},
                                     &out->type_change));
  return fields::Enum<E::Nullability>(
      evo, path, "nullability_change",
      {{"allow", E::Nullability::kAllow}, {"fail", E::Nullability::kFail}},
      &out->nullability_change);
}

}  // namespace

sdk::Outcome<WriteRequest> MakeWriteRequest(const sdk::StreamContext& context) {
  WriteRequest out;
  out.pipeline = context.pipeline();
  out.run_id = context.run_id();
  out.stream_name = context.stream_name();
  out.write_mode = context.write_mode();
  out.primary_key = context.primary_key();
  out.on_data_error = context.on_data_error();
  const protocol::Json* policies = protocol::GetMember(context.json(), "policies");
  const protocol::Json* evo =
      policies != nullptr ? protocol::GetMember(*policies, "schema_evolution") : nullptr;
  if (evo != nullptr && evo->is_object()) RB_TRY(ParseEvolution(*evo, &out.evolution));
  out.cdc = context.sync_mode() == SyncMode::kCdc;
  if (out.cdc && out.write_mode == WriteMode::kReplace) {
    return sdk::ConfigError("write_mode", "stream " + out.stream_name +
                                              ": replace cannot apply cdc changes (allowed: "
                                              "upsert, append)");
  }
  return out;
}

}  // namespace rapidbyte::pgdest
