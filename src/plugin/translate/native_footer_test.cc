// The native-code footer on plain files: stamping, re-stamping, verification, and every way
// a stale or tampered object is refused. Also the embedded headers, which must equal the
// files they were taken from, and the tuning of wasm2c's output the translated code carries
// (TuneGeneratedCode, whose version is part of the key).
#include "plugin/translate/native_footer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "base/test_util.h"
#include "plugin/translate/embedded_headers.h"
#include "plugin/translate/files.h"
#include "plugin/translate/glue.h"

namespace rapidbyte::plugin::translate {
namespace {

const std::string kWasmSha(64, 'a');

class NativeFooterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "/footer-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    so_ = dir_ + "/x.so";
    ASSERT_OK(WriteFileBytes(so_,
                             "\x7f"
                             "ELF pretend shared object"));
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string Contents() {
    auto bytes = ReadFileBytes(so_, 1 << 20);
    EXPECT_TRUE(bytes.ok());
    return bytes.ok() ? std::string(bytes->begin(), bytes->end()) : "";
  }
  void Overwrite(const std::string& contents) { ASSERT_OK(WriteFileBytes(so_, contents)); }

  std::string dir_;
  std::string so_;
};

TEST_F(NativeFooterTest, StampedObjectVerifies) {
  ASSERT_OK(StampNativeCode(so_, kWasmSha, "test-x", "cc 1.0"));
  EXPECT_OK(VerifyNativeCode(so_, kWasmSha));
  const std::string contents = Contents();
  EXPECT_EQ(contents.substr(0, 4),
            "\x7f"
            "ELF");
  EXPECT_EQ(contents.substr(contents.size() - 8), "RBNATIV1");

  const int fd = open(so_.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  NativeFooter footer;
  std::uint64_t payload = 0;
  ASSERT_OK(ReadNativeFooter(fd, contents.size(), &footer, &payload));
  close(fd);
  EXPECT_EQ(payload, std::string("\x7f"
                                 "ELF pretend shared object")
                         .size());
  EXPECT_EQ(footer.abi_key, HostAbiKey());
  EXPECT_EQ(footer.wasm_sha256, kWasmSha);
  EXPECT_EQ(footer.connector, "test-x");
  EXPECT_EQ(footer.compiler, "cc 1.0");
}

TEST_F(NativeFooterTest, StampingTwiceReplacesTheFooter) {
  ASSERT_OK(StampNativeCode(so_, std::string(64, 'b'), "test-x", "cc"));
  const std::size_t once = Contents().size();
  ASSERT_OK(StampNativeCode(so_, kWasmSha, "test-x", "cc"));
  EXPECT_EQ(Contents().size(), once);
  EXPECT_OK(VerifyNativeCode(so_, kWasmSha));
}

TEST_F(NativeFooterTest, ObjectWithoutFooterIsRefused) {
  Status status = VerifyNativeCode(so_, kWasmSha);
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("no rapidbyte native-code footer"), std::string::npos);
  EXPECT_EQ(VerifyNativeCode(dir_ + "/missing.so", kWasmSha).code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(NativeFooterTest, OtherModuleIsRefused) {
  ASSERT_OK(StampNativeCode(so_, kWasmSha, "test-x", "cc"));
  Status status = VerifyNativeCode(so_, std::string(64, 'c'));
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("translated from another module"), std::string::npos);
}

TEST_F(NativeFooterTest, OtherHostKeyIsRefused) {
  ASSERT_OK(StampNativeCode(so_, kWasmSha, "test-x", "cc"));
  std::string contents = Contents();
  const std::size_t at = contents.find("protocol=");
  ASSERT_NE(at, std::string::npos);
  contents[at + 9] = '9';  // same length, other key
  Overwrite(contents);
  Status status = VerifyNativeCode(so_, kWasmSha);
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("built for another host"), std::string::npos);
}

TEST_F(NativeFooterTest, ModifiedObjectIsRefused) {
  ASSERT_OK(StampNativeCode(so_, kWasmSha, "test-x", "cc"));
  std::string contents = Contents();
  contents[5] ^= 0x01;
  Overwrite(contents);
  Status status = VerifyNativeCode(so_, kWasmSha);
  EXPECT_EQ(status.code(), StatusCode::kDataLoss);
  EXPECT_NE(status.message().find("modified after translation"), std::string::npos);
}

TEST_F(NativeFooterTest, HostileTrailersAreRefused) {
  const std::string payload =
      "\x7f"
      "ELF pretend shared object";
  auto trailer = [](std::uint32_t length) {
    std::string out;
    for (int shift = 0; shift < 32; shift += 8) out += static_cast<char>((length >> shift) & 0xff);
    return out + "RBNATIV1";
  };
  auto with_json = [&](const std::string& json) {
    return payload + json + trailer(static_cast<std::uint32_t>(json.size()));
  };
  // Length beyond the file, zero, above the cap; not JSON; JSON of the wrong shape.
  for (const std::string& contents :
       {payload + trailer(0xffffffffu), payload + trailer(0), payload + trailer(100000),
        with_json("nojson"), with_json("[1,2]"), with_json("{\"format\":1}"),
        with_json("{\"format\":2,\"abi_key\":\"\",\"wasm_sha256\":\"\",\"so_sha256\":\"\"}"),
        with_json("{\"format\":1,\"abi_key\":1,\"wasm_sha256\":\"\",\"so_sha256\":\"\"}"),
        std::string("RBNATIV1"), std::string("")}) {
    Overwrite(contents);
    Status status = VerifyNativeCode(so_, kWasmSha);
    EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition) << status.ToString();
  }
}

