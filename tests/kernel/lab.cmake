# lab.cmake: the kernel lab tier (tests/kernel/README.md). lab_boot boots the
# QEMU guest once and runs every scenario; each lab_<name> test then reports
# one scenario's log and status (77 = skip). Scenarios are data, so they are
# found by glob: a new tests/kernel/scenarios/NAME.sh becomes lab_NAME.
set(LAB_DIR ${CMAKE_CURRENT_LIST_DIR})
set(LAB_RESULTS ${CMAKE_BINARY_DIR}/lab-results)

add_test(NAME lab_boot
  COMMAND ${LAB_DIR}/lab.sh --lab-status --sockctl $<TARGET_FILE:sockctl> --results ${LAB_RESULTS})
# lab.sh gives up on QEMU at 600 s, well inside ctest's limit, to report why.
set_tests_properties(lab_boot PROPERTIES FIXTURES_SETUP lab TIMEOUT 900 LABELS lab)

file(GLOB LAB_SCENARIOS CONFIGURE_DEPENDS ${LAB_DIR}/scenarios/*.sh)
foreach(path IN LISTS LAB_SCENARIOS)
  get_filename_component(name ${path} NAME_WE)
  add_test(NAME lab_${name} COMMAND ${LAB_DIR}/result.sh ${LAB_RESULTS} ${name})
  set_tests_properties(lab_${name} PROPERTIES
    FIXTURES_REQUIRED lab SKIP_RETURN_CODE 77 TIMEOUT 30 LABELS lab)
endforeach()
