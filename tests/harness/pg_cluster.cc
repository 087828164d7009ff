// PgCluster implementation: process spawning (fork + exec, with setuid to the server user when
// running as root), initdb / pg_ctl driving, free-port selection, the crash watchdog, and the
// libpq helpers used by tests.
#include "tests/harness/pg_cluster.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include <arpa/inet.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

namespace rapidbyte::testing {
namespace {

constexpr const char* kDefaultBinDir = "/usr/lib/postgresql/15/bin";

// Runs detached (own session) next to every cluster: once the test process is gone, or the
// temp dir was removed by the destructor, it kills the postmaster (immediate shutdown) and
// removes the dir. Its output goes to /dev/null. Args: $1 test pid, $2 temp dir.
constexpr const char* kWatchdogScript = R"sh(
while kill -0 "$1" 2>/dev/null && [ -d "$2" ]; do sleep 1; done
[ -d "$2" ] || exit 0
pm=$(head -n 1 "$2/data/postmaster.pid" 2>/dev/null)
if [ -n "$pm" ]; then
  kill -QUIT "$pm" 2>/dev/null
  n=0
  while kill -0 "$pm" 2>/dev/null && [ "$n" -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
fi
rm -rf "$2"
)sh";

Status ErrnoStatus(std::string_view what) {
  return Status::Internal(std::string(what) + ": " + std::strerror(errno));
}

void WriteAll(int fd, const char* msg) {
  ssize_t ignored = write(fd, msg, std::strlen(msg));
  (void)ignored;
}

struct ProcessResult {
  std::string output;            // stdout and stderr, interleaved
  std::string exit_description;  // "exit code 1", "signal 9"
  bool success = false;
};

// Run argv[0] (a path) with stdin from /dev/null and stdout+stderr captured, in `cwd`, as
// uid/gid when `switch_user`. Only async-signal-safe calls happen between fork and exec.
Result<ProcessResult> RunProcess(const std::vector<std::string>& args, const std::string& cwd,
                                 bool switch_user, uid_t uid, gid_t gid) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);

  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return ErrnoStatus("pipe2");
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return ErrnoStatus("fork");
  }
  if (pid == 0) {
    const int devnull = open("/dev/null", O_RDONLY);
    if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(fds[1], 1) < 0 || dup2(fds[1], 2) < 0) {
      _exit(126);
    }
    close_range(3, ~0U, 0);  // keep the test's own fds out of the server's process tree
    if (chdir(cwd.c_str()) != 0) {
      WriteAll(2, "rb harness: chdir failed\n");
      _exit(126);
    }
    if (switch_user && (setgroups(1, &gid) != 0 || setgid(gid) != 0 || setuid(uid) != 0)) {
      WriteAll(2, "rb harness: could not switch to the server user\n");
      _exit(126);
    }
    execv(argv[0], argv.data());
    WriteAll(2, "rb harness: exec failed\n");
    _exit(127);
  }

  close(fds[1]);
  ProcessResult result;
  char buf[4096];
  for (;;) {
    const ssize_t n = read(fds[0], buf, sizeof(buf));
    if (n > 0) {
      result.output.append(buf, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  close(fds[0]);
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0) {
    if (errno != EINTR) return ErrnoStatus("waitpid");
  }
  if (WIFEXITED(wstatus)) {
    result.success = WEXITSTATUS(wstatus) == 0;
    result.exit_description = "exit code " + std::to_string(WEXITSTATUS(wstatus));
  } else {
    result.exit_description = "signal " + std::to_string(WTERMSIG(wstatus));
  }
  return result;
}

// True if every directory on `path` lets other users through (the server user needs that).
bool TraversableByOthers(const std::string& path) {
  std::string prefix;
  std::stringstream parts(path);
  std::string part;
  while (std::getline(parts, part, '/')) {
    if (part.empty()) continue;
    prefix += "/" + part;
    struct stat st {};
    if (stat(prefix.c_str(), &st) != 0 || (st.st_mode & S_IXOTH) == 0) return false;
  }
  return true;
}

// $TMPDIR, unless it is long (unix socket paths are limited to 107 bytes), unwritable, or not
// reachable by the server user; then /tmp.
std::string ChooseTempParent(bool server_is_other_user) {
  const char* env = std::getenv("TMPDIR");
  std::string dir = (env != nullptr && *env != '\0') ? env : "/tmp";
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (dir.size() > 60 || dir[0] != '/' || access(dir.c_str(), W_OK | X_OK) != 0 ||
      (server_is_other_user && !TraversableByOthers(dir))) {
    return "/tmp";
  }
  return dir;
}

Result<int> PickFreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return ErrnoStatus("socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    Status s = ErrnoStatus("bind 127.0.0.1:0");
    close(fd);
    return s;
  }
  close(fd);
  return static_cast<int>(ntohs(addr.sin_port));
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Overwrites in place (truncate), so the file keeps its owner and mode.
Status WriteFile(const std::string& path, std::string_view content, bool append = false) {
  std::ofstream out(path, std::ios::binary | (append ? std::ios::app : std::ios::trunc));
  out << content;
  out.close();
  if (!out) return Status::Internal("cannot write " + path);
  return Status::OK();
}

// `s` between `q` quotes, embedded quotes doubled: SQL identifiers ("") and literals ('').
std::string Quote(std::string_view s, char q) {
  std::string out(1, q);
  for (char c : s) {
    if (c == q) out += q;
    out += c;
  }
  return out + q;
}
std::string QuoteIdent(std::string_view s) { return Quote(s, '"'); }
std::string QuoteLiteral(std::string_view s) { return Quote(s, '\''); }

// A conninfo value: single-quoted, with \ and ' backslash-escaped.
std::string ConninfoValue(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string TrimTrailingNewlines(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

struct ConnDeleter {
  void operator()(PGconn* c) const { PQfinish(c); }
};
struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ConnPtr = std::unique_ptr<PGconn, ConnDeleter>;
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// Keeps NOTICEs (e.g. "... does not exist, skipping") off the test's stderr.
void IgnoreNotice(void* /*arg*/, const char* /*message*/) {}

Result<ConnPtr> Connect(const std::string& conninfo) {
  ConnPtr conn(PQconnectdb(conninfo.c_str()));
  if (conn == nullptr) return Status::ResourceExhausted("PQconnectdb: out of memory");
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    return Status::Unavailable("connect (" + conninfo +
                               "): " + TrimTrailingNewlines(PQerrorMessage(conn.get())));
  }
  PQsetNoticeProcessor(conn.get(), IgnoreNotice, nullptr);
  return conn;
}

// Run `sql`; OK results only. An error carries the SQLSTATE and server message.
Result<ResultPtr> Execute(PGconn* conn, std::string_view sql) {
  ResultPtr res(PQexec(conn, std::string(sql).c_str()));
  const ExecStatusType st = PQresultStatus(res.get());
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) return res;
  const char* state = res ? PQresultErrorField(res.get(), PG_DIAG_SQLSTATE) : nullptr;
  return Status::Internal("SQL failed [" + std::string(state != nullptr ? state : "?????") +
                          "]: " + TrimTrailingNewlines(PQerrorMessage(conn)) +
                          "; statement: " + std::string(sql.substr(0, 200)));
}

}  // namespace

