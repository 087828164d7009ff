// Spawning the rapidbyte binary for end-to-end tests.
#include "tests/harness/rapidbyte_process.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace rapidbyte::testing {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::string RapidbyteBinary() {
  const char* dir = std::getenv("RB_BINARY_DIR");
  return std::string(dir != nullptr ? dir : ".") + "/bin/rapidbyte";
}

std::string MakeTempDir(const std::string& prefix) {
  std::string pattern = "/tmp/" + prefix + "-XXXXXX";
  const char* made = mkdtemp(pattern.data());
  return made != nullptr ? std::string(made) : std::string();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

CommandRun RunRapidbyte(const std::vector<std::string>& args, const CommandOptions& options) {
  const std::string dir = MakeTempDir("rb-run");
  const std::string out_path = dir + "/out";
  const std::string err_path = dir + "/err";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  std::vector<std::string> argv_s = {RapidbyteBinary()};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  // The caller's entries first; defaults only for names the caller did not set.
  std::vector<std::string> env_s = options.env;
  auto set_default = [&](const std::string& name, const char* value) {
    if (value == nullptr) return;
    for (const auto& e : env_s) {
      if (e.rfind(name + "=", 0) == 0) return;
    }
    env_s.push_back(name + "=" + value);
  };
  set_default("PATH", "/usr/bin:/bin");
  for (const char* name : {"HOME", "ASAN_OPTIONS", "TSAN_OPTIONS", "RAPIDBYTE_CACHE_DIR"}) {
    set_default(name, std::getenv(name));
  }
  std::vector<char*> envp;
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);
  CommandRun run;
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data()) == 0) {
    if (options.while_running) options.while_running(pid);
    int status = 0;
    waitpid(pid, &status, 0);
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  run.wall_secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  posix_spawn_file_actions_destroy(&actions);
  run.out = ReadAll(out_path);
  run.err = ReadAll(err_path);
  std::remove(out_path.c_str());
  std::remove(err_path.c_str());
  rmdir(dir.c_str());
  return run;
}

}  // namespace rapidbyte::testing
