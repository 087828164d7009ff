// SPEC §11 acceptance, PostgreSQL → PostgreSQL: the pipeline file, the command line and the
// connectors it names (scenarios 40, 41, 42, 44, 47, 48, 49, 66, 67): YAML syntax errors,
// unknown and `x-` keys, every problem reported at once, byte sizes, resolution through
// RAPIDBYTE_CONNECTOR_DIR, installing and replacing a connector, manifest checksums, CLI
// basics, and the bundled connectors' manifests against what their code does.
//
// Connectors other than the bundled ones are built test connectors (<build>/connectors)
// copied under new names with manifests written here; a module outside the bundled folder is
// translated to native code on first use, so those tests pay for a wasm2c + cc run.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "tests/e2e/e2e_fixture.h"

namespace rapidbyte::e2e {
namespace {

namespace fs = std::filesystem;

std::string BinaryDir() {
  const char* dir = std::getenv("RB_BINARY_DIR");
  return dir != nullptr ? dir : "";
}
// The connector folder of a development build: the bundled location (SPEC §4.1).
std::string BundledDir() { return BinaryDir() + "/connectors"; }

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Json ReadJson(const std::string& path) { return Json::parse(ReadText(path), nullptr, false); }

Json BundledManifest(const std::string& name) {
  return ReadJson(BundledDir() + "/" + name + ".manifest.json");
}

// The "  - ..." problem lines of a validation error block, without the prefix.
std::vector<std::string> ProblemLines(const std::string& err) {
  std::vector<std::string> out;
  std::istringstream in(err);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("  - ", 0) == 0) out.push_back(line.substr(4));
  }
  return out;
}

// The check named `name` of a `check --output json` document (null when absent).
Json CheckNamed(const Json& doc, const std::string& name) {
  if (!doc.is_object() || !doc.contains("checks") || !doc["checks"].is_array()) return nullptr;
  for (const auto& c : doc["checks"]) {
    if (c.value("name", "") == name) return c;
  }
  return nullptr;
}

std::string Join(const Json& list) {
  std::string out;
  for (const auto& item : list) out += (out.empty() ? "" : ", ") + item.get<std::string>();
  return out;
}

bool ListHas(const Json& list, const std::string& value) {
  for (const auto& item : list) {
    if (item == value) return true;
  }
  return false;
}

// The stderr lines of a `--log-format json` run whose `msg` is `message`, parsed.
std::vector<Json> JsonLogLines(const std::string& err, const std::string& message) {
  std::vector<Json> out;
  std::istringstream in(err);
  std::string line;
  while (std::getline(in, line)) {
    const Json doc = Json::parse(line, nullptr, false);
    if (doc.is_object() && doc.value("msg", "") == message) {
      out.push_back(doc);
    }
  }
  return out;
}

class PgConfigTest : public E2eTest {
 protected:
  // Write `text` as `name` in this test's pipeline folder; returns its path.
  std::string WriteFile(const std::string& name, const std::string& text) {
    const std::string path = dir_ + "/" + name;
    testing::WriteFile(path, text);
    return path;
  }

  // A pipeline `name` copying public.users into `dest_schema` on the fixture's databases,
  // with `source_lines`/`dest_lines` (indented by 2) appended to those blocks.
  std::string Users(const std::string& name, const std::string& dest_schema,
                    const std::string& source_lines = "",
                    const std::string& dest_lines = "") const {
    return "version: \"1.0\"\npipeline: " + name +
           "\nsource:\n  use: source-postgres\n  config: " + PgConfig(src_) +
           "\n  streams:\n    - name: users\n" + source_lines +
           "destination:\n  use: dest-postgres\n  config: " +
           PgConfig(dst_, "schema: " + dest_schema) + "\n  write_mode: append\n" + dest_lines;
  }

  // `yaml` with $SRC and $DST replaced by the config flow maps of the fixture's source and
  // destination (schema raw) databases.
  std::string Fill(std::string yaml) const {
    yaml = std::regex_replace(yaml, std::regex("\\$SRC"), PgConfig(src_));
    return std::regex_replace(yaml, std::regex("\\$DST"), PgConfig(dst_, "schema: raw"));
  }

  // A connector in `dir`: the built test connector `module`.wasm copied as `as`.wasm with
  // `manifest` beside it. Returns the .wasm path.
  static std::string StageConnector(const std::string& dir, const std::string& module,
                                    const std::string& as, const Json& manifest) {
    fs::create_directories(dir);
    const std::string wasm = dir + "/" + as + ".wasm";
    fs::copy_file(BundledDir() + "/" + module + ".wasm", wasm,
                  fs::copy_options::overwrite_existing);
    testing::WriteFile(dir + "/" + as + ".manifest.json", manifest.dump(2));
    return wasm;
  }

