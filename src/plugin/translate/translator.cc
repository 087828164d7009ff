// The translation pipeline, step by step, inside a private work directory:
//   module.wasm -> wasm2c -n connector -> module.c + module.h
//   module.c    -> TuneGeneratedCode   -> module.c (in place)
//   module.h    -> GenerateGlue        -> glue.c
//   include/    <- the embedded module_table.h and wasm-rt.h
//   $CC <kNativeCFlags> -I... module.c glue.c -o <output>, then the footer.
#include "plugin/translate/translator.h"

#include <cstdlib>
#include <filesystem>

#include "base/log.h"
#include "plugin/translate/embedded_headers.h"
#include "plugin/translate/files.h"
#include "plugin/translate/glue.h"
#include "plugin/translate/module_check.h"
#include "plugin/translate/native_footer.h"
#include "plugin/translate/process.h"
#include "plugin/translate/sha256.h"
#include "plugin/translate/wasm_module_info.h"

namespace rapidbyte::plugin::translate {
namespace {

constexpr std::uint64_t kMaxGeneratedHeaderBytes = std::uint64_t{64} << 20;
constexpr std::uint64_t kMaxGeneratedSourceBytes = std::uint64_t{4} << 30;
constexpr std::size_t kMaxQuotedOutput = 2000;

std::string Prefix(const std::string& connector) {
  return "cannot translate connector " + connector + ": ";
}

std::string Trimmed(std::string_view text) {
  const std::size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return "";
  const std::size_t end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

std::string FirstLine(std::string_view text) { return Trimmed(text.substr(0, text.find('\n'))); }

// Run one step; a failure quotes the start of what the tool printed.
Status RunStep(const std::vector<std::string>& argv, const std::string& connector,
               std::string_view step) {
  auto result = RunProcess(argv);
  if (!result.ok())
    return Status::FailedPrecondition(Prefix(connector) + result.status().message());
  if (result->succeeded()) return Status::OK();
  std::string output = Trimmed(result->output);
  if (output.size() > kMaxQuotedOutput) output = output.substr(0, kMaxQuotedOutput) + "...";
  return Status::Internal(Prefix(connector) + std::string(step) + " failed (" + result->Describe() +
                          "): " + output);
}

// The generated code must match the runtime this host implements, so wasm2c's version must
// be the one the host was built with.
Status CheckWasm2cVersion(const std::string& wasm2c, const std::string& connector) {
  auto result = RunProcess({wasm2c, "--version"});
  const std::string version =
      result.ok() && result->succeeded() ? FirstLine(result->output) : "unknown";
  if (version != HostWasm2cVersion()) {
    return Status::FailedPrecondition(Prefix(connector) + wasm2c + " is version " + version +
                                      ", this rapidbyte was built for wasm2c " +
                                      std::string(HostWasm2cVersion()));
  }
  return Status::OK();
}

Status WriteSupportHeaders(const std::string& include_dir) {
  std::error_code ec;
  std::filesystem::create_directories(include_dir + "/plugin/runtime", ec);
  if (ec) return Status::Internal("cannot create " + include_dir + ": " + ec.message());
  RB_RETURN_NOT_OK(
      WriteFileBytes(include_dir + "/plugin/runtime/module_table.h", EmbeddedModuleTableHeader()));
  return WriteFileBytes(include_dir + "/wasm-rt.h", EmbeddedWasmRtHeader());
}

std::string CompilerIdentity(const std::vector<std::string>& cc) {
  std::vector<std::string> argv = cc;
  argv.push_back("--version");
  auto result = RunProcess(argv);
  if (!result.ok() || !result->succeeded()) return "unknown";
  return FirstLine(result->output);
}

}  // namespace

Result<std::vector<std::string>> FindCCompiler(const std::string& connector) {
  const char* cc_env = std::getenv("CC");
  const std::string spec = cc_env != nullptr && *cc_env != '\0' ? cc_env : "cc";
  std::vector<std::string> words;
  std::size_t pos = 0;
  while ((pos = spec.find_first_not_of(" \t", pos)) != std::string::npos) {
    const std::size_t end = spec.find_first_of(" \t", pos);
    words.push_back(spec.substr(pos, end == std::string::npos ? std::string::npos : end - pos));
    pos = end;
  }
  std::string path = words.empty() ? "" : FindExecutable(words.front());
  if (path.empty()) {
    return Status::FailedPrecondition(Prefix(connector) + "no C compiler found (set CC)");
  }
  words.front() = path;
  return words;
}

Status Translate(const TranslateRequest& request) {
  const std::string& name = request.connector;
  RB_ASSIGN_OR_RETURN(std::vector<std::string> cc, FindCCompiler(name));
  const std::string wasm2c = FindExecutable("wasm2c");
  if (wasm2c.empty()) {
    return Status::FailedPrecondition(Prefix(name) + "wasm2c not found on PATH (install wabt)");
  }
  RB_RETURN_NOT_OK(CheckWasm2cVersion(wasm2c, name));

  RB_ASSIGN_OR_RETURN(std::vector<std::uint8_t> wasm,
                      ReadFileBytes(request.wasm_path, kMaxWasmModuleBytes));
  RB_ASSIGN_OR_RETURN(std::string sha256, Sha256Hex(wasm));
  if (sha256 != request.wasm_sha256) {
    return Status::FailedPrecondition(Prefix(name) + request.wasm_path +
                                      " changed while it was being translated");
  }
  RB_RETURN_NOT_OK(CheckModuleBytes(wasm, {name, request.version}, ConnectorRoles{}));

  Log(LogLevel::kInfo,
      "Translating " + name + " " + request.version + " to native code (first use)...");
  const std::string dir = request.work_dir;
  RB_RETURN_NOT_OK(RunStep(
      {wasm2c, request.wasm_path, "-n", std::string(kModulePrefix), "-o", dir + "/module.c"}, name,
      "wasm2c"));
  RB_ASSIGN_OR_RETURN(std::vector<std::uint8_t> header,
                      ReadFileBytes(dir + "/module.h", kMaxGeneratedHeaderBytes));
  const std::string_view header_text(reinterpret_cast<const char*>(header.data()), header.size());
  {
    RB_ASSIGN_OR_RETURN(std::vector<std::uint8_t> source,
                        ReadFileBytes(dir + "/module.c", kMaxGeneratedSourceBytes));
    auto tuned = TuneGeneratedCode(
        std::string_view(reinterpret_cast<const char*>(source.data()), source.size()), header_text);
    if (!tuned.ok()) return Status::Internal(Prefix(name) + tuned.status().message());
    RB_RETURN_NOT_OK(WriteFileBytes(dir + "/module.c", *tuned));
  }
  auto glue = GenerateGlue(header_text, "module.h");
  if (!glue.ok()) return Status::Internal(Prefix(name) + glue.status().message());
  RB_RETURN_NOT_OK(WriteFileBytes(dir + "/glue.c", *glue));
  RB_RETURN_NOT_OK(WriteSupportHeaders(dir + "/include"));

  std::vector<std::string> argv = cc;
  for (const char* flag : kNativeCFlags) argv.emplace_back(flag);
  argv.insert(argv.end(), {"-I" + dir, "-I" + dir + "/include", dir + "/module.c", dir + "/glue.c",
                           "-o", request.output_path});
  RB_RETURN_NOT_OK(RunStep(argv, name, "the C compiler"));
  return StampNativeCode(request.output_path, sha256, name, CompilerIdentity(cc));
}

}  // namespace rapidbyte::plugin::translate
