# Warning flags for the project's own code. Third-party code is never compiled here, and
# third-party headers are included as system headers, so -Werror applies to our code only.
function(rb_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual -Wnull-dereference
    -Wimplicit-fallthrough -Wformat=2)
  if(RB_WARNINGS STREQUAL "checkin")
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
