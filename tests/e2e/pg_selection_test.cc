// Choosing what to move (issue #22 items 1-3): pattern streams (`name: public.*` with
// `exclude:`), scaffolding a pipeline (`discover --yaml`, `init`), and the plan of a run
// (`run --dry-run`, `check --plan`). The real binary against a throwaway PostgreSQL server.
#include <filesystem>
#include <fstream>
#include <regex>

#include "tests/e2e/e2e_fixture.h"

namespace rapidbyte::e2e {
namespace {

class PgSelectionTest : public E2eTest {
 protected:
  void CreateAudit() {
    src_.Exec(
        "CREATE TABLE audit_log (id int PRIMARY KEY, what text);"
        "INSERT INTO audit_log VALUES (1, 'x')");
  }
  std::vector<std::string> StreamNames(const RunOutput& r) {
    std::vector<std::string> names;
    for (const auto& s : r.result["streams"]) names.push_back(s["name"].get<std::string>());
    return names;
  }
};

// A pattern with an exclude reads every other table; a table created between runs is
// picked up by the next run; the excluded table is never written.
TEST_F(PgSelectionTest, PatternWithExcludeAndATableCreatedBetweenRuns) {
  CreateUsersAndOrders(src_);
  CreateAudit();
  PipelineSpec spec;
  spec.streams = "    - name: public.*\n      exclude: [audit_*]\n";
  const std::string p = WritePipeline(spec);
  RunOutput first = Run(p);
  ASSERT_EQ(first.exit_code(), 0) << first.Describe();
  EXPECT_EQ(StreamNames(first), (std::vector<std::string>{"public.orders", "public.users"}));
  EXPECT_TRUE(Contains(first.cmd.err, "source.streams[0] 'public.*' matched 2 tables: "
                                      "public.orders, public.users"))
      << first.cmd.err;
  ExpectExactCopy("users", "raw.users");
  ExpectExactCopy("orders", "raw.orders");
  EXPECT_FALSE(dst_.Exists("raw.audit_log"));

  src_.Exec("CREATE TABLE invoices (id int PRIMARY KEY, total numeric); "
            "INSERT INTO invoices VALUES (1, 9.5), (2, 10)");
  RunOutput second = Run(p);
  ASSERT_EQ(second.exit_code(), 0) << second.Describe();
  EXPECT_EQ(StreamNames(second),
            (std::vector<std::string>{"public.invoices", "public.orders", "public.users"}));
  ExpectExactCopy("invoices", "raw.invoices");
  EXPECT_FALSE(dst_.Exists("raw.audit_log"));
}

// An explicit stream keeps its own settings and the pattern does not read its table twice;
// an incremental pattern takes each table's suggested cursor; `check` shows the expansion.
TEST_F(PgSelectionTest, ExplicitStreamOverridesPatternAndCheckShowsTheExpansion) {
  CreateUsersAndOrders(src_);
  CreateAudit();
  PipelineSpec spec;
  spec.streams =
      "    - name: orders\n"
      "    - name: public.*\n      sync_mode: incremental\n";
  const std::string p = WritePipeline(spec);
  const CommandRun check = Cli({"check", p});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_TRUE(std::regex_search(check.out, std::regex("Stream patterns: +OK +1 pattern, 2 streams")))
      << check.out;
  EXPECT_TRUE(Contains(check.out, "source.streams[1] 'public.*' matched 2 tables: "
                                  "public.audit_log, public.users"))
      << check.out;

  RunOutput r = Run(p);
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  ASSERT_EQ(StreamNames(r),
            (std::vector<std::string>{"public.orders", "public.audit_log", "public.users"}));
  EXPECT_EQ(r.Stream("public.orders")["sync_mode"], "full_refresh");
  EXPECT_EQ(r.Stream("public.users")["sync_mode"], "incremental");
  // users suggests updated_at (a timestamp named so), audit_log its integer key.
  const std::string cursors = StateQuery("SELECT stream, cursor_field FROM sync_cursors ORDER BY 1");
  EXPECT_TRUE(Contains(cursors, "public.audit_log|id")) << cursors;
  EXPECT_TRUE(Contains(cursors, "public.users|updated_at")) << cursors;
}

// A pattern that matches nothing, and no other stream: exit 2 naming the pattern.
TEST_F(PgSelectionTest, PatternMatchingNothingIsAClearError) {
  CreateUsersAndOrders(src_);
  PipelineSpec spec;
  spec.streams = "    - name: public.nothing_*\n";
  const CommandRun r = Cli({"run", WritePipeline(spec)});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_TRUE(Contains(r.err, "'public.nothing_*' matches no table or view")) << r.err;
  EXPECT_TRUE(Contains(r.err, "source.streams: the patterns match no table or view")) << r.err;
  EXPECT_FALSE(std::filesystem::exists(StatePath()));
}

}  // namespace
}  // namespace rapidbyte::e2e
