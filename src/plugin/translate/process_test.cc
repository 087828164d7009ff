// RunProcess and FindExecutable: output capture, exit codes, signals, no shell.
#include "plugin/translate/process.h"

#include <gtest/gtest.h>

#include "base/test_util.h"

namespace rapidbyte::plugin::translate {
namespace {

TEST(ProcessTest, CapturesOutputAndExitCode) {
  const std::string sh = FindExecutable("sh");
  ASSERT_FALSE(sh.empty());
  ASSERT_OK_AND_ASSIGN(ProcessResult ok, RunProcess({sh, "-c", "echo out; echo err >&2"}));
  EXPECT_TRUE(ok.succeeded());
  EXPECT_EQ(ok.output, "out\nerr\n");
  ASSERT_OK_AND_ASSIGN(ProcessResult failed, RunProcess({sh, "-c", "exit 3"}));
  EXPECT_EQ(failed.exit_code, 3);
  EXPECT_EQ(failed.Describe(), "exit code 3");
  ASSERT_OK_AND_ASSIGN(ProcessResult killed, RunProcess({sh, "-c", "kill -9 $$"}));
  EXPECT_EQ(killed.signal, 9);
  EXPECT_EQ(killed.Describe(), "signal 9");
}

TEST(ProcessTest, ArgumentsAreNotInterpretedByAShell) {
  const std::string echo = FindExecutable("echo");
  ASSERT_FALSE(echo.empty());
  ASSERT_OK_AND_ASSIGN(ProcessResult result, RunProcess({echo, "$HOME; rm -rf /", "`id`"}));
  EXPECT_EQ(result.output, "$HOME; rm -rf / `id`\n");
}

TEST(ProcessTest, OutputIsCapped) {
  const std::string sh = FindExecutable("sh");
  ASSERT_OK_AND_ASSIGN(ProcessResult result,
                       RunProcess({sh, "-c", "head -c 200000 /dev/zero; echo done >&2"}));
  EXPECT_TRUE(result.succeeded());
  EXPECT_EQ(result.output.size(), kMaxCapturedOutput);
}

TEST(ProcessTest, MissingProgramsAreReported) {
  EXPECT_EQ(FindExecutable("rb-no-such-program"), "");
  EXPECT_EQ(FindExecutable("/nonexistent"), "");
  EXPECT_EQ(FindExecutable(""), "");
  EXPECT_FALSE(RunProcess({"/nonexistent/tool"}).ok());
  EXPECT_FALSE(RunProcess({}).ok());
}

}  // namespace
}  // namespace rapidbyte::plugin::translate
