// The native-code footer on plain files: stamping, re-stamping, verification, and every way
// a stale or tampered object is refused. Also the embedded headers, which must equal the
// files they were taken from.
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
  for (const char* part : {"rapidbyte=", ";protocol=", ";module_table=", ";wasm2c=", ";cc=",
                           ";flags=-shared -fPIC -O2 -fvisibility=hidden -w", ";target="}) {
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

}  // namespace
}  // namespace rapidbyte::plugin::translate
