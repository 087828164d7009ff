// dest-postgres: on_data_error (skip, dlq, fail), a failing COMMIT, cancellation, byte
// checkpoints, rb_validate and the manifest/OpenInfo agreement (SPEC §4.2, §8.5, §8.7, §8.8).
#include <algorithm>
#include <cstdlib>

#include <gtest/gtest.h>

#include "arrow/record_batch_builder.h"
#include "config/value.h"
#include "plugin/manifest/config_check.h"
#include "plugin/manifest/manifest.h"
#include "tests/connectors/dest_postgres/dest_harness.h"

namespace rapidbyte::dest_test {
namespace {

using RowList = std::vector<std::vector<std::string>>;

class DestPostgresPolicies : public DestPostgresTest {
 protected:
  // users with scores below 50 only: ids 40 and up (score 50.00+) violate the check.
  void CreateCheckedUsers() {
    Exec(
        "CREATE TABLE public.users (id bigint PRIMARY KEY, name varchar(64), "
        "score numeric(12,2) CHECK (score < 50))");
  }
  RunSpec PolicySpec(const std::string& policy) {
    RunSpec spec;
    spec.context = StreamContext("public.users");
    spec.context["policies"]["on_data_error"] = policy;
    spec.frames = {UsersFrame(0, 30), UsersFrame(30, 30)};
    return spec;
  }
};

TEST_F(DestPostgresPolicies, SkipWritesTheGoodRowsAndCountsTheBadOnes) {
  CreateCheckedUsers();
  RunOutcome out = Run(PolicySpec("skip"));
  ASSERT_EQ(out.write["status"], "ok") << out.write.dump();
  EXPECT_EQ(out.write["data"]["records_written"], 40);
  EXPECT_EQ(out.write["data"]["records_failed"], 20);
  EXPECT_EQ(Rows("SELECT count(*), max(id) FROM public.users")[0],
            (std::vector<std::string>{"40", "39"}));
  EXPECT_EQ(Rows("SELECT to_regclass('public.rapidbyte_dlq') IS NULL")[0][0], "t");
  bool saw_failed_metric = false;
  for (const Json& m : out.metrics) saw_failed_metric |= m["name"] == "records_failed";
  EXPECT_TRUE(saw_failed_metric);
}

TEST_F(DestPostgresPolicies, DlqKeepsTheBadRowsWithTheirError) {
  CreateCheckedUsers();
  RunOutcome out = Run(PolicySpec("dlq"));
  ASSERT_EQ(out.write["status"], "ok") << out.write.dump();
  EXPECT_EQ(out.write["data"]["records_failed"], 20);
  EXPECT_EQ(Rows("SELECT count(*) FROM public.users")[0][0], "40");
  EXPECT_EQ(
      Rows("SELECT count(*), min((record->>'id')::int), max((record->>'id')::int), "
           "min(error_code), min(pipeline), min(stream), min(run_id) "
           "FROM public.rapidbyte_dlq")[0],
      (std::vector<std::string>{"20", "40", "59", "DATA_ERROR", "dest_test", "public.users", "7"}));
  EXPECT_EQ(Rows("SELECT record::text FROM public.rapidbyte_dlq WHERE record->>'id' = '41'")[0][0],
            R"({"id": 41, "name": "user41", "score": "51.25"})");
  EXPECT_NE(Rows("SELECT error_message FROM public.rapidbyte_dlq LIMIT 1")[0][0].find("check"),
            std::string::npos);
}

// A value the column cannot take (NUL in text) is caught by the encoder, before the server.
TEST_F(DestPostgresPolicies, ValuesTheColumnCannotTakeAreDataErrorsToo) {
  auto schema = std::make_shared<const arrow::Schema>(
      std::vector<arrow::Field>{PgField("id", arrow::DataType::Int64(), false, "bigint"),
                                PgField("name", arrow::DataType::Utf8(), true, "text")});
  auto rbb = arrow::RecordBatchBuilder::Make(schema);
  ASSERT_TRUE(rbb.ok());
  auto& b = **rbb;
  for (int id = 0; id < 4; ++id) {
    ASSERT_TRUE(b.column_as<arrow::Int64Builder>(0)->Append(id).ok());
    const std::string name = id == 2 ? std::string("bad\0name", 8) : "ok" + std::to_string(id);
    ASSERT_TRUE(b.column_as<arrow::StringBuilder>(1)->Append(name).ok());
  }
  auto batch = b.Finish();
  ASSERT_TRUE(batch.ok());
  RunSpec spec;
  spec.context = StreamContext("public.named");
  spec.context["policies"]["on_data_error"] = "dlq";
  spec.frames = {EncodeFrame(*batch)};
  RunOutcome out = Run(spec);
  ASSERT_EQ(out.write["status"], "ok") << out.write.dump();
  EXPECT_EQ(out.write["data"]["records_failed"], 1);
  EXPECT_EQ(Rows("SELECT string_agg(name, ',' ORDER BY id) FROM public.named")[0][0],
            "ok0,ok1,ok3");
  EXPECT_EQ(Rows("SELECT record->>'id', error_code FROM public.rapidbyte_dlq")[0],
            (std::vector<std::string>{"2", "DATA_ERROR"}));

  spec.context["policies"]["on_data_error"] = "fail";
  RunOutcome failed = Run(spec);
  ASSERT_EQ(failed.write["status"], "err") << failed.write.dump();
  EXPECT_EQ(failed.write["error"]["category"], "data");
  EXPECT_NE(failed.write["error"]["message"].get<std::string>().find("column name"),
            std::string::npos)
      << failed.write.dump();
}

// hosts(id, addr inet, note text) with `bad_row`'s address not an address, as Arrow text.
Frame HostsFrame(int first, int count, int bad_row, const std::string& note) {
  auto schema = std::make_shared<const arrow::Schema>(std::vector<arrow::Field>{
      PgField("id", arrow::DataType::Int64(), false, "bigint"),
      PgField("addr", arrow::DataType::Utf8(), true, "inet"),
      PgField("note", arrow::DataType::Utf8(), true, "text")});
  auto rbb = arrow::RecordBatchBuilder::Make(schema);
  EXPECT_TRUE(rbb.ok());
  auto& b = **rbb;
  for (int id = first; id < first + count; ++id) {
    EXPECT_TRUE(b.column_as<arrow::Int64Builder>(0)->Append(id).ok());
    const std::string addr = id == bad_row ? "not-an-ip" : "10.0.0." + std::to_string(id) + "/32";
    EXPECT_TRUE(b.column_as<arrow::StringBuilder>(1)->Append(addr).ok());
    EXPECT_TRUE(b.column_as<arrow::StringBuilder>(2)->Append(note + std::to_string(id)).ok());
  }
  auto batch = b.Finish();
  EXPECT_TRUE(batch.ok());
  return EncodeFrame(*batch);
}

// SPEC §8.3: a table with a text-carried column (inet) is loaded with a text-format COPY, so
// the server's error names the line and the column of a value it rejects; the other rows,
// with tabs, newlines and backslashes in their text, arrive unchanged, in append and upsert.
TEST_F(DestPostgresPolicies, TextCarriedColumnsGoThroughATextCopy) {
  const std::string note = "tab\there\nnewline \\ \\N\t";
  RunSpec spec;
  spec.context = StreamContext("public.hosts");
  spec.context["policies"]["on_data_error"] = "fail";
  spec.frames = {HostsFrame(0, 5, 2, note)};
  RunOutcome failed = Run(spec);
  ASSERT_EQ(failed.write["status"], "err") << failed.write.dump();
  EXPECT_EQ(failed.write["error"]["code"], "DATA_ERROR");
  const std::string message = failed.write["error"]["message"].get<std::string>();
  EXPECT_NE(message.find("invalid input syntax for type inet"), std::string::npos) << message;
  EXPECT_NE(message.find("COPY hosts, line 3, column addr: \"not-an-ip\""), std::string::npos)
      << message;

  spec.context["policies"]["on_data_error"] = "skip";
  RunOutcome skipped = Run(spec);
  ASSERT_EQ(skipped.write["status"], "ok") << skipped.write.dump();
  EXPECT_EQ(skipped.write["data"]["records_failed"], 1);
  EXPECT_EQ(Rows("SELECT string_agg(id || '=' || host(addr), ',' ORDER BY id), "
                 "bool_and(note = $$" + note + "$$ || id) FROM public.hosts")[0],
            (std::vector<std::string>{"0=10.0.0.0,1=10.0.0.1,3=10.0.0.3,4=10.0.0.4", "t"}));

  Exec("DROP TABLE public.hosts");
  spec.context = StreamContext("public.hosts", {{"upsert", {{"primary_key", {"id"}}}}});
  spec.frames = {HostsFrame(0, 5, -1, "a"), HostsFrame(3, 4, -1, "b")};
  ASSERT_EQ(Run(spec).write["status"], "ok");
  spec.frames = {HostsFrame(6, 2, -1, "c")};
  ASSERT_EQ(Run(spec).write["status"], "ok");
  EXPECT_EQ(Rows("SELECT string_agg(id || note, ',' ORDER BY id), "
                 "pg_typeof(min(addr))::text FROM public.hosts")[0],
            (std::vector<std::string>{"0a0,1a1,2a2,3b3,4b4,5b5,6c6,7c7", "inet"}));
}

TEST_F(DestPostgresPolicies, FailStopsAtTheFirstBadRowAndWritesNothing) {
  CreateCheckedUsers();
  RunOutcome out = Run(PolicySpec("fail"));
  ASSERT_EQ(out.write["status"], "err") << out.write.dump();
  EXPECT_EQ(out.write["error"]["category"], "data");
  EXPECT_EQ(out.write["error"]["code"], "DATA_ERROR");
  EXPECT_EQ(out.write["error"]["retryable"], false);
  EXPECT_EQ(Rows("SELECT count(*) FROM public.users")[0][0], "0");
}

TEST_F(DestPostgresPolicies, AFailingCommitIsReportedAsOutcomeUnknown) {
  // A deferred constraint fails at COMMIT itself, the moment whose outcome a connector
  // cannot otherwise know.
  Exec(
      "CREATE TABLE public.users (id bigint, name varchar(64), score numeric(12,2), "
      "CONSTRAINT users_id_key UNIQUE (id) DEFERRABLE INITIALLY DEFERRED)");
  RunSpec spec;
  spec.context = StreamContext("public.users");
  spec.frames = {UsersFrame(0, 5), UsersFrame(4, 1)};
  RunOutcome out = Run(spec);
  ASSERT_EQ(out.write["status"], "err") << out.write.dump();
  EXPECT_EQ(out.write["error"]["code"], "COMMIT_FAILED");
  EXPECT_EQ(out.write["error"]["category"], "transient_db");
  EXPECT_EQ(out.write["error"]["retryable"], true);
  EXPECT_EQ(out.write["error"]["safe_to_retry"], false);
  EXPECT_EQ(out.write["error"]["commit_state"], "after_commit_unknown");
  EXPECT_TRUE(out.checkpoints.empty());
}

TEST_F(DestPostgresPolicies, CancellationRollsBackWithoutCheckpointing) {
  RunSpec spec;
  spec.context = StreamContext("public.users");
  spec.context["limits"]["checkpoint_interval_rows"] = 10;
  spec.frames = {UsersFrame(0, 5)};
  spec.fail_after_frames = 1;
  spec.cancel_instead_of_fail = true;
  RunOutcome out = Run(spec);
  ASSERT_EQ(out.write["status"], "err") << out.write.dump();
  EXPECT_EQ(out.write["error"]["code"], "CANCELLED");
  EXPECT_EQ(out.write["error"]["category"], "cancelled");
  EXPECT_TRUE(out.checkpoints.empty());
  EXPECT_EQ(Rows("SELECT to_regclass('public.users') IS NULL")[0][0], "t");
}

TEST_F(DestPostgresPolicies, CheckpointsByBytes) {
  RunSpec spec;
  spec.context = StreamContext("public.users");
  spec.context["limits"]["checkpoint_interval_bytes"] = 1;  // after every frame
  spec.frames = {UsersFrame(0, 5), UsersFrame(5, 5), UsersFrame(10, 5)};
  RunOutcome out = Run(spec);
  ASSERT_EQ(out.write["status"], "ok") << out.write.dump();
  // Three intermediate commits and the final one.
  ASSERT_EQ(out.checkpoints.size(), 4u);
  EXPECT_EQ(out.checkpoints[2]["records_processed"], 15);
  EXPECT_GT(out.checkpoints[2]["bytes_processed"].get<std::int64_t>(), 0);
}

TEST_F(DestPostgresPolicies, AnInvalidFrameIsInvalidIpcAndNothingIsCreated) {
  RunSpec spec;
  spec.context = StreamContext("public.users");
  Frame garbage = UsersFrame(0, 3);
  garbage.resize(garbage.size() / 2);  // cut inside the record batch
  spec.frames = {garbage};
  RunOutcome out = Run(spec);
  ASSERT_EQ(out.write["status"], "err") << out.write.dump();
  EXPECT_EQ(out.write["error"]["code"], "INVALID_IPC");
  EXPECT_EQ(Rows("SELECT to_regclass('public.users') IS NULL")[0][0], "t");
}

TEST_F(DestPostgresPolicies, ValidateReportsTheSchemaAndEachStreamsFitness) {
  Exec("CREATE TABLE public.nokey (id bigint)");
  Json streams =
      Json::array({StreamContext("public.nokey", {{"upsert", {{"primary_key", {"id"}}}}}),
                   StreamContext("public.fresh", "append")});
  Json result = Validate(Json{{"schema", "raw"}}, streams);
  ASSERT_EQ(result["status"], "ok") << result.dump();
  const Json& data = result["data"];
  EXPECT_EQ(data["status"], "success");
  ASSERT_EQ(data["checks"].size(), 3u);
  EXPECT_EQ(data["checks"][0]["message"],
            "Connected to 127.0.0.1:" + std::to_string(cluster()->port()) + "/" + db_ +
                " (schema 'raw' will be created)");
  // Streams are looked up in the configured schema (raw), where neither table exists yet.
  EXPECT_EQ(data["checks"][1]["status"], "success");

  Json in_public = Validate(Json{{"schema", "public"}}, streams);
  EXPECT_EQ(in_public["data"]["status"], "failed");
  EXPECT_EQ(in_public["data"]["checks"][1]["status"], "failed");
  EXPECT_NE(in_public["data"]["checks"][1]["message"].get<std::string>().find("unique"),
            std::string::npos);
  EXPECT_EQ(in_public["data"]["checks"][2]["status"], "success");
}

TEST_F(DestPostgresPolicies, ValidateReportsAConnectionFailureAsAFailedCheck) {
  Json result = Validate(Json{{"port", 1}}, Json::array());
  ASSERT_EQ(result["status"], "ok") << result.dump();
  EXPECT_EQ(result["data"]["status"], "failed");
  EXPECT_EQ(result["data"]["checks"][0]["name"], "connection");
}

// The manifest loads with the host's parser, its defaults complete a minimal config, and
// rb_open's features are a subset of the manifest's (SPEC §4.2).
TEST_F(DestPostgresPolicies, ManifestDefaultsAndOpenInfoAgree) {
  auto manifest = plugin::manifest::LoadManifestFile(std::string(std::getenv("RB_BINARY_DIR")) +
                                                     "/connectors/dest-postgres.manifest.json");
  ASSERT_TRUE(manifest.ok()) << manifest.status().ToString();
  ASSERT_TRUE(manifest->destination.has_value());
  EXPECT_EQ(manifest->destination->features,
            (std::vector<std::string>{"exactly_once", "bulk_load_copy"}));
  EXPECT_TRUE(manifest->permissions.network.allow_runtime_config_domains);
  config::Value config = config::Value::Map();
  for (const char* key : {"host", "user", "database"}) {
    config.mutable_entries().push_back({key, {}, config::Value::Scalar("x", false)});
  }
  auto check = plugin::manifest::CheckConnectorConfig(manifest->config_schema.get(), config,
                                                      "destination.config");
  ASSERT_TRUE(check.ok()) << check.problems[0];
  EXPECT_EQ(check.config["port"], 5432);
  EXPECT_EQ(check.config["schema"], "public");
  EXPECT_EQ(check.config["load_method"], "copy");
  EXPECT_EQ(check.config["sslmode"], "prefer");
  EXPECT_EQ(check.config["copy_flush_bytes"], 4194304);
  EXPECT_EQ(check.config["insert_batch_rows"], 1000);

  RunSpec spec;
  spec.context = StreamContext("public.users");
  spec.frames = {UsersFrame(0, 1)};
  RunOutcome out = Run(spec);
  ASSERT_EQ(out.open["status"], "ok");
  for (const Json& feature : out.open["data"]["features"]) {
    EXPECT_NE(std::find(manifest->destination->features.begin(),
                        manifest->destination->features.end(), feature.get<std::string>()),
              manifest->destination->features.end())
        << feature;
  }
}

}  // namespace
}  // namespace rapidbyte::dest_test
