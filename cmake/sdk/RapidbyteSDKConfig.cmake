# RapidbyteSDK: build rapidbyte connectors (wasm32-wasi modules) against an installed SDK.
#
#   find_package(RapidbyteSDK REQUIRED)
#   rapidbyte_add_connector(source-csv SOURCES src/csv_source.cc MANIFEST source-csv.manifest.json)
#
# rapidbyte_add_connector compiles the sources with clang++-19 for wasm32-wasi (the flags the
# bundled connectors use), links <name>.wasm as a WASI reactor with the SDK library, checks
# the module and the manifest (RapidbyteCheckConnector.cmake) and writes <name>.wasm and
# <name>.manifest.json side by side in the current binary dir: the pair that
# `rapidbyte connectors install <name>.wasm` takes. Target <name> is part of `all`.
#
# Everything is found relative to this file, so the package works from any prefix.
# Cache variables: RapidbyteSDK_CXX (clang++-19), RapidbyteSDK_SYSROOT (wasi-libc, default
# /usr as on Debian), RapidbyteSDK_OBJDUMP (wasm-objdump; llvm-nm-19 when absent).
cmake_minimum_required(VERSION 3.20)

get_filename_component(_rb_sdk_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
set(RapidbyteSDK_INCLUDE_DIR "${_rb_sdk_prefix}/include")
set(RapidbyteSDK_LIBRARY "${_rb_sdk_prefix}/lib/rapidbyte-sdk/wasm32/librapidbyte_sdk.a")
set(RapidbyteSDK_CHECK_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/RapidbyteCheckConnector.cmake")

find_program(RapidbyteSDK_CXX NAMES clang++-19 PATHS /usr/lib/llvm-19/bin)
find_program(RapidbyteSDK_OBJDUMP NAMES wasm-objdump)
find_program(RapidbyteSDK_NM NAMES llvm-nm-19 llvm-nm PATHS /usr/lib/llvm-19/bin)
set(RapidbyteSDK_SYSROOT "/usr" CACHE PATH "wasi-libc sysroot for --target=wasm32-wasi")

set(RapidbyteSDK_FOUND TRUE)
foreach(_rb_need RapidbyteSDK_CXX RapidbyteSDK_NM)
  if(NOT ${_rb_need})
    set(RapidbyteSDK_FOUND FALSE)
    set(RapidbyteSDK_NOT_FOUND_MESSAGE
        "${_rb_need} not found: install the wasm32-wasi toolchain (Debian: clang-19 lld-19 "
        "llvm-19 wasi-libc libc++-19-dev-wasm32 libc++abi-19-dev-wasm32 "
        "libclang-rt-19-dev-wasm32)")
  endif()
endforeach()
foreach(_rb_file "${RapidbyteSDK_INCLUDE_DIR}/sdk/exports.h" "${RapidbyteSDK_LIBRARY}")
  if(NOT EXISTS "${_rb_file}")
    set(RapidbyteSDK_FOUND FALSE)
    set(RapidbyteSDK_NOT_FOUND_MESSAGE "incomplete SDK install: ${_rb_file} is missing")
  endif()
endforeach()

# The compile flags of the bundled connectors (RB_WASM_CXX_FLAGS in rapidbyte's
# cmake/RbWasm.cmake): C++20 without exceptions, bulk-memory (memcpy becomes one
# instruction that the native translation turns into host memcpy), warnings are errors.
# The SDK is -isystem: its headers are checked when the SDK is built, not in your build.
set(RapidbyteSDK_CXX_FLAGS
  --target=wasm32-wasi --sysroot=${RapidbyteSDK_SYSROOT} -std=c++20 -O2 -fno-exceptions
  -mbulk-memory
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wimplicit-fallthrough -Werror
  -isystem ${RapidbyteSDK_INCLUDE_DIR})

# rapidbyte_add_connector(<name> SOURCES <files...> MANIFEST <manifest.json>
#                         [INCLUDE_DIRS <dirs...>] [CXX_FLAGS <flags...>])
function(rapidbyte_add_connector name)
  cmake_parse_arguments(ARG "" "MANIFEST" "SOURCES;INCLUDE_DIRS;CXX_FLAGS" ${ARGN})
  if(NOT ARG_SOURCES OR NOT ARG_MANIFEST)
    message(FATAL_ERROR "rapidbyte_add_connector(${name}): SOURCES and MANIFEST are required")
  endif()
  if(NOT name MATCHES "^[a-z0-9][a-z0-9_-]*$")
    message(FATAL_ERROR "rapidbyte_add_connector(${name}): a connector name is [a-z0-9][a-z0-9_-]*")
  endif()
  get_filename_component(manifest "${ARG_MANIFEST}" ABSOLUTE)
  set(includes)
  foreach(dir ${CMAKE_CURRENT_SOURCE_DIR} ${ARG_INCLUDE_DIRS})
    get_filename_component(dir "${dir}" ABSOLUTE)
    list(APPEND includes -I${dir})
  endforeach()

  set(obj_dir ${CMAKE_CURRENT_BINARY_DIR}/${name}.objs)
  set(objects)
  foreach(src IN LISTS ARG_SOURCES)
    get_filename_component(abs "${src}" ABSOLUTE)
    file(RELATIVE_PATH rel ${CMAKE_CURRENT_SOURCE_DIR} ${abs})
    string(REPLACE "../" "__/" rel "${rel}")
    set(obj ${obj_dir}/${rel}.o)
    get_filename_component(dir ${obj} DIRECTORY)
    add_custom_command(
      OUTPUT ${obj}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
      COMMAND ${RapidbyteSDK_CXX} ${RapidbyteSDK_CXX_FLAGS} ${ARG_CXX_FLAGS} ${includes}
              -MD -MF ${obj}.d -c ${abs} -o ${obj}
      DEPENDS ${abs}
      DEPFILE ${obj}.d
      COMMENT "wasm32 ${rel}"
      VERBATIM)
    list(APPEND objects ${obj})
  endforeach()

  # A reactor (no main; the host calls _initialize, then the exports). The check runs in
  # the same command, and a module that fails it is deleted so the next build retries.
  set(wasm ${CMAKE_CURRENT_BINARY_DIR}/${name}.wasm)
  set(out_manifest ${CMAKE_CURRENT_BINARY_DIR}/${name}.manifest.json)
  add_custom_command(
    OUTPUT ${wasm} ${out_manifest}
    COMMAND ${RapidbyteSDK_CXX} --target=wasm32-wasi --sysroot=${RapidbyteSDK_SYSROOT}
            -mexec-model=reactor -O2 -fno-exceptions ${objects} ${RapidbyteSDK_LIBRARY}
            -o ${wasm} -Wl,--strip-debug
    COMMAND ${CMAKE_COMMAND} -DNAME=${name} -DWASM=${wasm} -DMANIFEST=${manifest}
            -DOUT_MANIFEST=${out_manifest} -DOBJDUMP=${RapidbyteSDK_OBJDUMP}
            -DNM=${RapidbyteSDK_NM} -P ${RapidbyteSDK_CHECK_SCRIPT}
    DEPENDS ${objects} ${RapidbyteSDK_LIBRARY} ${manifest} ${RapidbyteSDK_CHECK_SCRIPT}
    COMMENT "wasm32 link and check ${name}.wasm"
    VERBATIM)
  add_custom_target(${name} ALL DEPENDS ${wasm} ${out_manifest})
  set_target_properties(${name} PROPERTIES RAPIDBYTE_WASM ${wasm}
    RAPIDBYTE_MANIFEST ${out_manifest})
endfunction()
