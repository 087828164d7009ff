# cmake -DAR=<llvm-ar> -DOUT=<archive> -DLIBS=<a;b;...> -P rb_merge_archives.cmake
# Merge static archives into one with an llvm-ar MRI script (no extraction, so members with
# the same name in different archives would both survive).
set(script ${OUT}.mri)
file(WRITE ${script} "CREATE ${OUT}\n")
foreach(lib IN LISTS LIBS)
  file(APPEND ${script} "ADDLIB ${lib}\n")
endforeach()
file(APPEND ${script} "SAVE\nEND\n")
file(REMOVE ${OUT})
get_filename_component(dir ${OUT} DIRECTORY)
file(MAKE_DIRECTORY ${dir})
execute_process(COMMAND ${AR} -M INPUT_FILE ${script} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "merging ${LIBS} into ${OUT} failed (${rc})")
endif()
