# Sanitizers for the project's own targets (RB_SANITIZE=address,undefined or thread).
# Applied per target by rb_target_defaults(), so generated connector code (wasm2c output
# loaded as native code) is never instrumented.
set(RB_SANITIZE_FLAGS "")
if(RB_SANITIZE)
  string(REPLACE "," ";" _rb_sans "${RB_SANITIZE}")
  foreach(_san IN LISTS _rb_sans)
    if(NOT _san MATCHES "^(address|undefined|thread|leak)$")
      message(FATAL_ERROR "RB_SANITIZE: unknown sanitizer '${_san}' (allowed: address, undefined, thread, leak)")
    endif()
  endforeach()
  set(RB_SANITIZE_FLAGS -fsanitize=${RB_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
endif()
