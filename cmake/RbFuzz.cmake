# libFuzzer targets (preset `fuzz`: clang-19 with -fsanitize=fuzzer,address,undefined).
#
#   rb_add_fuzzer(<name> SOURCES <files...> LIBS <targets...> CORPUS <seed dirs...>)
#     builds <name> only when RB_FUZZ is ON, adds it to the `fuzzers` target, and registers a
#     CTest test (label fuzz) that runs it for RB_FUZZ_SECONDS over a scratch copy of the seeds.
#     A crash, leak, UB report or a run over the time limit fails the test.
option(RB_FUZZ "Build libFuzzer targets (use the fuzz preset)" OFF)
set(RB_FUZZ_SECONDS 20 CACHE STRING "Seconds each fuzzer runs under ctest")

if(RB_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "RB_FUZZ needs clang (use the fuzz preset)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
  add_custom_target(fuzzers)
endif()

function(rb_add_fuzzer name)
  if(NOT RB_FUZZ)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;CORPUS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  rb_target_defaults(${name})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS})
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  add_dependencies(fuzzers ${name})
  set(work ${CMAKE_CURRENT_BINARY_DIR}/${name}_corpus)
  add_test(NAME ${name}
    COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=1
      bash ${PROJECT_SOURCE_DIR}/cmake/run_fuzzer.sh $<TARGET_FILE:${name}> ${work}
      ${RB_FUZZ_SECONDS} ${ARG_CORPUS})
  set_tests_properties(${name} PROPERTIES LABELS fuzz TIMEOUT 600)
endfunction()
