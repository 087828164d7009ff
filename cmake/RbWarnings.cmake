# Settings for every target built from the project's own code: warnings (errors under
# RB_WARNINGS=checkin) and the sanitizers chosen by the preset. Third-party headers are
# system headers, so -Werror applies to our code only.
function(rb_target_defaults target)
  # Not -Wnull-dereference: GCC 12 derives "potential" null dereferences from inlining at -O3
  # (e.g. after a dynamic_cast the caller has already checked), so it fails release builds
  # on correct code; ASan/UBSan in the dev preset catch real null dereferences.
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough -Wformat=2)
  if(RB_WARNINGS STREQUAL "checkin")
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    # GCC 12 reports impossible overlaps in libstdc++'s std::string concatenation at -O3
    # (GCC bug 105329); the warning has no true positives in our code base to lose.
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(RB_SANITIZE_FLAGS)
    target_compile_options(${target} PRIVATE ${RB_SANITIZE_FLAGS})
    target_link_options(${target} PRIVATE ${RB_SANITIZE_FLAGS})
  endif()
endfunction()