Result<std::unique_ptr<PgCluster>> PgCluster::Start(PgClusterOptions opts) {
  std::string bin_dir = opts.bin_dir;
  if (bin_dir.empty()) {
    const char* env = std::getenv("RB_PG_BIN");
    bin_dir = (env != nullptr && *env != '\0') ? env : kDefaultBinDir;
  }
  if (access((bin_dir + "/initdb").c_str(), X_OK) != 0 ||
      access((bin_dir + "/pg_ctl").c_str(), X_OK) != 0) {
    return Status::FailedPrecondition("no initdb/pg_ctl in " + bin_dir +
                                      " (install postgresql-15 or set RB_PG_BIN)");
  }

  ServerUser user{geteuid(), getegid(), false};
  if (user.uid == 0) {  // PostgreSQL refuses to run as root.
    const passwd* pw = getpwnam("postgres");
    if (pw == nullptr) pw = getpwnam("nobody");
    if (pw == nullptr) {
      return Status::FailedPrecondition(
          "running as root, but there is no 'postgres' or "
          "'nobody' user to run the server as");
    }
    user = ServerUser{pw->pw_uid, pw->pw_gid, true};
  }

  std::string base = ChooseTempParent(user.switch_user) + "/rbpg-XXXXXX";
  if (mkdtemp(base.data()) == nullptr) return ErrnoStatus("mkdtemp " + base);
  // From here on the object owns the dir: returning an error destroys it and cleans up.
  std::unique_ptr<PgCluster> cluster(new PgCluster(std::move(bin_dir), base, user));
  cluster->SpawnWatchdog();
  if (user.switch_user && chown(base.c_str(), user.uid, user.gid) != 0) {
    return ErrnoStatus("chown " + base);
  }
  RB_RETURN_NOT_OK(cluster->InitDb());
  std::vector<std::string> config = opts.extra_config;
  if (opts.tls) {
    RB_RETURN_NOT_OK(cluster->MakeServerCertificate());
    config.push_back("ssl = on");
  }
  RB_RETURN_NOT_OK(cluster->WriteConfig(config));
  RB_RETURN_NOT_OK(cluster->StartOnFreePort(opts.start_attempts));
  if (opts.create_auth_roles) RB_RETURN_NOT_OK(cluster->CreateAuthRoles());
  return cluster;
}

