# fuzz.cmake: libFuzzer targets for everything that parses untrusted bytes
# (tests/fuzz/README.md). Two roles, chosen by SOCKCTL_FUZZ:
#  - OFF (the normal g++ build): each target becomes a ctest test fuzz_NAME
#    that runs run.sh, which builds the targets with clang in a separate
#    build directory (<build>-fuzz) and fuzzes NAME for a bounded time.
#  - ON (that clang build): the engine is compiled with ASan, UBSan and
#    libFuzzer's coverage, and each fuzz_NAME executable is defined.

# One line per target: tests/fuzz/fuzz_NAME.cpp, seeds in tests/fuzz/corpus/NAME/.
set(SOCKCTL_FUZZ_TARGETS)
list(APPEND SOCKCTL_FUZZ_TARGETS endpoint)    # parse_endpoint, format_endpoint, address_json
list(APPEND SOCKCTL_FUZZ_TARGETS cmsg)        # walk_cmsgs, cmsg_fds, CmsgBuilder (received control data)
list(APPEND SOCKCTL_FUZZ_TARGETS resolve_batch)  # resolve_batch, parse_batch_line
list(APPEND SOCKCTL_FUZZ_TARGETS netlink)     # netlink::split (replies), parse_request (hex lines)
list(APPEND SOCKCTL_FUZZ_TARGETS alg_text)    # parse_sum_line (--check lists), parse_proc_crypto
list(APPEND SOCKCTL_FUZZ_TARGETS decode)      # decode_packet for every link type, the line and JSON renderers, decode_can_frame
list(APPEND SOCKCTL_FUZZ_TARGETS can)         # parse_can_frame, parse_can_source, parse_can_log_line, decode_can_frame, parse_isotp_hex

# Seconds each target runs under ctest; the whole fuzz tier must stay small.
set(SOCKCTL_FUZZ_SECONDS 20 CACHE STRING "Seconds each fuzz target runs under ctest")

if(SOCKCTL_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "SOCKCTL_FUZZ needs clang++ (libFuzzer); configure with -DCMAKE_CXX_COMPILER=clang++")
  endif()
  # Everything that links the engine is instrumented; only the fuzz targets
  # link libFuzzer's main. UBSan aborts on the first report so libFuzzer
  # keeps the input as a crash.
  set(SOCKCTL_SANITIZE -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_compile_options(sockctl_engine PUBLIC ${SOCKCTL_SANITIZE} -fsanitize=fuzzer-no-link)
  target_link_options(sockctl_engine PUBLIC ${SOCKCTL_SANITIZE})
  foreach(name IN LISTS SOCKCTL_FUZZ_TARGETS)
    add_executable(fuzz_${name} ${CMAKE_CURRENT_LIST_DIR}/fuzz_${name}.cpp)
    target_link_libraries(fuzz_${name} PRIVATE sockctl_engine)
    target_include_directories(fuzz_${name} PRIVATE ${CMAKE_SOURCE_DIR}/src)
    target_compile_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
    target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
  endforeach()
else()
  foreach(name IN LISTS SOCKCTL_FUZZ_TARGETS)
    add_test(NAME fuzz_${name}
      COMMAND ${CMAKE_CURRENT_LIST_DIR}/run.sh ${name} ${SOCKCTL_FUZZ_SECONDS})
    # One clang build directory is shared: fuzz tests take turns with it.
    set_tests_properties(fuzz_${name} PROPERTIES
      ENVIRONMENT "SOCKCTL_FUZZ_BUILD=${CMAKE_BINARY_DIR}-fuzz"
      RESOURCE_LOCK sockctl_fuzz_build TIMEOUT 900 LABELS fuzz)
  endforeach()
endif()
