# check_layers.cmake - the library's layers, written once, and a check that the include lines
# of src/ keep to them.
#
#   cmake -DROOT=<source dir> -P tests/tools/check_layers.cmake
#
# A file of src/lib/<module>/ may include its own module's headers and those of modules on a
# lower layer; never a module on its own layer or above (so no two modules include each other,
# and there is no cycle). The pipeline, bottom up:
#
#   0  util      allocation, buffers, text, digests, locating a JSON pointer in the text
#   1  rules     rule packs: loading, the ruleset, patterns, the engine
#   1  report    results, reports and the output formats
#   2  check     the check context: reporting a finding of a rule, placing findings
#   3  request   recognising an operation, and checking its requests and responses
#   3  manifest  classifying and checking image manifests
#   3  policy    checking repository, registry and IAM policies
#   3  lifecycle checking lifecycle policies, and their typed view
#   3  client    the client's validation: what the AWS CLI and boto3 refuse before sending
#   4  input     the driver: framing, parsing, choosing a kind of input from a table
#   4  preview   the lifecycle preview: a checked policy evaluated over images (above the
#                checkers, whose typed view of a policy it may take)
#   5  image     image layouts and archives as a whole: above the driver, because every
#                manifest in them is checked through it as a manifest input (with its
#                descriptor's media type) and every push as the PutImage request it is
#
# The programs are above the library: src/cli and src/tools may include any library header
# (src/cli through the util layer only, and the public header); the public header
# (src/include) includes nothing of the library.
cmake_minimum_required(VERSION 3.18)
if(NOT ROOT)
  message(FATAL_ERROR "usage: cmake -DROOT=<source dir> -P check_layers.cmake")
endif()

set(layer_util 0)
set(layer_rules 1)
set(layer_report 1)
set(layer_check 2)
set(layer_request 3)
set(layer_manifest 3)
set(layer_policy 3)
set(layer_lifecycle 3)
set(layer_client 3)
set(layer_input 4)
set(layer_preview 4)
set(layer_image 5)
set(layer_cli 10)
set(layer_tools 10)
set(modules util rules report check request manifest policy lifecycle client input preview image)

file(GLOB_RECURSE files RELATIVE ${ROOT}/src ${ROOT}/src/*.c ${ROOT}/src/*.h)
list(SORT files)
set(problems "")
set(count 0)
foreach(f IN LISTS files)
  if(f MATCHES "^lib/([^/]+)/")
    set(mod ${CMAKE_MATCH_1})
  elseif(f MATCHES "^lib/")
    string(APPEND problems "  src/${f}: a file directly in src/lib belongs to no layer\n")
    continue()
  elseif(f MATCHES "^(cli|tools)/")
    set(mod ${CMAKE_MATCH_1})
  elseif(f MATCHES "^include/")
    set(mod include)
  else()
    string(APPEND problems "  src/${f}: not in a known folder\n")
    continue()
  endif()
  if(NOT mod STREQUAL "include" AND NOT DEFINED layer_${mod})
    string(APPEND problems "  src/${f}: module '${mod}' has no layer in check_layers.cmake\n")
    continue()
  endif()
  file(STRINGS ${ROOT}/src/${f} lines REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
  foreach(line IN LISTS lines)
    math(EXPR count "${count} + 1")
    string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*\"([^\"]+)\".*$" "\\1" inc "${line}")
    if(inc MATCHES "^ecrlint/")
      continue() # the public header: anyone may include it
    endif()
    if(mod STREQUAL "include")
      string(APPEND problems "  src/${f}: the public header includes library header \"${inc}\"\n")
      continue()
    endif()
    if(NOT inc MATCHES "^([^/]+)/")
      # a file of the same folder, by its bare name (cli.h, el_builtin_packs)
      if(mod STREQUAL "cli" OR mod STREQUAL "tools")
        continue()
      endif()
      string(APPEND problems "  src/${f}: includes \"${inc}\" without its module folder\n")
      continue()
    endif()
    set(target ${CMAKE_MATCH_1})
    if(NOT target IN_LIST modules)
      string(APPEND problems "  src/${f}: includes \"${inc}\" of unknown module '${target}'\n")
      continue()
    endif()
    if(target STREQUAL mod)
      continue()
    endif()
    if(mod STREQUAL "cli" AND NOT target STREQUAL "util")
      string(APPEND problems
             "  src/${f}: the CLI includes \"${inc}\": it uses the public API and util/ only\n")
      continue()
    endif()
    if(NOT ${layer_${target}} LESS ${layer_${mod}})
      string(APPEND problems
             "  src/${f}: ${mod} (layer ${layer_${mod}}) includes \"${inc}\" of ${target} (layer ${layer_${target}})\n")
    endif()
  endforeach()
endforeach()
list(LENGTH files nfiles)
if(problems)
  message(FATAL_ERROR "The include lines break the layer order:\n${problems}")
endif()
message(STATUS "layers: ${nfiles} files, ${count} include lines, all in order")
