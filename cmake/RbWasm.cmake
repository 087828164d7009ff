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
    # memcpy/memset become memory.copy/fill, which wasm2c turns into host memcpy/memset
    # (wasi-libc's byte loops are several times slower on the bulk copies of the codecs).
    -mbulk-memory
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wimplicit-fallthrough -Werror
    -I${PROJECT_SOURCE_DIR}/src -I${PROJECT_SOURCE_DIR})
  set(RB_WASM_OUTPUT_DIR ${PROJECT_BINARY_DIR}/wasm)
  # Header-only host libraries the guest may use, exposed one by one (never all of
  # /usr/include, whose glibc headers must not shadow wasi-libc's).
  file(MAKE_DIRECTORY ${RB_WASM_OUTPUT_DIR}/include)
  file(CREATE_LINK /usr/include/nlohmann ${RB_WASM_OUTPUT_DIR}/include/nlohmann SYMBOLIC)
  list(APPEND RB_WASM_CXX_FLAGS -isystem ${RB_WASM_OUTPUT_DIR}/include)
endif()

function(rb_add_wasm_library name)
  if(NOT RB_BUILD_WASM)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES" ${ARGN})
  _rb_wasm_objects(objects ${ARG_SOURCES})
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

# Compile `sources` for wasm32 into objects under build/wasm/obj; the list goes to out_var.
function(_rb_wasm_objects out_var)
  set(objects)
  foreach(src IN LISTS ARGN)
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
  set(${out_var} ${objects} PARENT_SCOPE)
endfunction()

# rb_add_wasm_connector(<name> [TEST_ONLY] SOURCES <files...>
#                       [WASM_LIBS <rb_add_wasm_library targets...>] [MANIFEST <file>])
#   Builds a connector the way every connector ships: clang-19 -> <name>.wasm (reactor),
#   wasm2c -> C, tuned as the translator does (rb_wasm2c_tune), per-module glue
#   (rb_wasm_glue), host C compiler -> <name>.so, all under
#   build/connectors/ (the bundled-connector folder of a development build). Target
#   <name>_native is the shared object; the .wasm and manifest sit beside it.
#   A production connector is installed into the bundled folder of an installation,
#   lib/rapidbyte/connectors (component runtime); a TEST_ONLY one is built only with
#   RB_BUILD_TEST_CONNECTORS and never installed.
function(rb_add_wasm_connector name)
  cmake_parse_arguments(ARG "TEST_ONLY" "MANIFEST" "SOURCES;WASM_LIBS" ${ARGN})
  if(NOT RB_BUILD_WASM OR (ARG_TEST_ONLY AND NOT RB_BUILD_TEST_CONNECTORS))
    return()
  endif()
  find_program(RB_WASM2C wasm2c REQUIRED)
  _rb_wasm_objects(objects ${ARG_SOURCES})
  set(archives)
  set(archive_targets)
  foreach(lib IN LISTS ARG_WASM_LIBS)
    list(APPEND archives ${RB_WASM_OUTPUT_DIR}/lib${lib}.a)
    list(APPEND archive_targets ${lib})
  endforeach()
  set(out_dir ${PROJECT_BINARY_DIR}/connectors)
  set(gen_dir ${PROJECT_BINARY_DIR}/connectors/gen/${name})
  set(wasm ${out_dir}/${name}.wasm)
  add_custom_command(
    OUTPUT ${wasm}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${out_dir}
    COMMAND ${RB_WASM_CXX} --target=wasm32-wasi --sysroot=/usr -mexec-model=reactor -O2
            -fno-exceptions ${objects} ${archives} -o ${wasm} -Wl,--strip-debug
    DEPENDS ${objects} ${archive_targets} ${archives}
    COMMENT "wasm32 link ${name}.wasm"
    VERBATIM)
  set(c_file ${gen_dir}/${name}.wasm2c.c)
  set(h_file ${gen_dir}/${name}.wasm2c.h)
  set(glue ${gen_dir}/${name}.glue.c)
  # The tool that tunes wasm2c's output as the translator does (TuneGeneratedCode in
  # src/plugin/translate/glue.h), defined with the first connector.
  if(NOT TARGET rb_wasm2c_tune)
    add_executable(rb_wasm2c_tune ${PROJECT_SOURCE_DIR}/src/plugin/translate/wasm2c_tune_main.cc)
    rb_target_defaults(rb_wasm2c_tune)
    target_link_libraries(rb_wasm2c_tune PRIVATE rb_plugin_translate)
  endif()
  add_custom_command(
    OUTPUT ${c_file} ${h_file} ${glue}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${gen_dir}
    COMMAND ${RB_WASM2C} ${wasm} -n connector -o ${c_file}
    COMMAND rb_wasm2c_tune ${c_file} ${h_file} ${c_file}
    COMMAND rb_wasm_glue ${h_file} ${name}.wasm2c.h ${glue}
    DEPENDS ${wasm} rb_wasm_glue rb_wasm2c_tune
    COMMENT "wasm2c ${name}"
    VERBATIM)
  add_library(${name}_native MODULE ${c_file} ${glue})
  target_include_directories(${name}_native PRIVATE ${gen_dir} ${PROJECT_SOURCE_DIR}/src)
  # Generated code: optimise (the flags of kNativeCFlags, src/plugin/translate/native_footer.h),
  # never instrument, no warnings policy.
  target_compile_options(${name}_native PRIVATE -O2 -funroll-loops -w)
  set_target_properties(${name}_native PROPERTIES PREFIX "" OUTPUT_NAME ${name}
    LIBRARY_OUTPUT_DIRECTORY ${out_dir} C_VISIBILITY_PRESET hidden)
  # The native-code footer (docs/formats/native-code.md), checked by the host before dlopen.
  add_custom_command(TARGET ${name}_native POST_BUILD
    COMMAND rb_native_stamp $<TARGET_FILE:${name}_native> ${wasm} ${name}
    COMMENT "native-code footer ${name}.so"
    VERBATIM)
  add_dependencies(${name}_native rb_native_stamp)
  if(ARG_MANIFEST)
    configure_file(${ARG_MANIFEST} ${out_dir}/${name}.manifest.json COPYONLY)
  endif()
  if(NOT ARG_TEST_ONLY)
    set(shipped ${wasm} $<TARGET_FILE:${name}_native>)
    if(ARG_MANIFEST)
      list(APPEND shipped ${out_dir}/${name}.manifest.json)
    endif()
    install(FILES ${shipped} DESTINATION lib/rapidbyte/connectors COMPONENT runtime)
  endif()
endfunction()

# A tree configured without RB_BUILD_TEST_CONNECTORS must not list test connectors built
# by an earlier configuration with them (the build tree's connectors/ is the bundled
# folder `rapidbyte connectors list` reads): remove their files. Every test connector's
# name starts with "test-".
function(rb_remove_test_connector_outputs)
  file(GLOB stale LIST_DIRECTORIES false ${PROJECT_BINARY_DIR}/connectors/test-*)
  if(stale)
    message(STATUS "RB_BUILD_TEST_CONNECTORS is OFF: removing test connectors of an earlier "
                   "configuration from ${PROJECT_BINARY_DIR}/connectors")
    file(REMOVE ${stale})
  endif()
endfunction()
