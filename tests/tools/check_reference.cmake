# check_reference.cmake - fails when rules/REFERENCE.md is not what the rule packs generate.
#   cmake -DECRLINT=<binary> -DROOT=<repo> -P check_reference.cmake
execute_process(COMMAND ${ECRLINT} rules --no-config --format markdown
                WORKING_DIRECTORY ${ROOT}
                OUTPUT_VARIABLE generated ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "ecrlint rules --format markdown failed (${rc}):\n${err}")
endif()
set(committed "")
if(EXISTS ${ROOT}/rules/REFERENCE.md)
  file(READ ${ROOT}/rules/REFERENCE.md committed)
endif()
if(NOT generated STREQUAL committed)
  message(FATAL_ERROR
    "rules/REFERENCE.md is stale: it differs from what the rule packs generate.\n"
    "Regenerate it from the repository root with:\n"
    "  cmake --build build && build/src/ecrlint rules --no-config --format markdown > rules/REFERENCE.md\n"
    "(use your build directory) and commit the result.")
endif()
