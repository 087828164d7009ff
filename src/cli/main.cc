// rapidbyte: the one binary. Parses the command line (CLI11; its exceptions are caught
// here and nowhere else), sets up logging, and dispatches to a command.
#include <CLI/CLI.hpp>

#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "base/log.h"
#include "cli/commands.h"
#include "cli/init_command.h"
#include "cli/run_report.h"
#include "cli/stderr_log_sink.h"

namespace rapidbyte::cli {
namespace {

constexpr const char* kVersionLine = "rapidbyte " RB_VERSION " (connector protocol " RB_PROTOCOL ")";

struct GlobalOptions {
  std::string log_level;
  std::string log_format = "human";
};

int Main(int argc, char** argv) {
  CLI::App app{"rapidbyte: move data between systems, fast, with bounded memory and exact "
               "accounting.",
               "rapidbyte"};
  app.fallthrough();  // global options are accepted after the command too
  app.require_subcommand(0, 1);
  bool show_version = false;
  GlobalOptions global;
  app.add_flag("--version", show_version, "Print the version and the connector protocol");
  app.add_option("--log-level", global.log_level,
                 "error|warn|info|debug|trace (default info, or $RAPIDBYTE_LOG_LEVEL)")
      ->check(CLI::IsMember({"error", "warn", "info", "debug", "trace"}));
  app.add_option("--log-format", global.log_format, "human|json (default human)")
      ->check(CLI::IsMember({"human", "json"}));

  std::string pipeline_path;
  std::string output = "human";
  CLI::App* check = app.add_subcommand("check", "Validate a pipeline and run its checks");
  check->add_option("pipeline", pipeline_path, "Pipeline YAML file")->required();
  check->add_option("--output", output, "human|json")->check(CLI::IsMember({"human", "json"}));
  bool check_plan = false;
  check->add_flag("--plan", check_plan,
                  "Also show the run's plan: per stream what would be read and what the "
                  "destination would do");

  bool no_progress = false;
  CLI::App* run = app.add_subcommand("run", "Run a pipeline");
  run->add_option("pipeline", pipeline_path, "Pipeline YAML file")->required();
  run->add_option("--output", output, "human|json")->check(CLI::IsMember({"human", "json"}));
  run->add_flag("--no-progress", no_progress, "Do not show live progress");
  bool dry_run = false;
  run->add_flag("--dry-run", dry_run,
                "Show the plan (tables to create or alter, positions, what would be read) and "
                "stop; nothing is read or written");
  bool follow = false;
  run->add_flag("--follow", follow,
                "Keep cdc streams running, committing every checkpoint_interval_seconds, until "
                "Ctrl-C or SIGTERM (then commit what is in flight and exit 0)");
  RunReportOptions run_report;
  run->add_flag("--verbose", run_report.verbose,
                "Add the counters, phase timings and load times to the summary");
  run->add_flag("--bench-json", run_report.bench_json,
                "End a successful run's summary with the @@BENCH_JSON@@ line (benchmarks)");

  CLI::App* discover = app.add_subcommand("discover", "Print the source's tables, views and columns");
  discover->add_option("pipeline", pipeline_path, "Pipeline YAML file")->required();
  discover->add_option("--output", output, "human|json")->check(CLI::IsMember({"human", "json"}));
  DiscoverYamlOptions discover_yaml;
  discover->add_flag("--yaml", discover_yaml.enabled,
                     "Print a pipeline for the source's tables (cursors and keys filled in)");
  discover->add_option("--streams", discover_yaml.streams,
                       "With --yaml: tables to include, comma-separated names or patterns "
                       "(default all)");

  InitOptions init_options;
  CLI::App* init = app.add_subcommand("init", "Write a pipeline file for chosen tables");
  init->add_option("file", init_options.output, "The file to write (default pipeline.yaml)");
  init->add_option("--source", init_options.source, "postgres://user@host[:port]/db[?schema=s]");
  init->add_option("--destination", init_options.destination,
                   "postgres://user@host[:port]/db");
  init->add_option("--name", init_options.name, "Pipeline name (default <src db>_to_<dest db>)");
  init->add_option("--streams", init_options.streams,
                   "Tables to copy, comma-separated names or patterns (default all)");
  init->add_option("--write-mode", init_options.write_mode,
                   "append|replace|upsert (default upsert when every table has a key)");
  init->add_option("--dest-schema", init_options.dest_schema, "Destination schema (default raw)");
  init->add_option("--source-password-env", init_options.source_password_env,
                   "Variable holding the source password (default SOURCE_PGPASSWORD)");
  init->add_option("--destination-password-env", init_options.dest_password_env,
                   "Variable holding the destination password (default DEST_PGPASSWORD)");
  init->add_flag("--yes", init_options.yes, "Ask nothing; take defaults for what flags omit");
  init->add_flag("--force", init_options.force, "Overwrite the file");

  CLI::App* state_cmd = app.add_subcommand("state", "Show or reset a pipeline's stored state");
  state_cmd->require_subcommand(1);
  CLI::App* state_show = state_cmd->add_subcommand("show", "Cursors, recent runs and connector state");
  state_show->add_option("pipeline", pipeline_path, "Pipeline YAML file")->required();
  state_show->add_option("--output", output, "human|json")->check(CLI::IsMember({"human", "json"}));
  std::string reset_stream;
  CLI::App* state_reset = state_cmd->add_subcommand("reset", "Forget cursors and connector state");
  state_reset->add_option("pipeline", pipeline_path, "Pipeline YAML file")->required();
  state_reset->add_option("--stream", reset_stream,
                          "Reset only this stream (its name as in the file, or schema.table)");

  CLI::App* connectors = app.add_subcommand(
      "connectors", "List the connectors rapidbyte can find (the default) or install one");
  connectors->require_subcommand(0, 1);
  CLI::App* connectors_list =
      connectors->add_subcommand("list", "List every search location and its connectors");
  std::string install_file;
  std::string install_manifest;
  bool install_force = false;
  CLI::App* connectors_install = connectors->add_subcommand(
      "install", "Check a connector, copy it to ~/.rapidbyte/plugins and translate it");
  connectors_install->add_option("file", install_file, "The connector module (.wasm)")->required();
  connectors_install->add_option("--manifest", install_manifest,
                                 "Its manifest (default: <stem>.manifest.json beside the file)");
  connectors_install->add_flag("--force", install_force,
                               "Replace an installed connector of the same version, or install "
                               "one whose name another connector already uses");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);  // prints help to stdout, returns 0
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string err = "Error: " + std::string(e.what()) + "\n\n" + app.help();
    std::fwrite(err.data(), 1, err.size(), stderr);
    return kExitUsage;
  }