  // SHA-256 (hex) of a file, computed by the server, so the test needs no hash code.
  std::string Sha256Of(const std::string& path) const {
    const std::string bytes = ReadText(path);
    static const char* kHex = "0123456789abcdef";
    std::string hex;
    hex.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
      hex.push_back(kHex[c >> 4]);
      hex.push_back(kHex[c & 15]);
    }
    return src_.Scalar("SELECT encode(sha256(decode('" + hex + "', 'hex')), 'hex')");
  }

  CommandOptions WithEnv(const std::vector<std::string>& env) const {
    CommandOptions options;
    options.env = env;
    return options;
  }

  std::string Plugins() const { return home_ + "/.rapidbyte/plugins"; }
};

// A transform manifest for a test module copied under another name.
Json TransformManifest(const std::string& id, const std::string& version) {
  return Json{{"manifest_version", "1.0"},
              {"id", id},
              {"name", "E2E Transform"},
              {"version", version},
              {"description", "a test transform under another name"},
              {"protocol_version", "1"},
              {"roles", {{"transform", Json::object()}}},
              {"config_schema",
               {{"type", "object"},
                {"additionalProperties", false},
                {"properties",
                 {{"mode",
                   {{"type", "string"},
                    {"enum", {"identity", "add_column", "drop_column"}},
                    {"default", "add_column"}}}}}}}};
}

// ---------------------------------------------------------------------------------------------
// §11.40: a YAML syntax error is exit 2 naming `file:line:column` and the parser's message,
// for `run` and `check` alike, before any state exists; a duplicate key is a syntax-level
// error naming both lines.
TEST_F(PgConfigTest, BadYamlSyntaxNamesFileLineAndColumn) {
  const std::string bad = WriteFile("bad_syntax.yaml", R"(version: "1.0"
pipeline: e2e_bad_yaml
source:
  use: source-postgres
  streams: [users, orders
destination:
  use: dest-postgres
)");
  const CommandRun run = Cli({"run", bad});
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_EQ(run.out, "");
  // yaml-cpp notices the unclosed `[` of line 5 at the `:` of line 6.
  EXPECT_EQ(run.err, "Error: Invalid YAML at " + bad + ":6:12: end of sequence flow not found\n");

  const CommandRun check = Cli({"check", bad});
  EXPECT_EQ(check.exit_code, 2) << check.out << check.err;
  EXPECT_TRUE(Contains(check.err, "Invalid YAML at " + bad + ":6:12: ")) << check.err;
  EXPECT_TRUE(Contains(check.out, "Pipeline structure: FAILED")) << check.out;

  const std::string dup = WriteFile("duplicate_key.yaml", R"(version: "1.0"
pipeline: e2e_dup
source:
  use: source-postgres
  streams:
    - name: users
pipeline: e2e_dup_again
)");
  const CommandRun twice = Cli({"run", dup});
  EXPECT_EQ(twice.exit_code, 2) << twice.out << twice.err;
  EXPECT_TRUE(Contains(twice.err, dup + ":7:1: duplicate key 'pipeline' (first defined at line 2)"))
      << twice.err;
  EXPECT_FALSE(fs::exists(StatePath()));
}

// §11.41: a misspelled key is exit 2 with its path and a suggestion; `x-` keys are accepted
// at every level (top, source, stream, transform, destination, schema_evolution, state,
// resources) and the run with them completes.
TEST_F(PgConfigTest, UnknownKeysAreRejectedAndXKeysAccepted) {
  CreateUsersAndOrders(src_);
  const std::string typo =
      WriteFile("typo.yaml", Users("e2e_keys", "raw") + "resources:\n  max_batch_byte: 1mb\n");
  const CommandRun r = Cli({"run", typo});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "Error: Pipeline validation failed (1 problem) in " + typo + ":\n" +
                       "  - resources.max_batch_byte: unknown key (did you mean "
                       "'max_batch_bytes'?)\n");
  EXPECT_FALSE(fs::exists(StatePath()));

  const std::string notes = WriteFile("notes.yaml", Fill(R"(version: "1.0"
x-notes: top level
pipeline: e2e_keys
source:
  use: source-postgres
  x-notes: {owner: data-team, ticket: 42}
  config: $SRC
  streams:
    - name: users
      x-notes: [any, shape]
transforms:
  - use: test-transform
    x-notes: identity here
    config: {mode: identity}
destination:
  use: dest-postgres
  x-notes: null
  config: $DST
  write_mode: append
  schema_evolution: {new_column: add, x-notes: 1}
state:
  x-notes: default backend
resources:
  x-notes: defaults
  max_batch_bytes: 1mb
)"));
  const RunOutput ok = Run(notes);
  ASSERT_EQ(ok.exit_code(), 0) << ok.Describe();
  ExpectExactCopy("public.users", "raw.users");
}

// §11.42: nine independent problems in one file are all reported in one error with their
// paths, exit 2, and `check` shows the same problems as details of its structure line.
TEST_F(PgConfigTest, ManyProblemsAreReportedTogether) {
  const std::string p = WriteFile("many.yaml", Fill(R"(version: "2.0"
pipeline: ""
source:
  use: source-postgres
  config: $SRC
  streams:
    - name: users
    - name: public.users
destination:
  use: dest-postgres
  config: $DST
  write_mode: upsert
  on_data_error: drop
state:
  backend: postgres
resources:
  compression: snappy
  parallelism: 0
  max_batch_bytes: 64 megs
)"));
  std::vector<std::string> expected = {
      "version: unsupported version '2.0', expected '1.0'",
      "pipeline: must not be empty",
      "source.streams[1].name: duplicate stream 'public.users' (also source.streams[0])",
      "destination.primary_key: write_mode 'upsert' needs a primary key (here or on every "
      "stream); missing for public.users",
      "destination.on_data_error: 'drop' is not one of fail, skip, dlq",
      "state.connection: required when backend is 'postgres' (a postgresql:// URL)",
      "resources.compression: Invalid compression codec 'snappy'. Must be 'lz4' or 'zstd'",
      "resources.parallelism: must be at least 1, got 0",
      "resources.max_batch_bytes: '64 megs' is not a byte size (examples: 1048576, 512kb, 64 "
      "MiB, 1.5gb)"};
  std::sort(expected.begin(), expected.end());
  const CommandRun r = Cli({"run", p});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("Error: Pipeline validation failed (9 problems) in " + p + ":\n", 0), 0u)
      << r.err;
  std::vector<std::string> got = ProblemLines(r.err);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, expected) << r.err;
  EXPECT_FALSE(fs::exists(StatePath()));

  const CommandRun c = Cli({"check", p, "--output", "json"});
  EXPECT_EQ(c.exit_code, 2) << c.out << c.err;
  Json structure = CheckNamed(Json::parse(c.out, nullptr, false), "Pipeline structure");
  EXPECT_EQ(structure["status"], "FAILED") << c.out;
  EXPECT_EQ(structure["message"], "9 problems") << c.out;
  std::vector<std::string> details = structure["details"].get<std::vector<std::string>>();
  std::sort(details.begin(), details.end());
  EXPECT_EQ(details, expected) << c.out;
}

