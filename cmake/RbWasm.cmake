# Building portable code for the guest (wasm32-wasi) inside the one host CMake project.
# The host compiler builds the host; Debian's clang-19 builds guest objects through custom
# commands, so one configure builds both (ARCHITECTURE.md, "Toolchain facts").
#
#   rb_add_wasm_library(<name> SOURCES <files...>)
#     compiles the files for wasm32-wasi (C++20, no exceptions, no threads, warnings are
#     errors) into build/wasm/lib<name>.a; target <name> is part of `all`. The archive path
#     is in the target property RB_WASM_ARCHIVE.
option(RB_BUILD_WASM "Build portable libraries and connectors for wasm32-wasi (clang-19)" ON)

if(RB_BUILD_WASM)
  find_program(RB_WASM_CXX NAMES clang++-19 PATHS /usr/lib/llvm-19/bin)
  find_program(RB_WASM_AR NAMES llvm-ar-19 llvm-ar PATHS /usr/lib/llvm-19/bin NO_DEFAULT_PATH)
  if(NOT RB_WASM_CXX OR NOT RB_WASM_AR)
    message(FATAL_ERROR "clang++-19 / llvm-ar for wasm32-wasi not found: run scripts/setup.sh "
                        "(or configure with -DRB_BUILD_WASM=OFF)")
  endif()
  set(RB_WASM_CXX_FLAGS
    --target=wasm32-wasi --sysroot=/usr -std=c++20 -O2 -fno-exceptions
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wimplicit-fallthrough -Werror
    -I${PROJECT_SOURCE_DIR}/src -I${PROJECT_SOURCE_DIR})
  set(RB_WASM_OUTPUT_DIR ${PROJECT_BINARY_DIR}/wasm)
endif()

function(rb_add_wasm_library name)
  if(NOT RB_BUILD_WASM)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES" ${ARGN})
  set(objects)
  foreach(src IN LISTS ARG_SOURCES)
    get_filename_component(abs ${src} ABSOLUTE)
    file(RELATIVE_PATH rel ${PROJECT_SOURCE_DIR} ${abs})
    set(obj ${RB_WASM_OUTPUT_DIR}/obj/${rel}.o)
    get_filename_component(obj_dir ${obj} DIRECTORY)
    add_custom_command(
      OUTPUT ${obj}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${obj_dir}
      COMMAND ${RB_WASM_CXX} ${RB_WASM_CXX_FLAGS} -MD -MF ${obj}.d -c ${abs} -o ${obj}
      DEPENDS ${abs}
      DEPFILE ${obj}.d
      COMMENT "wasm32 ${rel}"
      VERBATIM)
    list(APPEND objects ${obj})
  endforeach()
  set(archive ${RB_WASM_OUTPUT_DIR}/lib${name}.a)
  add_custom_command(
    OUTPUT ${archive}
    COMMAND ${CMAKE_COMMAND} -E rm -f ${archive}
    COMMAND ${RB_WASM_AR} rcs ${archive} ${objects}
    DEPENDS ${objects}
    COMMENT "wasm32 archive lib${name}.a"
    VERBATIM)
  add_custom_target(${name} ALL DEPENDS ${archive})
  set_target_properties(${name} PROPERTIES RB_WASM_ARCHIVE ${archive})
endfunction()