TEST(HostAbiKeyTest, NamesEveryIngredient) {
  const std::string& key = HostAbiKey();
  for (const char* part :
       {"rapidbyte=", ";protocol=", ";module_table=", ";wasm2c=", ";cc=",
        ";flags=-shared -fPIC -O2 -funroll-loops -fvisibility=hidden -w", ";tuning=", ";target="}) {
    EXPECT_NE(key.find(part), std::string::npos) << part << " in " << key;
  }
  EXPECT_NE(key.find(std::string(HostWasm2cVersion())), std::string::npos);
}

std::string SourceFile(const std::string& relative) {
  const char* root = std::getenv("RB_SOURCE_DIR");
  if (root == nullptr) return "";
  auto bytes = ReadFileBytes(std::string(root) + "/" + relative, 1 << 20);
  return bytes.ok() ? std::string(bytes->begin(), bytes->end()) : "";
}

TEST(EmbeddedHeadersTest, ModuleTableHeaderMatchesTheSource) {
  const std::string source = SourceFile("src/plugin/runtime/module_table.h");
  ASSERT_FALSE(source.empty()) << "RB_SOURCE_DIR must point at the source tree";
  EXPECT_EQ(EmbeddedModuleTableHeader(), source)
      << "re-run cmake: the embedded copy of module_table.h is stale";
}

TEST(EmbeddedHeadersTest, WasmRtHeaderIsTheSystemOne) {
  auto bytes = ReadFileBytes("/usr/include/wasm-rt.h", 1 << 20);
  if (!bytes.ok()) GTEST_SKIP() << "no /usr/include/wasm-rt.h";
  EXPECT_EQ(EmbeddedWasmRtHeader(), std::string(bytes->begin(), bytes->end()));
}

// The shape of `wasm2c -n connector` output that TuneGeneratedCode works on, cut down: the
// helper instantiations, then functions.
std::string GeneratedPrelude() {
  std::string c = "#define DEFINE_LOAD(name, t1, t2, t3) /* ... */\n";
  for (const char* line :
       {"DEFINE_LOAD(i32_load, u32, u32, u32)",     "DEFINE_LOAD(i64_load, u64, u64, u64)",
        "DEFINE_LOAD(f32_load, f32, f32, f32)",     "DEFINE_LOAD(f64_load, f64, f64, f64)",
        "DEFINE_LOAD(i32_load8_s, s8, s32, u32)",   "DEFINE_LOAD(i64_load8_s, s8, s64, u64)",
        "DEFINE_LOAD(i32_load8_u, u8, u32, u32)",   "DEFINE_LOAD(i64_load8_u, u8, u64, u64)",
        "DEFINE_LOAD(i32_load16_s, s16, s32, u32)", "DEFINE_LOAD(i64_load16_s, s16, s64, u64)",
        "DEFINE_LOAD(i32_load16_u, u16, u32, u32)", "DEFINE_LOAD(i64_load16_u, u16, u64, u64)",
        "DEFINE_LOAD(i64_load32_s, s32, s64, u64)", "DEFINE_LOAD(i64_load32_u, u32, u64, u64)",
        "DEFINE_STORE(i32_store, u32, u32)",        "DEFINE_STORE(i64_store, u64, u64)",
        "DEFINE_STORE(f32_store, f32, f32)",        "DEFINE_STORE(f64_store, f64, f64)",
        "DEFINE_STORE(i32_store8, u8, u32)",        "DEFINE_STORE(i32_store16, u16, u32)",
        "DEFINE_STORE(i64_store8, u8, u64)",        "DEFINE_STORE(i64_store16, u16, u64)",
        "DEFINE_STORE(i64_store32, u32, u64)"}) {
    c += std::string(line) + "\n";
  }
  return c;
}