// §11.44, through the run: a table of four NOT NULL bigint columns has 32 Arrow buffer bytes
// per row, so a batch of `max_batch_bytes` B holds exactly B/32 rows (SPEC §7.3 step 7):
// `1024` → 32 rows, `512k` → 16384 rows, `64 MiB` → all 150,000 rows in one batch (with the
// source's row cap raised above them).
TEST_F(PgConfigTest, ByteSizesDecideBatchCounts) {
  const std::string columns =
      "(a bigint NOT NULL, b bigint NOT NULL, c bigint NOT NULL, "
      "d bigint NOT NULL)";
  src_.Exec("CREATE TABLE tiny " + columns + "; CREATE TABLE sizes " + columns +
            "; INSERT INTO tiny SELECT i, i, i, i FROM generate_series(1, 1000) AS i;"
            "INSERT INTO sizes SELECT i, -i, i * 2, i % 7 FROM generate_series(1, 150000) AS i");
  struct Case {
    std::string size, table;
    std::int64_t rows, batches;
  };
  int n = 0;
  for (const Case& c : {Case{"1024", "tiny", 1000, 32}, Case{"512k", "sizes", 150000, 10},
                        Case{"\"64 MiB\"", "sizes", 150000, 1}}) {
    SCOPED_TRACE("max_batch_bytes: " + c.size);
    const std::string schema = "raw_size" + std::to_string(n++);
    const std::string p = WriteFile(
        schema + ".yaml",
        "version: \"1.0\"\npipeline: e2e_" + schema +
            "\nsource:\n  use: source-postgres\n"
            "  config: " +
            PgConfig(src_, "max_batch_rows: 1000000") + "\n  streams:\n    - name: " + c.table +
            "\ndestination:\n  use: dest-postgres\n"
            "  config: " +
            PgConfig(dst_, "schema: " + schema) +
            "\n  write_mode: append\nresources:\n  max_batch_bytes: " + c.size + "\n");
    const RunOutput r = Run(p);
    ASSERT_EQ(r.exit_code(), 0) << r.Describe();
    Json s = r.Stream("public." + c.table);
    EXPECT_EQ(s["records_read"], c.rows) << s.dump();
    EXPECT_EQ(s["batches_emitted"], c.batches) << s.dump();
    EXPECT_EQ(s["batches_written"], c.batches) << s.dump();
    EXPECT_EQ(dst_.Count(schema + "." + c.table), c.rows);
  }
  // The data arrived intact (aggregates: comparing 150,000 rows as text is slow under ASan).
  const std::string digest =
      "SELECT count(*) || ' ' || sum(a) || ' ' || sum(b) || ' ' || sum(c) || ' ' || sum(d) || "
      "' ' || count(DISTINCT a) FROM ";
  EXPECT_EQ(dst_.Scalar(digest + "raw_size2.sizes"), src_.Scalar(digest + "public.sizes"));
}

