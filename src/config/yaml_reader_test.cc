#include "config/yaml_reader.h"

#include <gtest/gtest.h>

#include "base/test_util.h"

namespace rapidbyte::config {
namespace {

TEST(YamlReaderTest, ScalarsKeepPlainnessAndMarks) {
  ASSERT_OK_AND_ASSIGN(Value v, ParseYaml("a: 1\nb: '1'\nc: \"x\"\nd:\n", "p.yaml"));
  ASSERT_TRUE(v.is_map());
  ASSERT_EQ(v.entries().size(), 4u);
  EXPECT_TRUE(v.Find("a")->plain());
  EXPECT_FALSE(v.Find("b")->plain());
  EXPECT_FALSE(v.Find("c")->plain());
  EXPECT_TRUE(v.Find("d")->is_null());
  EXPECT_EQ(v.entries()[1].key_mark.line, 2);
  EXPECT_EQ(v.entries()[1].key_mark.column, 1);
}

TEST(YamlReaderTest, SyntaxErrorNamesFileLineColumn) {
  auto r = ParseYaml("a: [1,\nb: 2\n", "pipe.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("pipe.yaml:3:1"), std::string::npos) << r.status().message();
}

TEST(YamlReaderTest, DuplicateKeysAreErrors) {
  auto r = ParseYaml("a: 1\nb: 2\na: 3\nm:\n  k: 1\n  k: 2\n", "dup.yaml");
  ASSERT_FALSE(r.ok());
  const std::string msg = r.status().message();
  EXPECT_NE(msg.find("dup.yaml:3:1: duplicate key 'a' (first defined at line 1)"), std::string::npos)
      << msg;
  EXPECT_NE(msg.find("dup.yaml:6:3: duplicate key 'k'"), std::string::npos) << msg;
}

TEST(YamlReaderTest, AnchorsAndAliases) {
  ASSERT_OK_AND_ASSIGN(Value v, ParseYaml("base: &b {host: h, port: 1}\ncopy: *b\n", "a.yaml"));
  EXPECT_EQ(v.Find("copy")->Find("host")->text(), "h");
}

TEST(YamlReaderTest, AliasBombIsRejected) {
  std::string doc = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'h'; ++c) {
    const char prev = static_cast<char>(c - 1);
    doc += std::string(1, c) + ": &" + c + " [*" + prev + ", *" + prev + ", *" + prev + ", *" +
           prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev +
           ", *" + prev + "]\n";
  }
  auto r = ParseYaml(doc, "bomb.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("document too large"), std::string::npos);
}

TEST(YamlReaderTest, ComplexKeysAreRejected) {
  auto r = ParseYaml("? [a, b]\n: 1\n", "k.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("mapping keys must be plain strings"), std::string::npos);
}

}  // namespace
}  // namespace rapidbyte::config

namespace rapidbyte::config {
namespace {

TEST(YamlReaderTest, ReferencesInsideFlowCollections) {
  // ${...} contains YAML flow indicators; the reader keeps such references intact so the
  // SPEC's own example ({password: ${DW_PASSWORD}}) parses.
  ASSERT_OK_AND_ASSIGN(
      Value v, ParseYaml("c: {password: ${DW_PASSWORD}, port: ${P:-5432}, l: [${A:-x,y}]}\n"
                         "${KEY}: \"${Q}\"\n",
                         "f.yaml"));
  const Value* c = v.Find("c");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->Find("password")->text(), "${DW_PASSWORD}");
  EXPECT_TRUE(c->Find("password")->plain());
  EXPECT_EQ(c->Find("port")->text(), "${P:-5432}");
  ASSERT_EQ(c->Find("l")->items().size(), 1u);
  EXPECT_EQ(c->Find("l")->items()[0].text(), "${A:-x,y}");
  ASSERT_NE(v.Find("${KEY}"), nullptr);
  EXPECT_EQ(v.Find("${KEY}")->text(), "${Q}");
}

}  // namespace
}  // namespace rapidbyte::config
