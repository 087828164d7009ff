// rb_wasm_glue <wasm2c header> <header include name> <output .c>
// Build-time tool: writes the glue C source for a translated first-party connector.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "plugin/translate/glue.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: rb_wasm_glue <header.h> <include-name> <out.c>\n");
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::fprintf(stderr, "rb_wasm_glue: cannot read %s\n", argv[1]);
    return 1;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto glue = rapidbyte::plugin::translate::GenerateGlue(text.str(), argv[2]);
  if (!glue.ok()) {
    std::fprintf(stderr, "rb_wasm_glue: %s: %s\n", argv[1], glue.status().message().c_str());
    return 1;
  }
  std::ofstream out(argv[3], std::ios::trunc);
  out << *glue;
  return out ? 0 : 1;
}
