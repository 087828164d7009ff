// SPEC §11 acceptance, PostgreSQL → PostgreSQL: errors, secrets and output discipline
// (scenarios 25, 26, 27, 43, 63).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_fixture.h"

namespace rapidbyte::e2e {
namespace {

using PgErrorsTest = E2eTest;

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int Occurrences(const std::string& text, const std::string& needle) {
  int n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++n;
  return n;
}

// Fails the test when `secret` occurs in the run's output or in any file of the state dir.
void ExpectSecretNowhere(const std::string& secret, const CommandRun& run,
                         const std::string& state_dir) {
  EXPECT_FALSE(Contains(run.out, secret)) << "secret in stdout:\n" << run.out;
  EXPECT_FALSE(Contains(run.err, secret)) << "secret in stderr:\n" << run.err;
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(state_dir)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    EXPECT_FALSE(Contains(ReadBytes(entry.path().string()), secret))
        << "secret in " << entry.path();
  }
  EXPECT_GT(files, 0) << "no state files in " << state_dir;
}

// Every stderr line is a JSON log object with level and msg (and there is at least one).
void ExpectEveryLineIsJsonLog(const std::string& err) {
  std::istringstream lines(err);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    ++n;
    const Json doc = Json::parse(line, nullptr, false);
    EXPECT_TRUE(doc.is_object() && doc.contains("level") && doc.contains("msg"))
        << "not a JSON log line: " << line;
  }
  EXPECT_GT(n, 0);
}

// §11.25: a misspelled table fails its stream once with TABLE_NOT_FOUND and a suggestion; the
// other streams complete.
TEST_F(PgErrorsTest, MissingTableFailsOnlyItsStream) {
  CreateUsersAndOrders(src_);
  PipelineSpec spec;
  spec.streams = "    - name: users\n    - name: ordrs\n    - name: orders\n";
  const RunOutput r = Run(WritePipeline(spec));
  EXPECT_EQ(r.exit_code(), 1) << r.Describe();
  EXPECT_EQ(r.result["status"], "failed");
  EXPECT_EQ(r.result["error"]["code"], "TABLE_NOT_FOUND") << r.Describe();
  EXPECT_TRUE(Contains(r.result["error"].value("message", ""), "did you mean public.orders?"))
      << r.Describe();
  const Json bad = r.Stream("public.ordrs");
  EXPECT_EQ(bad["status"], "failed");
  EXPECT_EQ(bad["attempts"], 1);
  EXPECT_EQ(r.Stream("public.users")["status"], "completed");
  EXPECT_EQ(r.Stream("public.orders")["status"], "completed");
  EXPECT_TRUE(Contains(r.cmd.err, "stream public.ordrs: Source error:")) << r.cmd.err;
  ExpectExactCopy("public.users", "raw.users");
  ExpectExactCopy("public.orders", "raw.orders");
  EXPECT_FALSE(dst_.Exists("raw.ordrs"));
  EXPECT_EQ(StateQuery("SELECT status FROM sync_runs"), "failed\n");
}

// §11.26: a wrong password fails with AUTH_FAILED without a retry, and the password appears
// nowhere: not on stdout, not on stderr (even at debug level), not in the state files.
TEST_F(PgErrorsTest, WrongPasswordIsAuthFailedAndNeverPrinted) {
  CreateUsersAndOrders(src_);
  const std::string secret = "Wr0ng-e2e-Passw0rd";
  PipelineSpec spec;
  spec.streams = "    - name: users\n";
  spec.source_config = "{host: 127.0.0.1, port: " + std::to_string(pg().port()) +
                       ", user: " + std::string(testing::kPgScramRole) + ", password: " + secret +
                       ", database: " + src_.name + "}";
  const RunOutput r = Run(WritePipeline(spec), {"--log-level", "debug"});
  EXPECT_EQ(r.exit_code(), 1) << r.Describe();
  EXPECT_EQ(r.result["error"]["code"], "AUTH_FAILED") << r.Describe();
  EXPECT_EQ(r.result["error"]["category"], "auth");
  EXPECT_EQ(r.Stream("public.users")["attempts"], 1);
  EXPECT_EQ(r.result["retries"], 0);
  ExpectSecretNowhere(secret, r.cmd, home_ + "/.rapidbyte");
}

