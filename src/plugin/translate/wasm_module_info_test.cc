// ParseWasmModule on hand-assembled modules, malformed headers and sections, and hostile
// input: every truncation and thousands of deterministic mutations of a valid module.
#include "plugin/translate/wasm_module_info.h"

#include <random>

#include <gtest/gtest.h>

#include "base/test_util.h"
#include "plugin/translate/wasm_test_builder.h"

namespace rapidbyte::plugin::translate {
namespace {

using Bytes = std::vector<std::uint8_t>;
using V = ValType;

Bytes Header() { return {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}; }

Bytes WithSections(std::initializer_list<Bytes> sections) {
  Bytes out = Header();
  for (const Bytes& s : sections) out.insert(out.end(), s.begin(), s.end());
  return out;
}

std::string ParseError(const Bytes& bytes) {
  auto info = ParseWasmModule(bytes);
  EXPECT_FALSE(info.ok());
  return info.ok() ? "" : info.status().message();
}

TEST(WasmModuleInfoTest, ParsesTheSectionsTheHostChecks) {
  const Bytes bytes = ValidConnectorBuilderForTest({.source = true}).Build();
  ASSERT_OK_AND_ASSIGN(WasmModuleInfo info, ParseWasmModule(bytes));
  ASSERT_EQ(info.imports.size(), 3u);
  EXPECT_EQ(info.imports[0].module, "rapidbyte");
  EXPECT_EQ(info.imports[0].name, "rb_host_log");
  EXPECT_EQ(info.imports[0].kind, ExternKind::kFunction);
  EXPECT_EQ(FormatFuncType(info.types[info.imports[1].type_index]), "(i32,i64,i32)->i32");
  EXPECT_EQ(FormatFuncType(info.types[info.imports[2].type_index]), "(i32)->()");
  ASSERT_EQ(info.memories.size(), 1u);
  EXPECT_EQ(info.memories[0].min_pages, 2u);
  EXPECT_FALSE(info.memories[0].shared);
  const ExportEntry* run_read = info.FindExport("rb_run_read");
  ASSERT_NE(run_read, nullptr);
  ASSERT_NE(info.FunctionType(run_read->index), nullptr);
  EXPECT_EQ(FormatFuncType(*info.FunctionType(run_read->index)), "(i32,i32)->i64");
  EXPECT_EQ(info.FindExport("rb_run_write"), nullptr);
}

TEST(WasmModuleInfoTest, EmptyModuleIsValid) {
  ASSERT_OK_AND_ASSIGN(WasmModuleInfo info, ParseWasmModule(Header()));
  EXPECT_TRUE(info.types.empty());
  EXPECT_TRUE(info.memories.empty());
}

TEST(WasmModuleInfoTest, FormatsSignatures) {
  EXPECT_EQ(FormatFuncType({}), "()->()");
  EXPECT_EQ(FormatFuncType({{V::kI32, V::kI64}, {V::kI32}}), "(i32,i64)->i32");
  EXPECT_EQ(FormatFuncType({{V::kF32}, {V::kI32, V::kF64}}), "(f32)->(i32,f64)");
}

TEST(WasmModuleInfoTest, RejectsBadHeaders) {
  EXPECT_NE(ParseError({}).find("too short"), std::string::npos);
  EXPECT_NE(ParseError({0x00, 0x61, 0x73}).find("too short"), std::string::npos);
  EXPECT_NE(ParseError({0x7f, 'E', 'L', 'F', 1, 0, 0, 0}).find("bad magic"), std::string::npos);
  EXPECT_NE(ParseError({0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00}).find("version"),
            std::string::npos);
  // A component (layer 1) is not a core module.
  EXPECT_NE(ParseError({0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00}).find("version"),
            std::string::npos);
}

TEST(WasmModuleInfoTest, RejectsSectionsThatOverrunTheModule) {
  // Type section claiming 100 bytes with 3 present.
  EXPECT_NE(ParseError(WithSections({{0x01, 0x64, 0x01, 0x60, 0x00}})).find("exceeds"),
            std::string::npos);
  // Section size of 2^32 - 1 encoded in five bytes.
  EXPECT_NE(ParseError(WithSections({{0x01, 0xff, 0xff, 0xff, 0xff, 0x0f}})).find("exceeds"),
            std::string::npos);
  // A count far above the bytes that follow is refused before any allocation.
  EXPECT_NE(ParseError(WithSections({{0x01, 0x05, 0xff, 0xff, 0xff, 0xff, 0x0f}})).find("count"),
            std::string::npos);
}

TEST(WasmModuleInfoTest, RejectsMalformedLeb128) {
  // Six-byte u32 (too long) and a fifth byte with high bits set (too large).
  EXPECT_NE(ParseError(WithSections({{0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}})).find("long"),
            std::string::npos);
  EXPECT_NE(ParseError(WithSections({{0x01, 0x80, 0x80, 0x80, 0x80, 0x70}})).find("too large"),
            std::string::npos);
  // Truncated in the middle of a LEB.
  EXPECT_NE(ParseError(WithSections({{0x01, 0x80}})).find("unexpected end"), std::string::npos);
}

TEST(WasmModuleInfoTest, RejectsTrailingBytesInASection) {
  // One type () -> () followed by a stray byte, inside the declared size.
  EXPECT_NE(ParseError(WithSections({{0x01, 0x05, 0x01, 0x60, 0x00, 0x00, 0xaa}})).find("trailing"),
            std::string::npos);
}

TEST(WasmModuleInfoTest, RejectsUnknownAndMisorderedSections) {
  EXPECT_NE(ParseError(WithSections({{0x0e, 0x00}})).find("unknown section"), std::string::npos);
  // Export (7) before type (1).
  EXPECT_NE(ParseError(WithSections({{0x07, 0x01, 0x00}, {0x01, 0x01, 0x00}})).find("order"),
            std::string::npos);
  // Type section twice.
  EXPECT_NE(ParseError(WithSections({{0x01, 0x01, 0x00}, {0x01, 0x01, 0x00}})).find("repeated"),
            std::string::npos);
  // Custom sections may appear anywhere.
  EXPECT_OK(
      ParseWasmModule(
          WithSections({{0x00, 0x03, 0x02, 'h', 'i'}, {0x01, 0x01, 0x00}, {0x00, 0x02, 0x01, 'x'}}))
          .status());
}

TEST(WasmModuleInfoTest, RejectsBadTypesAndIndices) {
  // Type form 0x5f (a GC struct) is not a function type.
  EXPECT_NE(ParseError(WithSections({{0x01, 0x02, 0x01, 0x5f}})).find("type form"),
            std::string::npos);
  // Unknown value type 0x40.
  EXPECT_NE(ParseError(WithSections({{0x01, 0x04, 0x01, 0x60, 0x01, 0x40}})).find("value type"),
            std::string::npos);
  // A function of type 3 when there is one type.
  EXPECT_NE(
      ParseError(WithSections({{0x01, 0x04, 0x01, 0x60, 0x00, 0x00}, {0x03, 0x02, 0x01, 0x03}}))
          .find("type index"),
      std::string::npos);
  // Functions declared without a code section.
  EXPECT_NE(
      ParseError(WithSections({{0x01, 0x04, 0x01, 0x60, 0x00, 0x00}, {0x03, 0x02, 0x01, 0x00}}))
          .find("code section"),
      std::string::npos);
}

TEST(WasmModuleInfoTest, RejectsBadExports) {
  WasmBuilder b;
  const std::uint32_t t = b.Type({}, {});
  b.ExportFunction("f", t);
  b.Export("f", ExternKind::kFunction, 0);
  EXPECT_NE(ParseError(b.Build()).find("duplicate export"), std::string::npos);

  WasmBuilder out_of_range;
  out_of_range.Export("memory", ExternKind::kMemory, 0);
  EXPECT_NE(ParseError(out_of_range.Build()).find("out of range"), std::string::npos);

  // Export names must be UTF-8.
  Bytes bad_name = WithSections({{0x07, 0x05, 0x01, 0x02, 0xc3, 0x28, 0x00}});
  EXPECT_NE(ParseError(bad_name).find("UTF-8"), std::string::npos);
}

TEST(WasmModuleInfoTest, RecordsMemoryFlags) {
  WasmBuilder shared;
  shared.Memory(0x03, 1);
  ASSERT_OK_AND_ASSIGN(WasmModuleInfo a, ParseWasmModule(shared.Build()));
  EXPECT_TRUE(a.memories[0].shared);

  WasmBuilder wide;
  wide.Memory(0x04, 1);
  ASSERT_OK_AND_ASSIGN(WasmModuleInfo b, ParseWasmModule(wide.Build()));
  EXPECT_TRUE(b.memories[0].memory64);

  WasmBuilder imported;
  imported.ImportMemory("env", "memory", 0x00, 1);
  ASSERT_OK_AND_ASSIGN(WasmModuleInfo c, ParseWasmModule(imported.Build()));
  EXPECT_EQ(c.memories.size(), 1u);
  EXPECT_EQ(c.imports[0].kind, ExternKind::kMemory);

  WasmBuilder huge;
  huge.Memory(0x00, 65537);
  EXPECT_NE(ParseError(huge.Build()).find("4 GiB"), std::string::npos);

  EXPECT_NE(ParseError(WithSections({{0x05, 0x03, 0x01, 0x08, 0x00}})).find("memory flags"),
            std::string::npos);
}

TEST(WasmModuleInfoTest, EveryTruncationFailsCleanly) {
  const Bytes bytes = ValidConnectorBuilderForTest({.source = true, .destination = true}).Build();
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    auto info = ParseWasmModule(std::span<const std::uint8_t>(bytes.data(), n));
    // A prefix that ends exactly between sections is itself a valid module.
    if (info.ok()) continue;
    EXPECT_EQ(info.status().code(), StatusCode::kInvalidArgument) << n;
  }
}

TEST(WasmModuleInfoTest, MutatedModulesNeverCrash) {
  const Bytes original = ValidConnectorBuilderForTest({.source = true}).Build();
  std::mt19937 rng(12345);
  for (int round = 0; round < 20000; ++round) {
    Bytes bytes = original;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = 8 + rng() % (bytes.size() - 8);
      switch (rng() % 3) {
        case 0:
          bytes[at] = static_cast<std::uint8_t>(rng());
          break;
        case 1:
          bytes.erase(bytes.begin() + static_cast<std::ptrdiff_t>(at));
          break;
        default:
          bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                       static_cast<std::uint8_t>(rng()));
      }
    }
    auto info = ParseWasmModule(bytes);
    if (info.ok()) {
      for (const FuncType& t : info->types) EXPECT_FALSE(FormatFuncType(t).empty());
    }
  }
}

}  // namespace
}  // namespace rapidbyte::plugin::translate
