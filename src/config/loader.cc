// The loading sequence of SPEC §2.2, steps 1-5.
#include "config/loader.h"

#include <fstream>
#include <sstream>

#include "base/utf8.h"
#include "config/builder_internal.h"
#include "config/yaml_reader.h"

namespace rapidbyte::config {
namespace {

// Pipeline files are small; anything this large is a mistake (or an attack).
constexpr std::size_t kMaxFileBytes = 16u << 20;

LoadResult Failure(std::string headline, std::vector<std::string> problems = {}) {
  LoadResult result;
  result.headline = std::move(headline);
  result.problems = std::move(problems);
  return result;
}

// Substitute the environment into the sections `purpose` reads.
void Substitute(Value& root, LoadPurpose purpose, const EnvLookup& env,
                SubstitutionReport& report) {
  for (auto& entry : root.mutable_entries()) {
    const std::string& key = entry.key;
    if (key == "version" || key == "pipeline") {
      SubstituteEnvironment(entry.value, key, env, report);
    } else if (purpose == LoadPurpose::kRun || purpose == LoadPurpose::kCheck) {
      SubstituteEnvironment(entry.value, key, env, report);
    } else if ((purpose == LoadPurpose::kState || purpose == LoadPurpose::kStateStreams) &&
               key == "state") {
      SubstituteEnvironment(entry.value, key, env, report);
    } else if (purpose == LoadPurpose::kStateStreams && key == "source" &&
               entry.value.is_map()) {
      for (auto& sub : entry.value.mutable_entries()) {
        if (sub.key == "streams") SubstituteEnvironment(sub.value, "source.streams", env, report);
        if (sub.key != "config" || !sub.value.is_map()) continue;
        for (auto& field : sub.value.mutable_entries()) {
          if (field.key == "schema") {
            SubstituteEnvironment(field.value, "source.config.schema", env, report);
          }
        }
      }
    } else if (purpose == LoadPurpose::kDiscover && key == "resources" && entry.value.is_map()) {
      // Only what bounds discover's one call (ReadCallResources); the rest is the run's.
      for (auto& sub : entry.value.mutable_entries()) {
        if (sub.key == "max_memory" || sub.key == "timeout_seconds") {
          SubstituteEnvironment(sub.value, "resources." + sub.key, env, report);
        }
      }
    } else if (purpose == LoadPurpose::kDiscover && key == "source" && entry.value.is_map()) {
      for (auto& sub : entry.value.mutable_entries()) {
        if (sub.key == "use" || sub.key == "config") {
          SubstituteEnvironment(sub.value, "source." + sub.key, env, report);
        }
      }
    }
  }
}

}  // namespace

std::string LoadResult::Message() const {
  std::string out = headline;
  for (const auto& problem : problems) out += "\n  - " + problem;
  return out;
}

Status LoadResult::ToStatus() const {
  return ok() ? Status::OK() : Status::InvalidArgument(Message());
}

LoadResult LoadPipelineFile(const std::string& path, const LoadOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Failure("Failed to read pipeline file: " + path + ": cannot open (missing file or no permission)");
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Failure("Failed to read pipeline file: " + path + ": read error");
  const std::string text = buffer.str();
  return LoadPipelineText(text, path, options);
}

LoadResult LoadPipelineText(std::string_view text, std::string_view file,
                            const LoadOptions& options) {
  const std::string file_name(file);
  if (text.size() > kMaxFileBytes) {
    return Failure("Failed to read pipeline file: " + file_name + ": larger than 16 MiB");
  }
  if (const auto bad = FindInvalidUtf8(text); bad != std::string_view::npos) {
    return Failure("Failed to read pipeline file: " + file_name +
                   ": not valid UTF-8 (byte offset " + std::to_string(bad) + ")");
  }
  auto parsed = ParseYaml(text, file);
  if (!parsed.ok()) return Failure(parsed.status().message());
  Value root = parsed.MoveValueUnsafe();
  if (!root.is_map()) {
    return Failure("Pipeline validation failed (1 problem) in " + file_name + ":",
                   {"expected a map of pipeline settings at the top level, got " +
                    root.DescribeKind()});
  }

  const EnvLookup env = options.env ? options.env : ProcessEnvironment();
  SubstitutionReport report;
  Substitute(root, options.purpose, env, report);

  Problems problems;
  if (!report.missing.empty()) problems.AddLine(report.MissingMessage());
  for (const auto& line : report.problems) problems.AddLine(line);

  Pipeline pipeline;
  pipeline.file = file_name;
  internal::BuildPipeline(root, options.purpose, env, pipeline, problems);
  internal::CheckPipelineRules(options.purpose, pipeline, problems);

  LoadResult result;
  result.warnings = problems.warnings();
  if (!problems.empty()) {
    const std::size_t n = problems.size();
    result.headline = "Pipeline validation failed (" + std::to_string(n) +
                      (n == 1 ? " problem" : " problems") + ") in " + file_name + ":";
    result.problems = problems.lines();
    return result;
  }
  internal::CollectSecrets(pipeline);
  pipeline.warnings = problems.warnings();
  result.pipeline = std::move(pipeline);
  return result;
}

}  // namespace rapidbyte::config