constexpr const char* kGeneratedHeader =
    "typedef struct Z_connector_instance_t {\n"
    "  struct Z_rapidbyte_instance_t* Z_rapidbyte_instance;\n"
    "  u32 w2c___stack_pointer;\n"
    "  wasm_rt_memory_t w2c_memory;\n"
    "  wasm_rt_funcref_table_t w2c_T0;\n"
    "} Z_connector_instance_t;\n";

TEST(TuneGeneratedCodeTest, FunctionsReadTheMemoryBaseOnce) {
  const std::string functions =
      "static u32 w2c_f1(Z_connector_instance_t* instance, u32 w2c_p0) {\n"
      "  u32 w2c_i0, w2c_i1;\n"
      "  w2c_i0 = i32_load8_u(&instance->w2c_memory, (u64)(w2c_p0) + 4u);\n"
      "  i64_store(&instance->w2c_memory, (u64)(w2c_i0), 1ull);\n"
      "  memory_fill(&instance->w2c_memory, w2c_i0, 0, 8);\n"
      "  return w2c_i0;\n"
      "}\n"
      "\n"
      "static u32 w2c_f2(Z_connector_instance_t* instance) {\n"
      "  return instance->w2c___stack_pointer;\n"
      "}\n";
  auto tuned = TuneGeneratedCode(GeneratedPrelude() + functions, kGeneratedHeader);
  ASSERT_OK(tuned.status());
  EXPECT_NE(tuned->find("RB_DEFINE_LOAD(i32_load8_u, u8, u32, u32)\n"), std::string::npos);
  EXPECT_NE(tuned->find("RB_DEFINE_STORE(i64_store32, u32, u64)\n"), std::string::npos);
  EXPECT_NE(tuned->find("static u32 w2c_f1(Z_connector_instance_t* instance, u32 w2c_p0) {\n"
                        "  u8* const rb_mem_base = instance->w2c_memory.data;\n"
                        "  u32 w2c_i0, w2c_i1;\n"
                        "  w2c_i0 = rb_i32_load8_u(rb_mem_base, (u64)(w2c_p0) + 4u);\n"
                        "  rb_i64_store(rb_mem_base, (u64)(w2c_i0), 1ull);\n"
                        "  memory_fill(&instance->w2c_memory, w2c_i0, 0, 8);\n"),
            std::string::npos)
      << *tuned;
  // A function without loads or stores is left alone.
  EXPECT_NE(tuned->find("static u32 w2c_f2(Z_connector_instance_t* instance) {\n"
                        "  return instance->w2c___stack_pointer;\n}\n"),
            std::string::npos);
}

TEST(TuneGeneratedCodeTest, ModuleWithoutMemoryIsUnchanged) {
  const std::string code = GeneratedPrelude() + "static void w2c_f(void) {\n}\n";
  auto tuned = TuneGeneratedCode(code, "typedef struct Z_connector_instance_t {\n  u32 g;\n}");
  ASSERT_OK(tuned.status());
  EXPECT_EQ(*tuned, code);
}

TEST(TuneGeneratedCodeTest, CodeOfAnotherShapeIsRefused) {
  EXPECT_FALSE(TuneGeneratedCode("int main(void) { return 0; }\n", kGeneratedHeader).ok());
  // A load on the memory outside any function it can give the base to.
  const std::string stray =
      GeneratedPrelude() + "static u32 x = i32_load(&instance->w2c_memory, 0);\n";
  EXPECT_FALSE(TuneGeneratedCode(stray, kGeneratedHeader).ok());
}

}  // namespace
}  // namespace rapidbyte::plugin::translate
