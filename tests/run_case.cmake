cmake_minimum_required(VERSION 3.18)
# Runs one data-driven case: cmake -DECRLINT=<binary> -DCASE=<dir> -DROOT=<repo> -P run_case.cmake
#
# A case directory holds (see testdata/README.md):
#   args          the arguments, one per line (run from the case directory; blank lines ignored)
#   stdin         optional: fed to standard input
#   exit          optional: the expected exit status (default 0)
#   expected.json / expected.txt   optional: standard output, compared exactly (the JSON report's
#                 "tool" object, which names versions, is left out of the comparison)
#   stderr        optional: lines that must each appear in standard error
#   rules-url     optional: the rule reference's URL that findings link to (ECRLINT_RULES_URL);
#                 without it, no links
# With ECRLINT_UPDATE_GOLDEN=1 in the environment, expected.* files are rewritten from the
# actual output (review the diff before committing).
file(STRINGS ${CASE}/args raw_args)
set(args "")
foreach(a IN LISTS raw_args)
  if(NOT a STREQUAL "")
    string(REPLACE "%ROOT%" "${ROOT}" a "${a}")
    list(APPEND args "${a}")
  endif()
endforeach()
set(input_opt "")
if(EXISTS ${CASE}/stdin)
  set(input_opt INPUT_FILE ${CASE}/stdin)
else()
  set(input_opt INPUT_FILE /dev/null)
endif()
# Findings link to the rule reference only where the case gives its URL (rules-url), so that
# the expected output does not depend on where the build and the reference are.
set(rules_url "")
if(EXISTS ${CASE}/rules-url)
  file(STRINGS ${CASE}/rules-url rules_url LIMIT_COUNT 1)
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E env "ECRLINT_RULES_URL=${rules_url}" ${ECRLINT} ${args}
                WORKING_DIRECTORY ${CASE}
                ${input_opt}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
set(want_rc 0)
if(EXISTS ${CASE}/exit)
  file(STRINGS ${CASE}/exit want_rc LIMIT_COUNT 1)
endif()
set(failed "")
if(NOT rc STREQUAL want_rc)
  string(APPEND failed "exit status ${rc}, expected ${want_rc}\n")
endif()

function(normalize in outvar)
  string(REGEX REPLACE "\"tool\":{[^}]*}" "\"tool\":{}" in "${in}")
  set(${outvar} "${in}" PARENT_SCOPE)
endfunction()

foreach(kind json txt)
  set(golden ${CASE}/expected.${kind})
  if(EXISTS ${golden})
    if("$ENV{ECRLINT_UPDATE_GOLDEN}" STREQUAL "1")
      file(WRITE ${golden} "${out}")
    endif()
    file(READ ${golden} want)
    normalize("${want}" want_n)
    normalize("${out}" out_n)
    if(NOT want_n STREQUAL out_n)
      string(APPEND failed "standard output differs from expected.${kind}:\n--- expected\n${want}\n--- actual\n${out}\n")
    endif()
  endif()
endforeach()
if(EXISTS ${CASE}/stderr)
  file(STRINGS ${CASE}/stderr needles)
  foreach(n IN LISTS needles)
    string(FIND "${err}" "${n}" at)
    if(at EQUAL -1)
      string(APPEND failed "standard error lacks: ${n}\n")
    endif()
  endforeach()
endif()
if(failed)
  message(FATAL_ERROR "case ${CASE} failed:\n${failed}\nstandard error:\n${err}")
endif()
