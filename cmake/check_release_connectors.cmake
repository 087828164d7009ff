# cmake -DSOURCE_DIR=<repo> -DWORK_DIR=<scratch dir> -DTEST_TREE=<a configured test tree>
#       -P check_release_connectors.cmake
#
# #22 item 7: a release build neither builds, nor lists, nor installs a test connector. A
# full release build takes too long for the suite, so this configures (never builds) the
# `release` and `bench` presets into WORK_DIR and reads what the generated trees would do:
#   - build.ninja: the connectors the build writes into connectors/, the bundled folder
#     `rapidbyte connectors list` reads;
#   - cmake_install.cmake files: what `cmake --install` copies;
#   - connectors/: a test connector left by an earlier configuration must be gone.
# TEST_TREE (the tree running this test, with the test connectors) shows the check sees
# test connectors where they are built, and that even there none is installed.
cmake_minimum_required(VERSION 3.25)

# Connector names "<name>" whose "connectors/<name>.wasm" the build of `tree` writes.
function(built_connectors tree out_var)
  file(READ ${tree}/build.ninja ninja)
  string(REGEX MATCHALL "connectors/[A-Za-z0-9_-]+\\.wasm" outputs "${ninja}")
  set(names)
  foreach(output IN LISTS outputs)
    string(REGEX REPLACE "connectors/(.*)\\.wasm" "\\1" name "${output}")
    list(APPEND names ${name})
  endforeach()
  list(REMOVE_DUPLICATES names)
  list(SORT names)
  set(${out_var} "${names}" PARENT_SCOPE)
endfunction()

# Every cmake_install.cmake of `tree`, concatenated.
function(install_rules tree out_var)
  file(GLOB_RECURSE scripts ${tree}/cmake_install.cmake)
  set(all "")
  foreach(script IN LISTS scripts)
    file(READ ${script} text)
    string(APPEND all "${text}")
  endforeach()
  set(${out_var} "${all}" PARENT_SCOPE)
endfunction()

function(configure preset dir)
  execute_process(COMMAND ${CMAKE_COMMAND} --preset ${preset} -B ${dir}
                  WORKING_DIRECTORY ${SOURCE_DIR} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "configuring preset ${preset} failed:\n${out}")
  endif()
endfunction()

set(failures "")
function(fail message)
  set(failures "${failures}\n  - ${message}" PARENT_SCOPE)
endfunction()

# Fails when the install rules `rules` (text) name a test connector's file.
function(expect_no_test_install tree_name rules)
  string(REGEX MATCHALL "connectors/test-[A-Za-z0-9_-]+" found "${rules}")
  if(found)
    list(REMOVE_DUPLICATES found)
    fail("${tree_name} installs test connectors: ${found}")
    set(failures "${failures}" PARENT_SCOPE)
  endif()
endfunction()

# The release tree, over a stale test connector as an earlier configuration would leave it.
set(release ${WORK_DIR}/release)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${release}/connectors)
file(WRITE ${release}/connectors/test-gen.wasm "stale")
file(WRITE ${release}/connectors/test-gen.manifest.json "{}")
configure(release ${release})
built_connectors(${release} built)
if(NOT built STREQUAL "dest-files;dest-postgres;source-postgres")
  fail("release builds exactly dest-files, dest-postgres and source-postgres, got: ${built}")
endif()
file(GLOB listed RELATIVE ${release}/connectors ${release}/connectors/test-*)
if(listed)
  fail("release connectors/ still holds test connectors of an earlier configuration: ${listed}")
endif()
install_rules(${release} installed)
string(REGEX MATCHALL "lib/rapidbyte/connectors\"[^)]*" install_calls "${installed}")
string(REGEX MATCHALL "connectors/[A-Za-z0-9_-]+\\.(wasm|so|manifest\\.json)" shipped
       "${install_calls}")
list(REMOVE_DUPLICATES shipped)
list(SORT shipped)
set(want connectors/dest-files.manifest.json connectors/dest-files.so
         connectors/dest-files.wasm connectors/dest-postgres.manifest.json
         connectors/dest-postgres.so connectors/dest-postgres.wasm
         connectors/source-postgres.manifest.json connectors/source-postgres.so
         connectors/source-postgres.wasm)
if(NOT shipped STREQUAL want)
  fail("release installs into lib/rapidbyte/connectors exactly the files of the production \
connectors (dest-files, dest-postgres, source-postgres), got: ${shipped}")
endif()
expect_no_test_install(release "${installed}")

# The bench tree: the release build with the test connectors bench/ drives.
configure(bench ${WORK_DIR}/bench)
built_connectors(${WORK_DIR}/bench bench_built)
foreach(name test-gen test-sink test-bench source-postgres dest-postgres dest-files)
  if(NOT name IN_LIST bench_built)
    fail("bench builds ${name}, got: ${bench_built}")
  endif()
endforeach()
install_rules(${WORK_DIR}/bench bench_installed)
expect_no_test_install(bench "${bench_installed}")

# The test tree running this test: the check sees its test connectors; none is installed.
built_connectors(${TEST_TREE} test_built)
foreach(name test-gen test-hostile)
  if(NOT name IN_LIST test_built)
    fail("the test tree ${TEST_TREE} builds ${name}, got: ${test_built}")
  endif()
endforeach()
install_rules(${TEST_TREE} test_installed)
expect_no_test_install("the test tree" "${test_installed}")

if(failures)
  message(FATAL_ERROR "release connectors check failed:${failures}")
endif()
file(REMOVE_RECURSE ${WORK_DIR})
message(STATUS "release builds and installs only: ${built}; bench adds the test connectors")
