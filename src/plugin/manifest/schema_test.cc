// Tests for compiling config schemas: the supported subset and every rejection.
#include "plugin/manifest/schema.h"

#include <gtest/gtest.h>

namespace rapidbyte::plugin::manifest {
namespace {

std::vector<std::string> CompileProblems(const std::string& text) {
  std::vector<std::string> problems;
  auto node = CompileSchema(nlohmann::json::parse(text, nullptr, false), "config_schema", problems);
  EXPECT_EQ(node == nullptr, !problems.empty());
  return problems;
}

TEST(SchemaTest, CompilesEverySupportedKeyword) {
  std::vector<std::string> problems;
  auto node = CompileSchema(nlohmann::json::parse(R"({
    "type": "object", "title": "T", "description": "D", "additionalProperties": false,
    "required": ["a"], "x-ui-order": 3,
    "properties": {
      "a": {"type": ["string", "null"], "minLength": 1, "maxLength": 9, "pattern": "^a",
            "format": "hostname", "enum": ["ab", null], "x-secret": true},
      "n": {"type": "number", "minimum": 0, "maximum": 1.5, "exclusiveMinimum": -1,
            "exclusiveMaximum": 2, "default": 1, "const": 1},
      "l": {"type": "array", "items": {"type": "integer"}, "minItems": 1, "maxItems": 3}}})",
                                                  nullptr, false),
                            "config_schema", problems);
  ASSERT_NE(node, nullptr) << problems[0];
  EXPECT_EQ(node->title, "T");
  EXPECT_FALSE(node->additional_properties);
  const SchemaNode* a = node->Property("a");
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->secret);
  EXPECT_TRUE(a->Allows(JsonType::kNull));
  EXPECT_FALSE(a->Allows(JsonType::kInteger));
  EXPECT_EQ(a->pattern->source(), "^a");
  EXPECT_EQ(a->format, "hostname");
  EXPECT_EQ(*a->max_length, 9u);
  const SchemaNode* n = node->Property("n");
  EXPECT_TRUE(n->Allows(JsonType::kInteger));  // "number" admits integers
  EXPECT_EQ(*n->default_value, 1);
  EXPECT_EQ(node->Property("l")->items->types, std::vector<JsonType>{JsonType::kInteger});
  EXPECT_EQ(node->PropertyNames(), (std::vector<std::string>{"a", "l", "n"}));
}

TEST(SchemaTest, RejectsUnsupportedKeywords) {
  EXPECT_EQ(
      CompileProblems(R"({"properties": {"port": {"type": "integer", "multipleOf": 2}}})"),
      std::vector<std::string>{"config_schema.properties.port: unsupported keyword 'multipleOf'"});
  EXPECT_EQ(CompileProblems(R"({"minLenght": 2, "oneOf": []})"),
            (std::vector<std::string>{
                "config_schema: unsupported keyword 'minLenght' (did you mean 'minLength'?)",
                "config_schema: unsupported keyword 'oneOf'"}));
}

TEST(SchemaTest, RejectsMalformedKeywordValues) {
  EXPECT_EQ(CompileProblems(R"({"type": "object", "properties": {
        "a": {"type": "int"}, "b": {"type": ["string", "string"]}, "c": {"minimum": "1"},
        "d": {"maxLength": -1}, "e": {"enum": []}, "f": {"items": [{}]},
        "g": {"additionalProperties": {}}, "h": {"x-secret": "yes"}, "i": 5,
        "j": {"required": ["x", "x", 3]}, "k": {"title": 1}}})"),
            (std::vector<std::string>{
                "config_schema.properties.a.type: 'int' is not one of string, integer, number, "
                "boolean, object, array, null",
                "config_schema.properties.b.type: duplicate type 'string'",
                "config_schema.properties.c.minimum: expected a number, got '1'",
                "config_schema.properties.d.maxLength: expected a non-negative integer, got -1",
                "config_schema.properties.e.enum: must be a non-empty array",
                "config_schema.properties.f.items: an array of schemas (tuple validation) is not "
                "supported; use one schema",
                "config_schema.properties.g.additionalProperties: expected true or false, got an "
                "object (schemas here are not supported)",
                "config_schema.properties.h.x-secret: expected true or false, got 'yes'",
                "config_schema.properties.i: expected a schema object, got 5",
                "config_schema.properties.j.required[1]: duplicate 'x'",
                "config_schema.properties.j.required[2]: expected a string, got 3",
                "config_schema.properties.k.title: expected a string, got 1"}));
}

TEST(SchemaTest, RejectsBadPatternsWithoutThrowing) {
  const auto problems = CompileProblems(R"({"properties": {"p": {"pattern": "(unclosed"}}})");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(
      problems[0].rfind("config_schema.properties.p.pattern: invalid pattern '(unclosed': ", 0), 0u)
      << problems[0];
}

TEST(SchemaTest, ChecksDefaultsAgainstTheirSchema) {
  EXPECT_EQ(CompileProblems(R"({"properties": {
      "port": {"type": "integer", "maximum": 65535, "default": 70000},
      "mode": {"enum": ["a", "b"], "default": "zzz"},
      "ok": {"type": "string", "default": "fine"}}})"),
            (std::vector<std::string>{
                "config_schema.properties.mode.default: 'zzz' is not one of a, b",
                "config_schema.properties.port.default: must be at most 65535, got 70000"}));
}

TEST(SchemaTest, RootMustDescribeAMap) {
  EXPECT_EQ(CompileProblems(R"({"type": "string"})"),
            std::vector<std::string>{
                "config_schema.type: must be 'object' (a connector config is a map)"});
  EXPECT_EQ(CompileProblems("[]"),
            std::vector<std::string>{"config_schema: expected a schema object, got an array"});
}

}  // namespace
}  // namespace rapidbyte::plugin::manifest