// §11.44, through `check --output json`: sizes below a field's minimum are reported with the
// parsed value (`100b` → 100 bytes, `1024` → 1 KiB, `512k` → 512 KiB); `1.5gb` is 1536 MiB
// against a connector whose manifest needs 2 GiB; `64 MiB` meets dest-postgres's
// min_memory_mb of exactly 64; `64 megs` and `-1mb` are not sizes, naming their fields.
TEST_F(PgConfigTest, ByteSizesInCheckJson) {
  auto check = [&](const std::string& name, const std::string& yaml,
                   const std::vector<std::string>& env = {}) {
    const CommandRun c = Cli({"check", WriteFile(name, yaml), "--output", "json"}, WithEnv(env));
    Json doc = Json::parse(c.out, nullptr, false);
    EXPECT_TRUE(doc.is_object()) << name << ": " << c.out << c.err;
    return std::make_pair(c.exit_code, doc);
  };

  auto [bad_exit, bad] =
      check("below_minimums.yaml", Users("e2e_sizes", "raw") +
                                       "resources:\n  max_batch_bytes: 100b\n  max_memory: 512k\n"
                                       "  max_record_bytes: -1mb\n"
                                       "  checkpoint_interval_bytes: 64 megs\n");
  EXPECT_EQ(bad_exit, 2);
  Json structure = CheckNamed(bad, "Pipeline structure");
  EXPECT_EQ(structure["status"], "FAILED") << bad.dump();
  std::vector<std::string> details = structure["details"].get<std::vector<std::string>>();
  std::sort(details.begin(), details.end());
  EXPECT_EQ(details,
            (std::vector<std::string>{
                "resources.checkpoint_interval_bytes: '64 megs' is not a byte size (examples: "
                "1048576, 512kb, 64 MiB, 1.5gb)",
                "resources.max_batch_bytes: must be at least 1 KiB, got 100 bytes",
                "resources.max_memory: must be at least 16 MiB, got 512 KiB",
                "resources.max_record_bytes: '-1mb' is not a byte size (examples: 1048576, "
                "512kb, 64 MiB, 1.5gb)"}))
      << bad.dump();

  auto [int_exit, integer] =
      check("integer.yaml", Users("e2e_sizes", "raw") + "resources:\n  max_memory: 1024\n");
  EXPECT_EQ(int_exit, 2);
  EXPECT_EQ(CheckNamed(integer, "Pipeline structure")["details"],
            Json::parse(R"(["resources.max_memory: must be at least 16 MiB, got 1 KiB"])"))
      << integer.dump();

  // 64 MiB is exactly dest-postgres's artifact.min_memory_mb: accepted, every check passes.
  ASSERT_EQ(BundledManifest("dest-postgres")["artifact"]["min_memory_mb"], 64);
  CreateUsersAndOrders(src_);
  auto [mib_exit, mib] =
      check("mib.yaml", Users("e2e_sizes", "raw") + "resources:\n  max_memory: 64 MiB\n");
  EXPECT_EQ(mib_exit, 0) << mib.dump();
  EXPECT_EQ(mib["ok"], true) << mib.dump();
  EXPECT_EQ(CheckNamed(mib, "Dest connector")["status"], "OK") << mib.dump();

  // 1.5gb against a transform whose manifest asks for 2048 MiB.
  const std::string conn = dir_ + "/hungry";
  Json manifest = TransformManifest("acme/hungry", "1.0.0");
  manifest["artifact"] = {{"min_memory_mb", 2048}};
  StageConnector(conn, "test-identity", "hungry", manifest);
  auto [gb_exit, gb] = check(
      "gb.yaml",
      Users("e2e_sizes", "raw") + "transforms:\n  - use: hungry\nresources:\n  max_memory: 1.5gb\n",
      {"RAPIDBYTE_CONNECTOR_DIR=" + conn});
  // The file itself is valid, so `check` reports a failed check (exit 1), not exit 2 (§3.3).
  EXPECT_EQ(gb_exit, 1) << gb.dump();
  Json transform = CheckNamed(gb, "Transform[0] connector");
  EXPECT_EQ(transform["status"], "FAILED") << gb.dump();
  EXPECT_EQ(transform["details"],
            Json::array({"resources.max_memory: must be at least 2 GiB for connector hungry "
                         "1.0.0 (artifact.min_memory_mb), got 1536 MiB"}))
      << gb.dump();
}

