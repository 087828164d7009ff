// PgCluster: a throwaway PostgreSQL 15 server for integration tests. Each instance runs
// initdb into a fresh temp dir, listens on a free 127.0.0.1 port (unix socket inside the temp
// dir), and is stopped and deleted by its destructor. A detached watchdog process deletes it
// too if the test process dies without running destructors (ASan abort, segfault, SIGKILL).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

#include "base/result.h"
#include "base/status.h"

namespace rapidbyte::testing {

/// The superuser every cluster is created with (trust auth over TCP and the unix socket).
inline constexpr std::string_view kPgSuperuser = "postgres";
/// A LOGIN role whose password is stored as SCRAM and that pg_hba forces to scram-sha-256.
inline constexpr std::string_view kPgScramRole = "rb_auth";
inline constexpr std::string_view kPgScramPassword = "rb_auth_pw";
/// A LOGIN role whose password is stored as an md5 hash and that pg_hba forces to md5.
inline constexpr std::string_view kPgMd5Role = "rb_md5";
inline constexpr std::string_view kPgMd5Password = "rb_md5_pw";

struct PgClusterOptions {
  /// Directory with initdb, pg_ctl and postgres. Empty: $RB_PG_BIN, else the Debian PG 15 path.
  std::string bin_dir;
  /// Extra postgresql.conf lines, e.g. "wal_level = logical".
  std::vector<std::string> extra_config;
  /// Create kPgScramRole and kPgMd5Role with their pg_hba rules.
  bool create_auth_roles = true;
  /// How many free ports to try when the chosen one is taken before the server binds it.
  int start_attempts = 5;
  /// ssl = on with a self-signed certificate for localhost / 127.0.0.1 made at start
  /// (`openssl` command line); tls_ca_file() is the certificate to trust.
  bool tls = false;
};

/// Write a self-signed certificate for localhost / 127.0.0.1 as `<dir>/<name>.crt` and
/// `<dir>/<name>.key` with the openssl command line.
Status MakeSelfSignedCertificate(const std::string& dir, const std::string& name);

/// One running (or stopped) throwaway cluster. The object owns the server process and the temp
/// dir; the destructor stops the server (fast, then immediate, then SIGKILL) and removes the
/// dir, also after a failed test. When the process runs as root, the server runs as the
/// `postgres` OS user (`nobody` if that does not exist): PostgreSQL refuses to run as root.
///
/// Thread-safety: the const members (accessors, ConnectionString, Exec, Query, Create*) may be
/// called from several threads at once: each Exec/Query opens its own libpq connection.
/// Stop, Restart, AddHbaRule and destruction must not run concurrently with anything else.
class PgCluster {
 public:
  /// One result row; std::nullopt is SQL NULL, other cells are PostgreSQL's text output.
  using Row = std::vector<std::optional<std::string>>;

  /// Create, configure and start a cluster; on error nothing is left behind.
  static Result<std::unique_ptr<PgCluster>> Start(PgClusterOptions opts = {});

  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;
  ~PgCluster();

  int port() const { return port_; }
  const std::string& host() const { return host_; }
  /// The temp dir that holds everything below; gone after destruction.
  const std::string& base_dir() const { return base_dir_; }
  const std::string& data_dir() const { return data_dir_; }
  /// Directory of the unix socket (== base_dir()).
  const std::string& socket_dir() const { return base_dir_; }
  const std::string& log_file() const { return log_file_; }
  /// The server's certificate (a CA file for verify-full); only with PgClusterOptions::tls.
  std::string tls_ca_file() const { return data_dir_ + "/server.crt"; }
  std::string_view superuser() const { return kPgSuperuser; }

  /// libpq key/value conninfo for TCP on host():port(), e.g.
  /// "host=127.0.0.1 port=41234 dbname='db' user='postgres'"; no password key when it is empty.
  std::string ConnectionString(std::string_view db, std::string_view user = kPgSuperuser,
                               std::string_view password = "") const;
  /// postgresql://user[:password]@127.0.0.1:port/db, components percent-encoded.
  std::string Url(std::string_view db, std::string_view user = kPgSuperuser,
                  std::string_view password = "") const;

  /// Run `sql` (may hold several statements) in `db` as the superuser over TCP.
  Status Exec(std::string_view db, std::string_view sql) const;
  /// Run one query in `db` as the superuser; rows of text cells (NULL is std::nullopt).
  /// A statement without a result set yields no rows.
  Result<std::vector<Row>> Query(std::string_view db, std::string_view sql) const;

  Status CreateDatabase(std::string_view name) const;
  /// Create a LOGIN role; an empty password creates it without one.
  Status CreateRole(std::string_view name, std::string_view password, bool superuser = false) const;

  /// Prepend `line` to pg_hba.conf (the first matching line wins) and reload the server.
  /// A line PostgreSQL rejects is rolled back and reported as InvalidArgument.
  Status AddHbaRule(std::string_view line);

  /// Stop the server (fast, then immediate); OK if it is not running. Keeps the data.
  Status Stop();
  /// Stop (if running) and start again on the same port with the same data.
  Status Restart();

  /// The last `max_bytes` of the server log, for error messages.
  std::string LogTail(std::size_t max_bytes = 3000) const;

 private:
  struct ServerUser {
    uid_t uid = 0;
    gid_t gid = 0;
    bool switch_user = false;  // true: children setuid to uid/gid before exec
  };

  PgCluster(std::string bin_dir, std::string base_dir, ServerUser user);

  Status InitDb();
  Status WriteConfig(const std::vector<std::string>& extra_config);
  /// The certificate and key of PgClusterOptions::tls, owned by the server user.
  Status MakeServerCertificate();
  Status StartOnFreePort(int attempts);
  Status StartServer();
  Status CreateAuthRoles();
  void SpawnWatchdog();
  /// Run `<bin_dir>/<tool> args...` as the server user; OK or an error with its output.
  Status RunTool(std::string_view tool, const std::vector<std::string>& args,
                 std::string* output = nullptr) const;

  std::string bin_dir_;
  std::string base_dir_;
  std::string data_dir_;
  std::string log_file_;
  std::string host_ = "127.0.0.1";
  ServerUser user_;
  int port_ = 0;
  pid_t watchdog_pid_ = -1;
};

}  // namespace rapidbyte::testing