PgCluster::PgCluster(std::string bin_dir, std::string base_dir, ServerUser user)
    : bin_dir_(std::move(bin_dir)),
      base_dir_(std::move(base_dir)),
      data_dir_(base_dir_ + "/data"),
      log_file_(base_dir_ + "/server.log"),
      user_(user) {}

PgCluster::~PgCluster() {
  if (!Stop().ok()) {
    // Last resort, so no server outlives its data dir: kill the postmaster outright (its
    // backends exit when they notice it is gone).
    Result<std::string> pid_file = ReadFile(data_dir_ + "/postmaster.pid");
    const pid_t pm = pid_file.ok() ? static_cast<pid_t>(std::atol(pid_file->c_str())) : 0;
    if (pm > 0) kill(pm, SIGKILL);
  }
  std::error_code ec;
  std::filesystem::remove_all(base_dir_, ec);
  if (watchdog_pid_ > 0) {
    kill(-watchdog_pid_, SIGKILL);  // its session: sh and a possible sleep
    kill(watchdog_pid_, SIGKILL);   // in case it had not called setsid yet
    while (waitpid(watchdog_pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
}

void PgCluster::SpawnWatchdog() {
  const std::string test_pid = std::to_string(getpid());
  const pid_t pid = fork();
  if (pid != 0) {
    watchdog_pid_ = pid;  // -1 on failure: the cluster still works, just without a watchdog
    return;
  }
  setsid();
  const int devnull = open("/dev/null", O_RDWR);
  if (devnull >= 0) {
    dup2(devnull, 0);
    dup2(devnull, 1);
    dup2(devnull, 2);
  }
  close_range(3, ~0U, 0);
  execl("/bin/sh", "sh", "-c", kWatchdogScript, "rb-pg-watchdog", test_pid.c_str(),
        base_dir_.c_str(), static_cast<char*>(nullptr));
  _exit(127);
}

Status PgCluster::RunTool(std::string_view tool, const std::vector<std::string>& args,
                          std::string* output) const {
  std::vector<std::string> argv{bin_dir_ + "/" + std::string(tool)};
  argv.insert(argv.end(), args.begin(), args.end());
  RB_ASSIGN_OR_RETURN(ProcessResult r,
                      RunProcess(argv, base_dir_, user_.switch_user, user_.uid, user_.gid));
  if (output != nullptr) *output = r.output;
  if (r.success) return Status::OK();
  std::string cmd;
  for (const std::string& a : argv) cmd += (cmd.empty() ? "" : " ") + a;
  return Status::Internal(cmd + " failed (" + r.exit_description + "):\n" +
                          TrimTrailingNewlines(r.output));
}

Status PgCluster::InitDb() {
  std::vector<std::string> args{"-D", data_dir_, "-U", std::string(kPgSuperuser), "--auth=trust",
                                "-E", "UTF8",    "-N", "--locale=C.UTF-8"};
  Status s = RunTool("initdb", args);
  if (s.ok()) return s;
  std::error_code ec;
  std::filesystem::remove_all(data_dir_, ec);
  args.back() = "--locale=C";
  Status fallback = RunTool("initdb", args);
  if (fallback.ok()) return fallback;
  return fallback.WithContext("initdb failed with C.UTF-8 (" + s.message() + ") and with C");
}

Status PgCluster::WriteConfig(const std::vector<std::string>& extra_config) {
  std::string conf = "\n# rapidbyte test harness\n";
  conf += "listen_addresses = '127.0.0.1'\n";
  conf += "unix_socket_directories = " + QuoteLiteral(base_dir_) + "\n";
  conf +=
      "fsync = off\n"
      "synchronous_commit = off\n"
      "full_page_writes = off\n"
      "max_connections = 100\n"
      "shared_buffers = 32MB\n"
      "password_encryption = 'scram-sha-256'\n"
      "logging_collector = off\n";
  for (const std::string& line : extra_config) conf += line + "\n";
  RB_RETURN_NOT_OK(WriteFile(data_dir_ + "/postgresql.conf", conf, /*append=*/true));
  return WriteFile(data_dir_ + "/pg_hba.conf",
                   "local all all trust\n"
                   "host all all 127.0.0.1/32 trust\n"
                   "host all all ::1/128 trust\n");
}

Status MakeSelfSignedCertificate(const std::string& dir, const std::string& name) {
  const std::string command =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost"
      " -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout '" +
      dir + "/" + name + ".key' -out '" + dir + "/" + name + ".crt' >/dev/null 2>&1";
  const int rc = std::system(command.c_str());
  if (rc != 0) return Status::Internal("openssl failed (" + std::to_string(rc) + "): " + command);
  return Status::OK();
}

Status PgCluster::MakeServerCertificate() {
  RB_RETURN_NOT_OK(MakeSelfSignedCertificate(data_dir_, "server"));
  // The server refuses a key that others can read or that it does not own.
  for (const char* file : {"/server.key", "/server.crt"}) {
    const std::string path = data_dir_ + file;
    if (user_.switch_user && chown(path.c_str(), user_.uid, user_.gid) != 0) {
      return ErrnoStatus("chown " + path);
    }
    if (chmod(path.c_str(), 0600) != 0) return ErrnoStatus("chmod " + path);
  }
  return Status::OK();
}

Status PgCluster::StartOnFreePort(int attempts) {
  Status last;
  for (int i = 0; i < attempts; ++i) {
    RB_ASSIGN_OR_RETURN(port_, PickFreePort());
    // Later settings win, so each attempt just appends its port.
    RB_RETURN_NOT_OK(WriteFile(data_dir_ + "/postgresql.conf",
                               "port = " + std::to_string(port_) + "\n", /*append=*/true));
    last = StartServer();
    if (last.ok()) return last;
    // Someone grabbed the port between our probe and the server's bind: try another one.
    if (last.message().find("Address already in use") == std::string::npos) return last;
  }
  return last.WithContext("no free port after " + std::to_string(attempts) + " attempts");
}

Status PgCluster::StartServer() {
  Status s = RunTool("pg_ctl", {"-D", data_dir_, "-l", log_file_, "-w", "-t", "60", "start"});
  if (s.ok()) return s;
  return Status(s.code(), s.message() + "\n--- server log tail ---\n" + LogTail());
}

Status PgCluster::Stop() {
  if (access((data_dir_ + "/postmaster.pid").c_str(), F_OK) != 0) return Status::OK();
  Status fast = RunTool("pg_ctl", {"-D", data_dir_, "-w", "-t", "60", "-m", "fast", "stop"});
  if (fast.ok()) return fast;
  Status immediate =
      RunTool("pg_ctl", {"-D", data_dir_, "-w", "-t", "60", "-m", "immediate", "stop"});
  if (immediate.ok()) return immediate;
  return immediate.WithContext("fast stop failed (" + fast.message() + "), then immediate");
}

Status PgCluster::Restart() {
  RB_RETURN_NOT_OK(Stop());
  return StartServer();
}

Status PgCluster::CreateAuthRoles() {
  RB_RETURN_NOT_OK(CreateRole(kPgScramRole, kPgScramPassword));
  // password_encryption is per session, so SET and CREATE ROLE share one Exec (connection).
  RB_RETURN_NOT_OK(Exec("postgres", "SET password_encryption = 'md5'; CREATE ROLE " +
                                        QuoteIdent(kPgMd5Role) + " LOGIN PASSWORD " +
                                        QuoteLiteral(kPgMd5Password)));
  RB_RETURN_NOT_OK(AddHbaRule("host all " + std::string(kPgScramRole) + " all scram-sha-256"));
  return AddHbaRule("host all " + std::string(kPgMd5Role) + " all md5");
}

std::string PgCluster::ConnectionString(std::string_view db, std::string_view user,
                                        std::string_view password) const {
  std::string s = "host=" + host_ + " port=" + std::to_string(port_) +
                  " dbname=" + ConninfoValue(db) + " user=" + ConninfoValue(user);
  if (!password.empty()) s += " password=" + ConninfoValue(password);
  return s;
}

std::string PgCluster::Url(std::string_view db, std::string_view user,
                           std::string_view password) const {
  std::string s = "postgresql://" + PercentEncode(user);
  if (!password.empty()) s += ":" + PercentEncode(password);
  return s + "@" + host_ + ":" + std::to_string(port_) + "/" + PercentEncode(db);
}

Status PgCluster::Exec(std::string_view db, std::string_view sql) const {
  RB_ASSIGN_OR_RETURN(ConnPtr conn, Connect(ConnectionString(db) + " connect_timeout=10"));
  return Execute(conn.get(), sql).status();
}

Result<std::vector<PgCluster::Row>> PgCluster::Query(std::string_view db,
                                                     std::string_view sql) const {
  RB_ASSIGN_OR_RETURN(ConnPtr conn, Connect(ConnectionString(db) + " connect_timeout=10"));
  RB_ASSIGN_OR_RETURN(ResultPtr res, Execute(conn.get(), sql));
  std::vector<Row> rows;
  const int n_rows = PQntuples(res.get());
  const int n_cols = PQnfields(res.get());
  for (int r = 0; r < n_rows; ++r) {
    Row row;
    for (int c = 0; c < n_cols; ++c) {
      if (PQgetisnull(res.get(), r, c) != 0) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(std::string(PQgetvalue(res.get(), r, c),
                                     static_cast<std::size_t>(PQgetlength(res.get(), r, c))));
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

Status PgCluster::CreateDatabase(std::string_view name) const {
  return Exec("postgres", "CREATE DATABASE " + QuoteIdent(name));
}

Status PgCluster::CreateRole(std::string_view name, std::string_view password,
                             bool superuser) const {
  std::string sql = "CREATE ROLE " + QuoteIdent(name) + " LOGIN";
  if (superuser) sql += " SUPERUSER";
  if (!password.empty()) sql += " PASSWORD " + QuoteLiteral(password);
  return Exec("postgres", sql);
}

Status PgCluster::AddHbaRule(std::string_view line) {
  const std::string path = data_dir_ + "/pg_hba.conf";
  RB_ASSIGN_OR_RETURN(std::string old_content, ReadFile(path));
  RB_RETURN_NOT_OK(WriteFile(path, std::string(line) + "\n" + old_content));
  if (access((data_dir_ + "/postmaster.pid").c_str(), F_OK) != 0) return Status::OK();
  // pg_hba_file_rules parses the file on disk; reject (and undo) a line it cannot parse.
  RB_ASSIGN_OR_RETURN(std::vector<Row> errors,
                      Query("postgres",
                            "SELECT line_number, error FROM pg_hba_file_rules "
                            "WHERE error IS NOT NULL"));
  if (!errors.empty()) {
    RB_RETURN_NOT_OK(WriteFile(path, old_content));
    return Status::InvalidArgument("bad pg_hba line '" + std::string(line) +
                                   "': " + errors[0][1].value_or(""));
  }
  // The postmaster (PG 15) handles SIGHUP before it accepts the next connection, so the new
  // rules apply to every connection opened after this returns.
  return Exec("postgres", "SELECT pg_reload_conf()");
}

std::string PgCluster::LogTail(std::size_t max_bytes) const {
  Result<std::string> log = ReadFile(log_file_);
  if (!log.ok()) return "(no server log)";
  const std::string& text = *log;
  return text.size() <= max_bytes ? text : "..." + text.substr(text.size() - max_bytes);
}

}  // namespace rapidbyte::testing
