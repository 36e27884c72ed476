# check_generated.cmake - fails when the committed files in rules/generated/ (the packs and the
# client's tables, client_models.c) are not what ecrlint_modelgen makes from rules/models/.
#   cmake -DMODELGEN=<binary> -DROOT=<repo> -DOUT=<scratch dir> -P check_generated.cmake
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})
file(GLOB models ${ROOT}/rules/models/*.json)
list(SORT models)
execute_process(COMMAND ${MODELGEN} ${OUT} ${models}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "ecrlint_modelgen failed (${rc}):\n${err}")
endif()
file(GLOB made RELATIVE ${OUT} ${OUT}/*.json ${OUT}/*.c)
file(GLOB committed RELATIVE ${ROOT}/rules/generated ${ROOT}/rules/generated/*.json
     ${ROOT}/rules/generated/*.c)
# aws_services.c comes from botocore, not from the models: docs/generated-services checks it
list(REMOVE_ITEM committed aws_services.c)
list(SORT made)
list(SORT committed)
if(NOT made STREQUAL committed)
  message(FATAL_ERROR "rules/generated/ holds [${committed}]; the models make [${made}]")
endif()
set(stale "")
foreach(f ${made})
  file(READ ${OUT}/${f} a)
  file(READ ${ROOT}/rules/generated/${f} b)
  if(NOT a STREQUAL b)
    list(APPEND stale ${f})
  endif()
endforeach()
if(stale)
  message(FATAL_ERROR
    "rules/generated/ is stale: ${stale} differ from what src/tools/modelgen.c makes from "
    "rules/models/.\nRegenerate with:\n  cmake --build build --target regen-packs\n"
    "(use your build directory), review the diff and commit it.")
endif()
