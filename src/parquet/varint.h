// Unsigned LEB128 varints, shared by the Thrift encoder and the RLE run headers. Portable.
#pragma once

#include <cstdint>
#include <string>

namespace rapidbyte::parquet {

inline void AppendVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

}  // namespace rapidbyte::parquet
