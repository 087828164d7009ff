// CheckModule: the connector contract of SPEC §4.1 on hand-assembled modules, with the
// exact messages users see.
#include "plugin/translate/module_check.h"

#include <gtest/gtest.h>

#include "base/test_util.h"
#include "plugin/translate/wasm_test_builder.h"

namespace rapidbyte::plugin::translate {
namespace {

using V = ValType;
const ConnectorRef kWho{"acme/source-x", "0.2.0"};

Status Check(const WasmBuilder& builder, ConnectorRoles roles) {
  return CheckModuleBytes(builder.Build(), kWho, roles);
}

std::string CheckMessage(const WasmBuilder& builder, ConnectorRoles roles) {
  Status status = Check(builder, roles);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  return status.message();
}

TEST(ModuleCheckTest, AcceptsConnectorsThatMeetTheContract) {
  EXPECT_OK(Check(ValidConnectorBuilderForTest({.source = true}), {.source = true}));
  EXPECT_OK(Check(ValidConnectorBuilderForTest({.destination = true}), {.destination = true}));
  EXPECT_OK(Check(ValidConnectorBuilderForTest({.transform = true}), {.transform = true}));
  EXPECT_OK(Check(ValidConnectorBuilderForTest({}), {}));
}

TEST(ModuleCheckTest, NamesTheMissingExportAndTheRoleThatNeedsIt) {
  EXPECT_EQ(CheckMessage(ValidConnectorBuilderForTest({.destination = true}), {.source = true}),
            "connector acme/source-x 0.2.0: missing export rb_discover (required for role "
            "source)");
  WasmBuilder no_read = ValidConnectorBuilderForTest({});
  no_read.ExportFunction("rb_discover", no_read.Type({V::kI32, V::kI32}, {V::kI64}));
  EXPECT_EQ(CheckMessage(no_read, {.source = true}),
            "connector acme/source-x 0.2.0: missing export rb_run_read (required for role "
            "source)");
  EXPECT_EQ(CheckMessage(ValidConnectorBuilderForTest({}), {.transform = true}),
            "connector acme/source-x 0.2.0: missing export rb_run_transform (required for role "
            "transform)");
}

TEST(ModuleCheckTest, RequiresTheCommonExports) {
  WasmBuilder b;
  b.Memory(0, 1);
  b.Export("memory", ExternKind::kMemory, 0);
  EXPECT_EQ(CheckMessage(b, {}),
            "connector acme/source-x 0.2.0: missing export rb_abi_version (required for every "
            "connector)");
}

TEST(ModuleCheckTest, ChecksExportSignaturesEvenWhenOptional) {
  WasmBuilder b = ValidConnectorBuilderForTest({.source = true});
  b.ExportFunction("rb_run_write", b.Type({V::kI32}, {V::kI64}));
  EXPECT_EQ(CheckMessage(b, {.source = true}),
            "connector acme/source-x 0.2.0: export rb_run_write has signature (i32)->i64, "
            "expected (i32,i32)->i64");

  WasmBuilder init = ValidConnectorBuilderForTest({});
  // A second module whose _initialize returns a value.
  WasmBuilder bad_init;
  const std::uint32_t t = bad_init.Type({}, {V::kI32});
  bad_init.Memory(0, 1);
  bad_init.Export("memory", ExternKind::kMemory, 0);
  bad_init.ExportFunction("_initialize", t);
  EXPECT_EQ(CheckMessage(bad_init, {}),
            "connector acme/source-x 0.2.0: export _initialize has signature ()->i32, expected "
            "()->()");
  EXPECT_OK(Check(init, {}));
}

TEST(ModuleCheckTest, AnExportMustBeAFunction) {
  WasmBuilder b;
  b.Memory(0, 1);
  b.Export("memory", ExternKind::kMemory, 0);
  b.Export("rb_abi_version", ExternKind::kMemory, 0);
  EXPECT_EQ(CheckMessage(b, {}),
            "connector acme/source-x 0.2.0: export rb_abi_version is a memory, expected a "
            "function");
}

TEST(ModuleCheckTest, ImportsOnlyFromTheTwoAllowedModules) {
  WasmBuilder b;
  b.ImportFunction("env", "foo", b.Type({}, {}));
  EXPECT_EQ(CheckMessage(b, {}),
            "connector acme/source-x 0.2.0: imports env.foo, only rapidbyte and "
            "wasi_snapshot_preview1 are allowed");
}

TEST(ModuleCheckTest, ImportSignaturesMustMatch) {
  WasmBuilder b;
  b.ImportFunction("rapidbyte", "rb_host_log", b.Type({V::kI32, V::kI32}, {V::kI32}));
  EXPECT_EQ(CheckMessage(b, {}),
            "connector acme/source-x 0.2.0: import rapidbyte.rb_host_log has signature "
            "(i32,i32)->i32, expected (i32,i32,i32)->i32");

  WasmBuilder wasi;
  // fd_seek's offset is an i64; an all-i32 import would truncate it.
  wasi.ImportFunction("wasi_snapshot_preview1", "fd_seek",
                      wasi.Type({V::kI32, V::kI32, V::kI32, V::kI32}, {V::kI32}));
  EXPECT_EQ(CheckMessage(wasi, {}),
            "connector acme/source-x 0.2.0: import wasi_snapshot_preview1.fd_seek has signature "
            "(i32,i32,i32,i32)->i32, expected (i32,i64,i32,i32)->i32");
}

TEST(ModuleCheckTest, UnknownImportNamesAreRejected) {
  WasmBuilder b;
  b.ImportFunction("rapidbyte", "rb_host_exec", b.Type({}, {V::kI32}));
  EXPECT_EQ(CheckMessage(b, {}),
            "connector acme/source-x 0.2.0: imports rapidbyte.rb_host_exec, which the host does "
            "not provide");
  WasmBuilder wasi;
  wasi.ImportFunction("wasi_snapshot_preview1", "sock_open", wasi.Type({}, {V::kI32}));
  EXPECT_EQ(CheckMessage(wasi, {}),
            "connector acme/source-x 0.2.0: imports wasi_snapshot_preview1.sock_open, which is "
            "not a WASI preview 1 function");
}

TEST(ModuleCheckTest, OnlyFunctionsMayBeImported) {
  WasmBuilder b;
  b.ImportGlobal("rapidbyte", "rb_host_log");
  EXPECT_EQ(CheckMessage(b, {}),
            "connector acme/source-x 0.2.0: imports rapidbyte.rb_host_log as a global, only "
            "functions may be imported");
  WasmBuilder memory;
  memory.ImportMemory("env", "memory", 0, 1);
  EXPECT_EQ(CheckMessage(memory, {}),
            "connector acme/source-x 0.2.0: imports env.memory, only rapidbyte and "
            "wasi_snapshot_preview1 are allowed");
}

TEST(ModuleCheckTest, ExactlyOne32BitPrivateMemoryExportedAsMemory) {
  WasmBuilder none;
  EXPECT_EQ(CheckMessage(none, {}),
            "connector acme/source-x 0.2.0: defines no linear memory (one 32-bit memory "
            "exported as 'memory' is needed)");
  WasmBuilder two;
  two.Memory(0, 1);
  two.Memory(0, 1);
  EXPECT_EQ(CheckMessage(two, {}),
            "connector acme/source-x 0.2.0: has 2 linear memories, exactly one is allowed");
  WasmBuilder wide;
  wide.Memory(0x04, 1);
  EXPECT_EQ(CheckMessage(wide, {}),
            "connector acme/source-x 0.2.0: uses a 64-bit memory (memory64), which is not "
            "supported");
  WasmBuilder shared;
  shared.Memory(0x03, 1);
  EXPECT_EQ(CheckMessage(shared, {}),
            "connector acme/source-x 0.2.0: uses a shared memory, which is not supported");
  WasmBuilder hidden;
  hidden.Memory(0, 1);
  hidden.Export("mem", ExternKind::kMemory, 0);
  EXPECT_EQ(CheckMessage(hidden, {}),
            "connector acme/source-x 0.2.0: does not export its memory as 'memory'");
  WasmBuilder not_memory;
  not_memory.Memory(0, 1);
  not_memory.ExportFunction("memory", not_memory.Type({}, {}));
  EXPECT_EQ(CheckMessage(not_memory, {}),
            "connector acme/source-x 0.2.0: export memory is a function, expected a memory");
}

TEST(ModuleCheckTest, MalformedBytesNameTheConnector) {
  const std::vector<std::uint8_t> junk = {'n', 'o', 't', ' ', 'w', 'a', 's', 'm'};
  Status status = CheckModuleBytes(junk, kWho, {});
  EXPECT_EQ(status.message(),
            "connector acme/source-x 0.2.0: not a valid WebAssembly module: bad magic number "
            "(at byte 0)");
}

TEST(ModuleCheckTest, HostileNamesArePrintedSafely) {
  WasmBuilder b;
  b.ImportFunction("e\nv", std::string(500, 'x'), b.Type({}, {}));
  const std::string message = CheckMessage(b, {});
  EXPECT_NE(message.find("e\\x0av."), std::string::npos) << message;
  EXPECT_LT(message.size(), 300u);
}

TEST(ModuleCheckTest, SignatureTablesCoverPreview1AndTheHostFunctions) {
  EXPECT_EQ(WasiPreview1Signature("clock_time_get"), "(i32,i64,i32)->i32");
  EXPECT_EQ(WasiPreview1Signature("fd_seek"), "(i32,i64,i32,i32)->i32");
  EXPECT_EQ(WasiPreview1Signature("path_open"), "(i32,i32,i32,i32,i32,i64,i64,i32,i32)->i32");
  EXPECT_EQ(WasiPreview1Signature("proc_exit"), "(i32)->()");
  EXPECT_EQ(WasiPreview1Signature("sched_yield"), "()->i32");
  EXPECT_EQ(WasiPreview1Signature("fd_filestat_set_times"), "(i32,i64,i64,i32)->i32");
  EXPECT_EQ(WasiPreview1Signature("random_get"), "(i32,i32)->i32");
  EXPECT_EQ(WasiPreview1Signature("nope"), "");
  EXPECT_EQ(RapidbyteImportSignature("rb_host_state_cas"), "(i32,i32,i32,i32,i32,i32,i32)->i32");
  EXPECT_EQ(RapidbyteImportSignature("rb_host_is_cancelled"), "()->i32");
  EXPECT_EQ(RapidbyteImportSignature("rb_host_net_close"), "(i32)->i32");
  EXPECT_EQ(RapidbyteImportSignature("rb_host_compress"), "(i32,i32,i32,i32,i32,i32,i32)->i32");
  EXPECT_EQ(RapidbyteImportSignature("rb_host_decompress"), "(i32,i32,i32,i32,i32,i32)->i32");
  EXPECT_EQ(RapidbyteImportSignature("rb_allocate"), "");
}

}  // namespace
}  // namespace rapidbyte::plugin::translate
