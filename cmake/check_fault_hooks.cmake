# cmake -DBINARY=<file> -DEXPECT=absent|present -P check_fault_hooks.cmake
# Whether the test fault hooks are compiled into a binary: their environment variable's name
# is in it exactly when they are (src/plugin/fault_hooks.cc). Builds without the hooks
# (release) must not contain it; builds with them must, which shows the check can fail.
string(CONCAT needle "RAPIDBYTE_FAULTS" "_FOR_TEST")  # split: this file is no binary
file(STRINGS "${BINARY}" hits REGEX "${needle}" LIMIT_COUNT 1)
if(EXPECT STREQUAL "absent" AND hits)
  message(FATAL_ERROR "${BINARY} contains the test fault hooks (${needle}); "
                      "release builds are configured with RB_FAULT_HOOKS=OFF")
elseif(EXPECT STREQUAL "present" AND NOT hits)
  message(FATAL_ERROR "${BINARY} lacks ${needle} although RB_FAULT_HOOKS is ON")
endif()
message(STATUS "${BINARY}: fault hooks ${EXPECT}")