// §11.47: a connector in RAPIDBYTE_CONNECTOR_DIR named like the bundled one shadows it even
// with a lower version (the first location holding a match wins): here it is test-gen's code,
// so the rows that arrive are test-gen's. `@0.1.0` still finds the bundled source-postgres,
// and `@9.9.9` is exit 2 listing every location and what it held.
TEST_F(PgConfigTest, ConnectorDirShadowsBundledAndMissingVersionListsLocations) {
  CreateUsersAndOrders(src_);
  const std::string conn = dir_ + "/conn";
  Json manifest = BundledManifest("test-gen");
  manifest["id"] = "rapidbyte/source-postgres";
  manifest["name"] = "Shadowing Source";
  manifest["version"] = "0.0.9";
  StageConnector(conn, "test-gen", "source-postgres", manifest);
  const CommandOptions env = WithEnv({"RAPIDBYTE_CONNECTOR_DIR=" + conn});

  const CommandRun list = Cli({"connectors", "list"}, env);
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(list.out.find(conn + " (RAPIDBYTE_CONNECTOR_DIR)\n  source-postgres 0.0.9\n"
                                 "      id: rapidbyte/source-postgres\n"),
            0u)
      << list.out;
  EXPECT_TRUE(Contains(list.out, "\n  source-postgres 0.1.0 (shadowed)\n")) << list.out;

  const std::string shadowed = WriteFile("shadowed.yaml", Fill(R"(version: "1.0"
pipeline: e2e_shadow
source:
  use: source-postgres
  config: {rows: 7, batch_rows: 3}
  streams:
    - name: gen
destination:
  use: dest-postgres
  config: $DST
)"));
  const RunOutput r = Run(shadowed, {}, env);
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  EXPECT_TRUE(Contains(r.cmd.err, "Translating source-postgres 0.0.9 to native code (first use)"))
      << r.cmd.err;
  EXPECT_EQ(r.Stream("public.gen")["batches_emitted"], 3) << r.Describe();
  EXPECT_EQ(dst_.SortedRows("SELECT id, name, value FROM raw.gen WHERE id IN (1, 7)"),
            (std::vector<std::string>{"1|row-1|0.5", "7|row-7|3.5"}));
  EXPECT_EQ(dst_.Count("raw.gen"), 7);

  // A version only the bundled location holds is found there, and it is the real source.
  const std::string pinned =
      WriteFile("pinned.yaml", std::regex_replace(Users("e2e_pinned", "raw_pinned"),
                                                  std::regex("use: source-postgres"),
                                                  "use: source-postgres@0.1.0"));
  const RunOutput p = Run(pinned, {}, env);
  ASSERT_EQ(p.exit_code(), 0) << p.Describe();
  ExpectExactCopy("public.users", "raw_pinned.users");

  const std::string missing =
      WriteFile("missing.yaml", std::regex_replace(Users("e2e_missing", "raw_missing"),
                                                   std::regex("use: source-postgres"),
                                                   "use: source-postgres@9.9.9"));
  const CommandRun m = Cli({"run", missing}, env);
  EXPECT_EQ(m.exit_code, 2) << m.out << m.err;
  EXPECT_EQ(m.out, "");
  EXPECT_EQ(m.err,
            "Error: Pipeline validation failed (1 problem) in missing.yaml:\n"
            "  - source.use: connector 'source-postgres@9.9.9' not found. Searched:\n"
            "    " +
                conn +
                " (RAPIDBYTE_CONNECTOR_DIR): source-postgres 0.0.9 (version differs)\n"
                "    " +
                Plugins() +
                ": nothing\n"
                "    " +
                BundledDir() + " (bundled): source-postgres 0.1.0 (version differs)\n");
  EXPECT_FALSE(dst_.Exists("raw_missing.users"));
}

// §11.48: `connectors install` puts a connector under ~/.rapidbyte/plugins with its native
// code cached; `connectors list` shows it and a pipeline uses it without translating again.
// Reinstalling the same name and version with other code needs --force, retranslates, and
// the next run executes the new code (an added column), never the cached old code.
TEST_F(PgConfigTest, InstalledConnectorIsUsableAndForcedReplacementRunsNewCode) {
  CreateUsersAndOrders(src_);
  const std::string pkg = dir_ + "/pkg";
  // v1 code: test-identity (ignores `mode`); v2 code: test-transform (mode add_column).
  const std::string wasm =
      StageConnector(pkg, "test-identity", "swap", TransformManifest("acme/swap", "1.0.0"));
  const std::string installed = Plugins() + "/swap/1.0.0";
  const std::string installed_line =
      "Installed swap 1.0.0 (acme/swap) -> " + installed +
      " (native code cached)\nPermissions it asks for:\n  network: none\n"
      "  environment variables: none\n  files: none\n";

  const CommandRun install = Cli({"connectors", "install", wasm});
  ASSERT_EQ(install.exit_code, 0) << install.err;
  EXPECT_EQ(install.out, installed_line);
  EXPECT_TRUE(Contains(install.err, "Translating swap 1.0.0 to native code (first use)"))
      << install.err;
  EXPECT_EQ(ReadText(installed + "/swap.wasm"), ReadText(BundledDir() + "/test-identity.wasm"));

  const CommandRun list = Cli({"connectors", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_TRUE(Contains(list.out, Plugins() + "\n  swap 1.0.0\n      id: acme/swap\n"
                                             "      roles: transform\n"))
      << list.out;
  EXPECT_TRUE(std::regex_search(
      list.out, std::regex("\n  swap 1\\.0\\.0\n(      [^\n]*\n)*      native code: cached\n")))
      << list.out;

  auto run_into = [&](const std::string& schema) {
    const std::string p = WriteFile(
        schema + ".yaml", Users("e2e_" + schema, schema) + "transforms:\n  - use: swap\n");
    return Run(p, {"--log-level", "debug", "--log-format", "json"});
  };
  // The native code a run loaded for swap: from the cache, in a file named by the SHA-256 of
  // the installed .wasm (SPEC §4.1 cache key).
  auto expect_cached_code_of = [&](const RunOutput& r) {
    std::vector<Json> loads;
    for (const Json& line : JsonLogLines(r.cmd.err, "loaded connector native code")) {
      if (line.value("connector", "") == "swap 1.0.0") loads.push_back(line);
    }
    ASSERT_EQ(loads.size(), 1u) << r.cmd.err;
    EXPECT_EQ(loads[0].value("origin", ""), "cached") << loads[0].dump();
    const std::string file = fs::path(loads[0].value("path", "")).filename().string();
    EXPECT_EQ(file.rfind(Sha256Of(installed + "/swap.wasm"), 0), 0u) << loads[0].dump();
  };
  const RunOutput v1 = run_into("raw_v1");
  ASSERT_EQ(v1.exit_code(), 0) << v1.Describe();
  EXPECT_FALSE(Contains(v1.cmd.err, "Translating")) << v1.cmd.err;
  expect_cached_code_of(v1);
  ExpectExactCopy("public.users", "raw_v1.users");
  EXPECT_EQ(dst_.ColumnTypes("raw_v1.users").size(), 4u);

  // Same name and version, other code.
  fs::copy_file(BundledDir() + "/test-transform.wasm", wasm, fs::copy_options::overwrite_existing);
  const CommandRun refused = Cli({"connectors", "install", wasm});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.err, "Error: swap 1.0.0 is already installed in " + installed +
                             "; use --force to replace it\n");
  EXPECT_EQ(ReadText(installed + "/swap.wasm"), ReadText(BundledDir() + "/test-identity.wasm"));

  const CommandRun forced = Cli({"connectors", "install", wasm, "--force"});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(forced.out, installed_line);
  EXPECT_TRUE(Contains(forced.err, "Translating swap 1.0.0 to native code (first use)"))
      << forced.err;

  const RunOutput v2 = run_into("raw_v2");
  ASSERT_EQ(v2.exit_code(), 0) << v2.Describe();
  EXPECT_FALSE(Contains(v2.cmd.err, "Translating")) << v2.cmd.err;
  expect_cached_code_of(v2);
  EXPECT_EQ(dst_.SortedRows("SELECT id, extra FROM raw_v2.users"),
            (std::vector<std::string>{"1|7", "2|7", "3|7"}));
  ExpectExactCopy("public.users", "raw_v2.users", "id", "id, name, email, updated_at");
}

// §11.49: a manifest whose artifact.checksum does not match its module: `run` and `connectors
// install` are exit 2 naming the file, before any state exists; with the right checksum (bare
// hex form) the same connector runs.
TEST_F(PgConfigTest, ChecksumMismatchIsExit2NamingTheFile) {
  CreateUsersAndOrders(src_);
  const std::string conn = dir_ + "/conn";
  const std::string wrong = "sha256:" + std::string(64, '0');
  Json manifest = TransformManifest("acme/checked", "1.0.0");
  manifest["artifact"] = {{"checksum", wrong}};
  const std::string wasm = StageConnector(conn, "test-identity", "checked", manifest);
  const std::string mismatch = "WASM checksum mismatch for " + wasm + ". Expected: " + wrong +
                               ", file may be corrupted or tampered.";
  const CommandOptions env = WithEnv({"RAPIDBYTE_CONNECTOR_DIR=" + conn});
  const std::string p =
      WriteFile("checked.yaml", Users("e2e_checked", "raw") + "transforms:\n  - use: checked\n");

  const CommandRun run = Cli({"run", p}, env);
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_EQ(run.err,
            "Error: Pipeline validation failed (1 problem) in checked.yaml:\n"
            "  - transforms[0].use: " +
                mismatch + "\n");
  EXPECT_FALSE(fs::exists(StatePath()));
  EXPECT_FALSE(dst_.Exists("raw.users"));

  const CommandRun install = Cli({"connectors", "install", wasm});
  EXPECT_EQ(install.exit_code, 2);
  EXPECT_EQ(install.err, "Error: " + mismatch + "\n");
  EXPECT_FALSE(fs::exists(Plugins() + "/checked"));

  manifest["artifact"]["checksum"] = Sha256Of(wasm);
  testing::WriteFile(conn + "/checked.manifest.json", manifest.dump(2));
  const RunOutput ok = Run(p, {}, env);
  ASSERT_EQ(ok.exit_code(), 0) << ok.Describe();
  ExpectExactCopy("public.users", "raw.users");
}

// §11.66: `--version` prints the version and the protocol on stdout; an unknown command, an
// unknown global option and an unknown command option are usage errors: exit 2, the error and
// the usage on stderr, nothing on stdout.
TEST_F(PgConfigTest, CliVersionAndUsageErrors) {
  const std::string cmake = ReadText(std::string(std::getenv("RB_SOURCE_DIR")) + "/CMakeLists.txt");
  std::smatch version;
  ASSERT_TRUE(
      std::regex_search(cmake, version, std::regex("project\\(rapidbyte VERSION ([0-9.]+)")));
  const CommandRun v = Cli({"--version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.out, "rapidbyte " + version[1].str() + " (connector protocol 1)\n");
  EXPECT_EQ(v.err, "");

  const std::string p = WriteFile("p.yaml", Users("e2e_cli", "raw"));
  // (arguments, the error line); the usage (of the program or of the command) follows it.
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"frobnicate"}, "Error: The following argument was not expected: frobnicate\n"},
      {{"--bogus", "check", p}, "Error: The following argument was not expected: --bogus\n"},
      {{"run", p, "--frobnicate"},
       "Error: The following argument was not expected: --frobnicate\n"},
      {{}, "Error: a command is required\n"}};
  for (const auto& [args, error] : cases) {
    SCOPED_TRACE(error);
    const CommandRun r = Cli(args);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err.rfind(error, 0), 0u) << r.err;
    EXPECT_TRUE(
        std::regex_search(r.err, std::regex("\nUsage: rapidbyte( run| check)? \\[OPTIONS\\]")))
        << r.err;
  }
  EXPECT_FALSE(fs::exists(StatePath()));
}

