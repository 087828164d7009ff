// Redaction hides secrets only (#22 item 5, SPEC §10.4 as amended): a password from
// ${VAR} appears nowhere, while the port and user name, also from ${VARS}, are shown in
// the errors so that a failed connection can be diagnosed.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/e2e/e2e_fixture.h"

namespace rapidbyte::e2e {
namespace {

class PgRedactionTest : public E2eTest {
 protected:
  // A source whose port, user, password, database and schema all come from the environment;
  // the password is wrong for kPgScramRole, so connecting fails with AUTH_FAILED.
  std::string WrongPasswordPipeline() {
    PipelineSpec spec;
    spec.name = "e2e_redaction";
    spec.streams = "    - name: users\n";
    spec.source_config =
        "{host: 127.0.0.1, port: ${E2E_PORT}, user: ${E2E_USER}, password: ${E2E_PW}, "
        "database: ${E2E_DB}, schema: ${E2E_SCHEMA}}";
    return WritePipeline(spec);
  }

  CommandOptions Env() const {
    CommandOptions options;
    options.env = {"E2E_PORT=" + Port(), "E2E_USER=" + std::string(testing::kPgScramRole),
                   "E2E_PW=" + std::string(kPassword), "E2E_DB=" + src_.name,
                   "E2E_SCHEMA=public"};
    return options;
  }

  std::string Port() const { return std::to_string(pg().port()); }

  // The connector's "connect to host:port/db" names the port, the server's words the user.
  void ExpectPortAndUser(const std::string& text, const std::string& quote = "\"") const {
    EXPECT_TRUE(Contains(text, "connect to 127.0.0.1:" + Port() + "/" + src_.name)) << text;
    EXPECT_TRUE(Contains(text, "password authentication failed for user " + quote +
                                   std::string(testing::kPgScramRole) + quote))
        << text;
  }

  // Every file under ~/.rapidbyte (the state database and its journal), as bytes.
  std::string StateFiles() const {
    std::string all;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(home_ + "/.rapidbyte")) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream bytes;
      bytes << in.rdbuf();
      all += bytes.str();
    }
    return all;
  }

  static constexpr std::string_view kPassword = "Redact-Me-e2e-9731";
};

TEST_F(PgRedactionTest, FailingRunShowsPortAndUserButNeverThePassword) {
  CreateUsersAndOrders(src_);
  const std::string p = WrongPasswordPipeline();
  const std::string password(kPassword);

  const RunOutput json = Run(p, {"--log-level", "debug"}, Env());
  ASSERT_EQ(json.exit_code(), 1) << json.Describe();
  EXPECT_EQ(json.result["error"]["code"], "AUTH_FAILED") << json.Describe();
  ExpectPortAndUser(json.result["error"].value("message", ""));
  // The schema came from ${E2E_SCHEMA} too: the stream is public.users, not ***.users.
  EXPECT_EQ(json.Stream("public.users")["status"], "failed") << json.Describe();
  EXPECT_FALSE(Contains(json.cmd.out + json.cmd.err, password)) << json.Describe();

  const CommandRun human = Cli({"run", p, "--log-level", "debug"}, Env());
  EXPECT_EQ(human.exit_code, 1) << human.out << human.err;
  ExpectPortAndUser(human.err);
  EXPECT_FALSE(Contains(human.out + human.err, password)) << human.out << human.err;

  // The stored runs name the cause the same way, and no state file holds the password.
  const std::string stored = StateQuery("SELECT error_message FROM sync_run_streams");
  ExpectPortAndUser(stored);
  EXPECT_FALSE(Contains(StateFiles(), password));
}

TEST_F(PgRedactionTest, CheckShowsPortAndUserButNeverThePassword) {
  CreateUsersAndOrders(src_);
  const std::string p = WrongPasswordPipeline();
  const std::string password(kPassword);
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{}, std::vector<std::string>{"--output", "json"}}) {
    std::vector<std::string> args = {"check", p, "--log-level", "debug"};
    args.insert(args.end(), extra.begin(), extra.end());
    const CommandRun check = Cli(args, Env());
    EXPECT_EQ(check.exit_code, 1) << check.out << check.err;
    EXPECT_TRUE(Contains(check.out, "AUTH_FAILED")) << check.out;
    // JSON escapes the quotes around the user name.
    ExpectPortAndUser(check.out, extra.empty() ? "\"" : "\\\"");
    EXPECT_FALSE(Contains(check.out + check.err, password)) << check.out << check.err;
  }
}

}  // namespace
}  // namespace rapidbyte::e2e
