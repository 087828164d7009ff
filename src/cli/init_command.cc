// `rapidbyte init` and `rapidbyte discover --yaml`: write a pipeline for chosen tables.
// init asks on a terminal and takes flags otherwise; it connects to the source (through the
// source connector's discover) to fill in cursors and keys, and refers to passwords only as
// ${VARS}. The file it writes passes `check` once those variables are set.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "base/strings.h"
#include "cli/commands.h"
#include "cli/init_command.h"
#include "cli/pipeline_scaffold.h"
#include "cli/run_report.h"
#include "config/loader.h"
#include "config/yaml_reader.h"
#include "engine/stream_expansion.h"

namespace rapidbyte::cli {
namespace {

using nlohmann::json;

struct PgUrl {
  std::string user, host, database, schema;
  std::string port = "5432";
};

// postgres://user@host[:port]/database[?schema=name]. A password in the URL is refused: the
// file must not hold it, and a command line is visible to every user of the machine.
Result<PgUrl> ParsePgUrl(const std::string& flag, const std::string& url) {
  const std::string usage = flag + ": expected postgres://user@host[:port]/database (got '" +
                            SanitizeForTerminal(url) + "')";
  std::string rest;
  for (const char* scheme : {"postgres://", "postgresql://"}) {
    if (url.rfind(scheme, 0) == 0) rest = url.substr(std::string(scheme).size());
  }
  const std::size_t at = rest.find('@'), slash = rest.find('/');
  if (rest.empty() || at == std::string::npos || slash == std::string::npos || at > slash) {
    return Status::InvalidArgument(usage);
  }
  PgUrl out;
  out.user = rest.substr(0, at);
  if (out.user.find(':') != std::string::npos) {
    return Status::InvalidArgument(flag + ": the URL must not hold the password; set it in the "
                                   "environment variable named by " + flag + "-password-env instead");
  }
  std::string hostport = rest.substr(at + 1, slash - at - 1);
  if (const std::size_t colon = hostport.rfind(':'); colon != std::string::npos) {
    out.port = hostport.substr(colon + 1);
    hostport.resize(colon);
  }
  std::string db = rest.substr(slash + 1);
  if (const std::size_t q = db.find("?schema="); q != std::string::npos) {
    out.schema = db.substr(q + 8);
    db.resize(q);
  }
  out.host = hostport;
  out.database = db;
  if (out.user.empty() || out.host.empty() || out.database.empty() ||
      out.port.find_first_not_of("0123456789") != std::string::npos || out.port.empty()) {
    return Status::InvalidArgument(usage);
  }
  return out;
}

void Put(config::Value& map, const std::string& key, const std::string& text, bool plain) {
  map.mutable_entries().push_back({key, {}, config::Value::Scalar(text, plain)});
}

// The connector config of a URL; the password is `${password_env}` when that variable is set
// now (the connection needs it), else left out with a comment in the docs.
config::Value PgConfig(const PgUrl& url, const std::string& password_env, const std::string& schema) {
  config::Value c = config::Value::Map();
  Put(c, "host", url.host, false);
  Put(c, "port", url.port, true);
  Put(c, "user", url.user, false);
  if (std::getenv(password_env.c_str()) != nullptr) Put(c, "password", "${" + password_env + "}", true);
  Put(c, "database", url.database, false);
  if (!schema.empty()) Put(c, "schema", schema, false);
  return c;
}

std::string Ask(const std::string& question, const std::string& fallback) {
  std::fprintf(stderr, "%s%s: ", question.c_str(),
               fallback.empty() ? "" : (" [" + fallback + "]").c_str());
  std::fflush(stderr);
  std::string line;
  if (!std::getline(std::cin, line)) return fallback;
  line.erase(0, line.find_first_not_of(" \t"));
  line.erase(line.find_last_not_of(" \t\r") + 1);
  return line.empty() ? fallback : line;
}

// The source's catalog for a scaffold's source: a discover-only pipeline document loaded
// with the process environment (so ${VARS} resolve as they will in the written file).
Result<json> DiscoverFor(const Scaffold& s) {
  Scaffold probe = s;
  probe.streams.clear();
  const std::string text = RenderScaffold(probe);
  config::LoadOptions load;
  load.purpose = config::LoadPurpose::kDiscover;
  const config::LoadResult loaded = config::LoadPipelineText(text, "(init)", load);
  if (!loaded.ok()) return Status::InvalidArgument(loaded.Message());
  return engine::DiscoverCatalog(*loaded.pipeline, engine::DefaultResolveOptions(), nullptr);
}

void ListCatalog(const json& catalog) {
  auto all = ChooseStreams(catalog, {}, "");
  if (!all.ok()) return;
  std::fprintf(stderr, "The source has:\n");
  for (const ScaffoldStream& st : *all) {
    std::fprintf(stderr, "  %-40s key: %-16s cursor: %s\n", SanitizeForTerminal(st.name).c_str(),
                 st.key.empty() ? "none" : SanitizeForTerminal(Join(st.key, ",")).c_str(),
                 st.cursor.empty() ? "none" : SanitizeForTerminal(st.cursor).c_str());
  }
}

}  // namespace

int RunInitCommand(InitOptions o) {
  const bool ask = !o.yes && isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1;
  auto fail = [](const std::string& message, int code) {
    PrintError(message, {});
    return code;
  };
  if (ask) {
    if (o.source.empty()) o.source = Ask("Source PostgreSQL (postgres://user@host:port/db)", "");
    if (o.destination.empty()) {
      o.destination = Ask("Destination PostgreSQL (postgres://user@host:port/db)", "");
    }
  }
  if (o.source.empty() || o.destination.empty()) {
    return fail("init: --source and --destination are required (without a terminal, pass every "
                "value as a flag; see rapidbyte init --help)", kExitUsage);
  }
  if (std::filesystem::exists(o.output) && !o.force) {
    return fail("init: " + o.output + " exists; pass --force to overwrite it", kExitUsage);
  }
  auto src = ParsePgUrl("--source", o.source);
  auto dst = ParsePgUrl("--destination", o.destination);
  if (!src.ok()) return fail(src.status().message(), kExitUsage);
  if (!dst.ok()) return fail(dst.status().message(), kExitUsage);

  Scaffold s;
  s.name = o.name.empty() ? src->database + "_to_" + dst->database : o.name;
  s.comment = "Written by `rapidbyte init`. Check it with `rapidbyte check " + o.output +
              "`, run it with `rapidbyte run " + o.output + "`.\nPasswords come from the "
              "environment: " + o.source_password_env + " (source), " + o.dest_password_env +
              " (destination).";
  s.source_config = PgConfig(*src, o.source_password_env, src->schema);
  s.dest_config = PgConfig(*dst, o.dest_password_env, o.dest_schema);
  auto catalog = DiscoverFor(s);
  if (!catalog.ok()) {
    return fail("init: cannot read the source's tables: " + catalog.status().message(),
                catalog.status().code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailed);
  }
  std::vector<std::string> selection = SplitList(o.streams);
  if (ask && selection.empty()) {
    ListCatalog(*catalog);
    selection = SplitList(Ask("Streams to copy (names or patterns, comma-separated)", "all"));
    if (selection.size() == 1 && selection[0] == "all") selection.clear();
  }
  auto streams = ChooseStreams(*catalog, selection, src->schema.empty() ? "public" : src->schema);
  if (!streams.ok()) return fail("init: " + streams.status().message(), kExitUsage);
  s.streams = std::move(*streams);
  s.write_mode = o.write_mode.empty() ? DefaultWriteMode(s.streams) : o.write_mode;
  if (ask && o.write_mode.empty()) s.write_mode = Ask("Write mode (append, replace, upsert)", s.write_mode);
  if (Status st = CheckWriteMode(s.streams, s.write_mode); !st.ok()) {
    return fail("init: " + st.message(), kExitUsage);
  }
  const std::string text = RenderScaffold(s);
  std::ofstream out(o.output, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return fail("init: cannot write " + o.output, kExitFailed);
  std::printf("Wrote %s: pipeline '%s', %zu streams, write mode %s.\nNext: rapidbyte check %s\n",
              o.output.c_str(), s.name.c_str(), s.streams.size(), s.write_mode.c_str(),
              o.output.c_str());
  return kExitOk;
}

// `discover --yaml`: the file's own source config (as written, ${VARS} unresolved) and its
// destination when it has one, with the chosen streams.
Result<std::string> DiscoverYaml(const std::string& pipeline_path, const config::Pipeline& pipeline,
                                 const json& catalog, const std::string& streams_flag) {
  std::ifstream in(pipeline_path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  RB_ASSIGN_OR_RETURN(config::Value root, config::ParseYaml(text.str(), pipeline_path));
  Scaffold s;
  s.name = pipeline.name;
  s.comment = "Written by `rapidbyte discover --yaml " + pipeline_path + "`.";
  const config::Value* source = root.Find("source");
  s.source_use = pipeline.source.use.text;
  if (const config::Value* c = source != nullptr ? source->Find("config") : nullptr; c && c->is_map()) {
    s.source_config = *c;
  }
  const config::Value* dest = root.Find("destination");
  std::string requested_mode;
  if (dest != nullptr && dest->is_map()) {
    if (const config::Value* u = dest->Find("use"); u && u->is_scalar()) s.dest_use = u->text();
    if (const config::Value* c = dest->Find("config"); c && c->is_map()) s.dest_config = *c;
    if (const config::Value* m = dest->Find("write_mode"); m && m->is_scalar()) requested_mode = m->text();
  } else {
    for (const auto& [key, var] : {std::pair{"host", "HOST"}, {"port", "PORT"}, {"user", "USER"},
                                   {"password", "PASSWORD"}, {"database", "DATABASE"}}) {
      Put(s.dest_config, key, "${DEST_" + std::string(var) + "}", true);
    }
    s.comment += "\nThe destination refers to DEST_HOST, DEST_PORT, DEST_USER, DEST_PASSWORD and "
                 "DEST_DATABASE.";
  }
  const config::Value* schema = s.source_config.Find("schema");
  RB_ASSIGN_OR_RETURN(s.streams, ChooseStreams(catalog, SplitList(streams_flag),
                                               schema && schema->is_scalar() ? schema->text() : "public"));
  s.write_mode = requested_mode.empty() ? DefaultWriteMode(s.streams) : requested_mode;
  RB_RETURN_NOT_OK(CheckWriteMode(s.streams, s.write_mode));
  return RenderScaffold(s);
}

}  // namespace rapidbyte::cli
