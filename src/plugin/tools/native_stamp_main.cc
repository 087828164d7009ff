// rb_native_stamp <connector.so> <connector.wasm> <name>
// Build-time tool (a POST_BUILD step of rb_add_wasm_connector): appends the native-code
// footer to a first-party connector's shared object, with the same host ABI key the host
// computes at run time, so bundled connectors load without being translated again.
#include <cstdio>

#include "plugin/translate/files.h"
#include "plugin/translate/native_footer.h"
#include "plugin/translate/sha256.h"
#include "plugin/translate/wasm_module_info.h"

namespace translate = rapidbyte::plugin::translate;

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: rb_native_stamp <connector.so> <connector.wasm> <name>\n");
    return 2;
  }
  auto wasm = translate::ReadFileBytes(argv[2], translate::kMaxWasmModuleBytes);
  if (!wasm.ok()) {
    std::fprintf(stderr, "rb_native_stamp: %s\n", wasm.status().message().c_str());
    return 1;
  }
  auto sha256 = translate::Sha256Hex(*wasm);
  if (!sha256.ok()) {
    std::fprintf(stderr, "rb_native_stamp: %s\n", sha256.status().message().c_str());
    return 1;
  }
  rapidbyte::Status stamped =
      translate::StampNativeCode(argv[1], *sha256, argv[3], translate::HostCompilerIdentity());
  if (!stamped.ok()) {
    std::fprintf(stderr, "rb_native_stamp: %s: %s\n", argv[1], stamped.message().c_str());
    return 1;
  }
  return 0;
}