// §11.27: an unreachable port is CONNECT_FAILED, retried max_retries times with backoff, then
// `Max retries exhausted, failing pipeline`.
TEST_F(PgErrorsTest, UnreachablePortIsRetriedThenFails) {
  PipelineSpec spec;
  spec.streams = "    - name: users\n";
  spec.source_config = "{host: 127.0.0.1, port: " + std::to_string(UnusedPort()) +
                       ", user: postgres, database: " + src_.name + ", connect_timeout: 2}";
  spec.resources = "  max_retries: 2\n";
  const RunOutput r = Run(WritePipeline(spec));
  EXPECT_EQ(r.exit_code(), 1) << r.Describe();
  EXPECT_EQ(r.result["error"]["code"], "CONNECT_FAILED") << r.Describe();
  EXPECT_EQ(r.Stream("public.users")["attempts"], 3);
  EXPECT_EQ(r.result["retries"], 2);
  EXPECT_EQ(Occurrences(r.cmd.err, "Retryable error, will retry"), 2) << r.cmd.err;
  EXPECT_TRUE(Contains(r.cmd.err, "Max retries exhausted, failing pipeline")) << r.cmd.err;
  // Full jitter: each wait is logged with its delay, within [0, min(60 s, base * 2^(n-1))].
  const std::regex delay("delay_ms=([0-9]+)");
  int delays = 0;
  for (auto it = std::sregex_iterator(r.cmd.err.begin(), r.cmd.err.end(), delay);
       it != std::sregex_iterator(); ++it) {
    ++delays;
    EXPECT_LE(std::stoll((*it)[1]), 60000);
  }
  EXPECT_EQ(delays, 2) << r.cmd.err;
}