// §11.67, source-postgres: every sync mode in the manifest's supported_sync_modes passes
// `check` and runs; a mode outside it is refused naming the supported list; the manifest's
// max_batch_rows default is what the code applies (150,000 small rows with no byte limit in
// reach come in ceil(150000 / default) batches).
TEST_F(PgConfigTest, SourcePostgresManifestMatchesItsBehaviour) {
  CreateUsersAndOrders(src_);
  Json manifest = BundledManifest("source-postgres");
  ASSERT_TRUE(manifest.is_object());
  const Json modes = manifest["roles"]["source"]["supported_sync_modes"];
  for (const std::string mode : {"full_refresh", "incremental", "cdc"}) {
    SCOPED_TRACE(mode);
    const std::string cursor = mode == "incremental" ? "      cursor_field: updated_at\n" : "";
    const std::string p =
        WriteFile(mode + ".yaml",
                  Users("e2e_" + mode, "raw_" + mode, "      sync_mode: " + mode + "\n" + cursor));
    const CommandRun c = Cli({"check", p, "--output", "json"});
    const Json doc = Json::parse(c.out, nullptr, false);
    Json line = CheckNamed(doc, "Source connector");
    if (ListHas(modes, mode)) {
      EXPECT_EQ(c.exit_code, 0) << c.out << c.err;
      EXPECT_EQ(line["status"], "OK") << c.out;
      const RunOutput r = Run(p);
      ASSERT_EQ(r.exit_code(), 0) << r.Describe();
      if (mode == "cdc") {  // a change log: the snapshot's rows as inserts, with _rb_ columns
        ExpectSameRows(src_, "SELECT * FROM public.users", dst_,
                       "SELECT id, name, email, updated_at FROM raw_cdc.users WHERE _rb_op = "
                       "'insert'");
      } else {
        ExpectExactCopy("public.users", "raw_" + mode + ".users");
      }
    } else {
      // A valid file whose connector refuses the mode: a failed check, exit 1 (§3.3).
      EXPECT_EQ(c.exit_code, 1) << c.out << c.err;
      EXPECT_EQ(line["status"], "FAILED") << c.out;
      EXPECT_EQ(line["details"], Json::array({"source.streams[0].sync_mode: '" + mode +
                                              "' is not supported by connector source-postgres " +
                                              manifest["version"].get<std::string>() +
                                              " (supported: " + Join(modes) + ")"}))
          << c.out;
    }
  }

  const Json default_rows = manifest["config_schema"]["properties"]["max_batch_rows"]["default"];
  ASSERT_TRUE(default_rows.is_number_integer()) << manifest.dump();
  const std::int64_t rows = 150000;
  src_.Exec(
      "CREATE TABLE narrow (a bigint NOT NULL); INSERT INTO narrow SELECT i FROM "
      "generate_series(1, " +
      std::to_string(rows) + ") AS i");
  const std::string p = WriteFile(
      "narrow.yaml",
      "version: \"1.0\"\npipeline: e2e_narrow\nsource:\n  use: source-postgres\n  config: " +
          PgConfig(src_) +
          "\n  streams:\n    - name: narrow\ndestination:\n"
          "  use: dest-postgres\n  config: " +
          PgConfig(dst_, "schema: raw_narrow") +
          "\n  write_mode: append\nresources:\n  max_batch_bytes: 64mb\n");
  const RunOutput r = Run(p);
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  const std::int64_t per_batch = default_rows.get<std::int64_t>();
  EXPECT_EQ(r.Stream("public.narrow")["batches_emitted"], (rows + per_batch - 1) / per_batch)
      << r.Describe();
  EXPECT_EQ(dst_.Count("raw_narrow.narrow"), rows);
}

