// rb_wasm2c_tune <wasm2c .c> <wasm2c .h> <output .c>
// Build-time tool (cmake/RbWasm.cmake): tunes the C wasm2c generated for a first-party
// connector exactly as the translator does for one translated at run time
// (TuneGeneratedCode in glue.h). The output may be the input file.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "plugin/translate/glue.h"

namespace {

bool ReadAll(const char* path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream buffer;
  buffer << in.rdbuf();
  *text = buffer.str();
  return static_cast<bool>(in);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: rb_wasm2c_tune <module.c> <module.h> <out.c>\n");
    return 2;
  }
  std::string module_c;
  std::string header;
  if (!ReadAll(argv[1], &module_c) || !ReadAll(argv[2], &header)) {
    std::fprintf(stderr, "rb_wasm2c_tune: cannot read %s or %s\n", argv[1], argv[2]);
    return 1;
  }
  auto tuned = rapidbyte::plugin::translate::TuneGeneratedCode(module_c, header);
  if (!tuned.ok()) {
    std::fprintf(stderr, "rb_wasm2c_tune: %s: %s\n", argv[1], tuned.status().message().c_str());
    return 1;
  }
  std::ofstream out(argv[3], std::ios::binary | std::ios::trunc);
  out << *tuned;
  return out ? 0 : 1;
}
