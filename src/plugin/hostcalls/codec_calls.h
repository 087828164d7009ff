// The compression host functions (codec_calls.cc) as the C symbols translated connectors
// import, declared for the native code that calls them directly: the unit test and the fuzz
// target. Arguments and results as the ABI carries them (abi/rapidbyte_abi.h).
#pragma once

#include <cstdint>

#include "plugin/host_context.h"

extern "C" {
std::uint32_t Z_rapidbyteZ_rb_host_compress(Z_rapidbyte_instance_t* instance, std::uint32_t codec,
                                            std::uint32_t level, std::uint32_t in_ptr,
                                            std::uint32_t in_len, std::uint32_t out_ptr,
                                            std::uint32_t out_cap, std::uint32_t len_ptr) noexcept;
std::uint32_t Z_rapidbyteZ_rb_host_decompress(Z_rapidbyte_instance_t* instance, std::uint32_t codec,
                                              std::uint32_t in_ptr, std::uint32_t in_len,
                                              std::uint32_t out_ptr, std::uint32_t out_cap,
                                              std::uint32_t len_ptr) noexcept;
}