  if (show_version) {
    std::printf("%s\n", kVersionLine);
    return kExitOk;
  }

  LogLevel level = LogLevel::kInfo;
  std::string level_text = global.log_level;
  if (level_text.empty()) {
    if (const char* env = std::getenv("RAPIDBYTE_LOG_LEVEL")) level_text = env;
  }
  if (!level_text.empty() && !ParseLogLevel(level_text, &level)) {
    std::fprintf(stderr,
                 "Error: RAPIDBYTE_LOG_LEVEL: '%s' is not one of error, warn, info, debug, "
                 "trace\n",
                 level_text.c_str());
    return kExitUsage;
  }
  static StderrLogSink sink(global.log_format == "json" ? LogFormat::kJson : LogFormat::kHuman);
  SetLogSink(&sink);
  SetJsonErrors(global.log_format == "json");
  SetLogLevel(level);

  const OutputFormat format = output == "json" ? OutputFormat::kJson : OutputFormat::kHuman;
  if (run->parsed() && dry_run) return RunDryRunCommand(pipeline_path, format);
  if (run->parsed()) {
    return RunRunCommand(pipeline_path, format, no_progress, run_report, &sink,
                         global.log_format == "json", follow);
  }
  if (check->parsed()) return RunCheckCommand(pipeline_path, format, check_plan);
  if (discover->parsed()) return RunDiscoverCommand(pipeline_path, format, discover_yaml);
  if (init->parsed()) return RunInitCommand(init_options);
  if (state_show->parsed()) return RunStateShowCommand(pipeline_path, format);
  if (state_reset->parsed()) return RunStateResetCommand(pipeline_path, reset_stream);
  if (connectors_install->parsed()) {
    return RunConnectorsInstallCommand(install_file, install_manifest, install_force);
  }
  if (connectors_list->parsed() || connectors->parsed()) return RunConnectorsListCommand();

  std::string usage = "Error: a command is required\n\n" + app.help();
  std::fwrite(usage.data(), 1, usage.size(), stderr);
  return kExitUsage;
}

}  // namespace
}  // namespace rapidbyte::cli

int main(int argc, char** argv) {
  // Frames (a few MiB each) are allocated on one stage's thread and freed on another's. With
  // glibc's dynamic mmap threshold they end up in per-thread arenas that keep every
  // high-water mark resident (about 9 MiB more peak RSS per pipeline, and growing with run
  // length); mapped directly, their memory goes back to the system when they are freed.
  mallopt(M_MMAP_THRESHOLD, 256 << 10);
  return rapidbyte::cli::Main(argc, argv);
}