// §11.43: missing variables are all listed; `${X:-d}` defaults apply, a plain `${PORT}` is an
// integer, and a password from the environment is never printed.
TEST_F(PgErrorsTest, EnvironmentSubstitutionAndSecrets) {
  CreateUsersAndOrders(src_);
  src_.Exec("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + std::string(testing::kPgScramRole));
  PipelineSpec missing;
  missing.name = "e2e_env_missing";
  missing.streams = "    - name: users\n";
  missing.source_config = "{host: 127.0.0.1, port: " + std::to_string(pg().port()) +
                          ", user: postgres, password: ${E2E_MISSING_PW}, database: " + src_.name +
                          "}";
  missing.dest_extra = "password: ${E2E_MISSING_DEST_PW}";
  const CommandRun m = Cli({"run", WritePipeline(missing)});
  EXPECT_EQ(m.exit_code, 2) << m.out << m.err;
  EXPECT_TRUE(Contains(m.err,
                       "Missing environment variable(s): E2E_MISSING_PW (source.config.password), "
                       "E2E_MISSING_DEST_PW (destination.config.password)"))
      << m.err;
  EXPECT_FALSE(std::filesystem::exists(StatePath())) << "state opened despite invalid input";

  const std::string password(testing::kPgScramPassword);
  PipelineSpec spec;
  spec.streams = "    - name: users\n";
  spec.source_config = "{host: \"${E2E_UNSET_HOST:-127.0.0.1}\", port: ${E2E_PORT}, user: " +
                       std::string(testing::kPgScramRole) +
                       ", password: ${E2E_PW}, database: " + src_.name + "}";
  CommandOptions options;
  options.env = {"E2E_PORT=" + std::to_string(pg().port()), "E2E_PW=" + password};
  const RunOutput r = Run(WritePipeline(spec), {"--log-level", "debug"}, options);
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  ExpectExactCopy("public.users", "raw.users");
  ExpectSecretNowhere(password, r.cmd, home_ + "/.rapidbyte");

  // The same pipeline through `check`, whose output echoes config problems and connections.
  const CommandRun check = Cli({"check", WritePipeline(spec), "--output", "json"}, options);
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_FALSE(Contains(check.out + check.err, password));
}

// §11.63: `--output json` prints one JSON document for success and failure; @@BENCH_JSON@@
// (run --bench-json) has exactly the §10.5 keys with their types; `--log-format json` makes every stderr line a
// JSON object; without a terminal stderr has no control characters.
TEST_F(PgErrorsTest, OutputDiscipline) {
  CreateUsersAndOrders(src_);
  PipelineSpec spec;
  spec.streams = "    - name: users\n    - name: orders\n";
  const std::string p = WritePipeline(spec);

  const CommandRun human = Cli({"run", p, "--bench-json"});
  ASSERT_EQ(human.exit_code, 0) << human.out << human.err;
  const std::size_t at = human.out.rfind("@@BENCH_JSON@@");
  ASSERT_NE(at, std::string::npos) << human.out;
  std::string raw = human.out.substr(at + 14);
  ASSERT_FALSE(raw.empty());
  ASSERT_EQ(raw.back(), '\n');
  raw.pop_back();
  EXPECT_EQ(raw.find(' '), std::string::npos) << "not compact: " << raw;
  const auto ordered = nlohmann::ordered_json::parse(raw, nullptr, false);
  ASSERT_FALSE(ordered.is_discarded()) << raw;
  std::vector<std::string> keys;
  for (const auto& item : ordered.items()) keys.push_back(item.key());
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end())) << raw;
  const std::vector<std::string> ints = {
      "bytes_read",      "bytes_written",    "dest_module_load_ms",
      "records_read",    "records_written",  "source_module_load_ms",
      "transform_count", "compressed_bytes", "parallelism",
      "peak_rss_bytes",  "records_failed",   "records_skipped",
      "retries",         "run_id",           "uncompressed_bytes"};
  const std::vector<std::string> floats = {
      "dest_commit_secs",     "dest_connect_secs",  "dest_duration_secs", "dest_flush_secs",
      "dest_recv_secs",       "dest_vm_setup_secs", "duration_secs",      "source_connect_secs",
      "source_duration_secs", "source_fetch_secs",  "source_query_secs",  "transform_duration_secs",
      "wasm_overhead_secs",   "compress_secs",      "cpu_secs",           "decompress_secs",
      "dest_wait_secs"};
  std::vector<std::string> expected = ints;
  expected.insert(expected.end(), floats.begin(), floats.end());
  for (const char* k : {"transform_module_load_ms", "compression", "streams"})
    expected.emplace_back(k);
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(keys, expected);
  const Json bench = Json::parse(raw);
  for (const auto& k : ints) EXPECT_TRUE(bench[k].is_number_integer()) << k << " = " << bench[k];
  for (const auto& k : floats) EXPECT_TRUE(bench[k].is_number_float()) << k << " = " << bench[k];
  EXPECT_TRUE(bench["transform_module_load_ms"].is_array());
  EXPECT_TRUE(bench["compression"].is_null());
  ASSERT_EQ(bench["streams"].size(), 2u);
  for (const auto& s : bench["streams"]) {
    EXPECT_FALSE(s.contains("error")) << s.dump();
    for (const char* k :
         {"name", "status", "sync_mode", "write_mode", "attempts", "records_read",
          "records_written", "bytes_read", "bytes_written", "batches_emitted", "batches_written",
          "checkpoints", "cursor", "duration_secs", "compressed_bytes", "uncompressed_bytes"}) {
      EXPECT_TRUE(s.contains(k)) << k << " missing in " << s.dump();
    }
  }
  for (const char* k : {"source_connect_secs", "source_query_secs", "source_fetch_secs"}) {
    EXPECT_GT(bench[k].get<double>(), 0.0) << k;
  }
  for (char c : human.err) {
    const auto u = static_cast<unsigned char>(c);
    EXPECT_FALSE(u < 0x20 && c != '\n' && c != '\t')
        << "control character " << int(u) << " on stderr";
    if (u < 0x20 && c != '\n' && c != '\t') break;
  }

  // JSON logs of a successful run; --output json of a failed run is still one document.
  const RunOutput ok = Run(p, {"--log-format", "json"});
  ASSERT_EQ(ok.exit_code(), 0) << ok.Describe();
  ExpectEveryLineIsJsonLog(ok.cmd.err);
  PipelineSpec failing = spec;
  failing.name = "e2e_failing";
  failing.streams = "    - name: nosuchtable\n";
  const RunOutput bad =
      Run(WritePipeline(failing));  // Run() fails the test unless stdout is one JSON document
  EXPECT_EQ(bad.exit_code(), 1) << bad.Describe();
  EXPECT_EQ(bad.result["status"], "failed");
  EXPECT_EQ(bad.result["error"]["code"], "TABLE_NOT_FOUND");
}

// §11.63, continued: with `--log-format json` every stderr line of a failed run is JSON too.
TEST_F(PgErrorsTest, JsonLogFormatForAFailedRun) {
  PipelineSpec spec;
  spec.name = "e2e_failing";
  spec.streams = "    - name: nosuchtable\n";
  const RunOutput bad = Run(WritePipeline(spec), {"--log-format", "json"});
  EXPECT_EQ(bad.exit_code(), 1) << bad.Describe();
  ExpectEveryLineIsJsonLog(bad.cmd.err);
}

}  // namespace
}  // namespace rapidbyte::e2e