// §11.67, dest-postgres: every write mode in supported_write_modes passes `check` and runs;
// omitting load_method and schema uses the manifest's defaults (binary COPY, schema public),
// seen in the destination's own log lines; `load_method: insert` logs INSERT instead; and the
// features the connector reports from rb_open are all declared by the manifest.
TEST_F(PgConfigTest, DestPostgresManifestMatchesItsBehaviour) {
  CreateUsersAndOrders(src_);
  Json manifest = BundledManifest("dest-postgres");
  ASSERT_TRUE(manifest.is_object());
  Json& role = manifest["roles"]["destination"];
  for (const std::string mode : {"append", "replace", "upsert"}) {
    SCOPED_TRACE(mode);
    const std::string p =
        WriteFile(mode + ".yaml",
                  std::regex_replace(Users("e2e_" + mode, "raw_" + mode, "",
                                           mode == "upsert" ? "  primary_key: [id]\n" : ""),
                                     std::regex("write_mode: append"), "write_mode: " + mode));
    const CommandRun c = Cli({"check", p, "--output", "json"});
    Json line = CheckNamed(Json::parse(c.out, nullptr, false), "Dest connector");
    if (ListHas(role["supported_write_modes"], mode)) {
      EXPECT_EQ(c.exit_code, 0) << c.out << c.err;
      EXPECT_EQ(line["status"], "OK") << c.out;
      const RunOutput r = Run(p);
      ASSERT_EQ(r.exit_code(), 0) << r.Describe();
      ExpectExactCopy("public.users", "raw_" + mode + ".users");
    } else {
      EXPECT_EQ(line["status"], "FAILED") << c.out;
    }
  }

  Json& props = manifest["config_schema"]["properties"];
  ASSERT_EQ(props["load_method"]["default"], "copy");
  ASSERT_EQ(props["schema"]["default"], "public");
  auto run_with = [&](const std::string& name, const std::string& dest_config) {
    const std::string p =
        WriteFile(name + ".yaml", "version: \"1.0\"\npipeline: e2e_" + name +
                                      "\nsource:\n  use: source-postgres\n"
                                      "  config: " +
                                      PgConfig(src_) +
                                      "\n  streams:\n    - name: orders\n"
                                      "destination:\n  use: dest-postgres\n  config: " +
                                      dest_config + "\n  write_mode: append\n");
    return Run(p, {"--log-level", "debug", "--log-format", "json"});
  };
  const RunOutput defaults = run_with("defaults", PgConfig(dst_));
  ASSERT_EQ(defaults.exit_code(), 0) << defaults.Describe();
  EXPECT_TRUE(Contains(defaults.cmd.err, "schema=public load_method=copy")) << defaults.cmd.err;
  EXPECT_TRUE(Contains(defaults.cmd.err, "flushed 3 rows in 1 batches via copy"))
      << defaults.cmd.err;
  ExpectExactCopy("public.orders", "public.orders");

  const RunOutput insert =
      run_with("insert", PgConfig(dst_, "schema: raw_insert, load_method: insert"));
  ASSERT_EQ(insert.exit_code(), 0) << insert.Describe();
  EXPECT_TRUE(Contains(insert.cmd.err, "schema=raw_insert load_method=insert")) << insert.cmd.err;
  EXPECT_TRUE(Contains(insert.cmd.err, "flushed 3 rows in 1 batches via insert")) << insert.cmd.err;
  ExpectExactCopy("public.orders", "raw_insert.orders");

  // OpenInfo.features (logged by the host at debug level) ⊆ the manifest's features, for
  // both connectors and both load methods; dest-postgres reports bulk_load_copy only for copy.
  Json source_features = BundledManifest("source-postgres")["roles"]["source"]["features"];
  for (const auto& [r, copy] :
       std::vector<std::pair<const RunOutput*, bool>>{{&defaults, true}, {&insert, false}}) {
    std::map<std::string, std::string> by_connector;
    for (const Json& line : JsonLogLines(r->cmd.err, "connector opened")) {
      by_connector[line.value("connector", "")] = line.value("features", "<none>");
    }
    ASSERT_EQ(by_connector.size(), 2u) << r->cmd.err;
    for (const auto& [id, features] : by_connector) {
      const Json declared = id == "rapidbyte/dest-postgres" ? role["features"] : source_features;
      std::istringstream items(features);
      std::string f;
      while (std::getline(items, f, ',')) {
        EXPECT_TRUE(ListHas(declared, f))
            << id << " reports feature '" << f << "' its manifest does not declare";
      }
    }
    EXPECT_EQ(by_connector["rapidbyte/dest-postgres"],
              copy ? "exactly_once,bulk_load_copy" : "exactly_once");
    EXPECT_EQ(by_connector["rapidbyte/source-postgres"], "");
  }
}

}  // namespace
}  // namespace rapidbyte::e2e
