# Extract the first ```c block of README.md, compile it against the shared
# library with -std=c99 -pedantic -Wall -Wextra -Werror, and run it.
file(READ "${README}" text)
string(FIND "${text}" "```c\n" start)
if(start EQUAL -1)
  message(FATAL_ERROR "README.md has no ```c block")
endif()
math(EXPR start "${start} + 5")
string(SUBSTRING "${text}" ${start} -1 rest)
string(FIND "${rest}" "```" stop)
string(SUBSTRING "${rest}" 0 ${stop} code)
file(WRITE "${OUT_DIR}/readme_example.c" "${code}")
file(REMOVE "${OUT_DIR}/campaign.db" "${OUT_DIR}/campaign.db-wal" "${OUT_DIR}/campaign.db-shm")
get_filename_component(libdir "${LIB}" DIRECTORY)
set(flags -std=c99 -pedantic -Wall -Wextra -Werror)
if(SANITIZE)
  list(APPEND flags -fsanitize=address,undefined)
endif()
execute_process(
  COMMAND ${CC} ${flags} -I${INCLUDE_DIR} readme_example.c -o readme_example
          ${LIB} -Wl,-rpath,${libdir}
  WORKING_DIRECTORY "${OUT_DIR}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the README example does not compile")
endif()
execute_process(COMMAND ./readme_example WORKING_DIRECTORY "${OUT_DIR}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out)
message("${out}")
if(NOT rc EQUAL 0 OR NOT out MATCHES "added 3 units, 1 employees, 0 rows rejected")
  message(FATAL_ERROR "the README example failed (${rc})")
endif()
