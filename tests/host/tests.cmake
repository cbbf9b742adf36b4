# tests/host/tests.cmake - miniport hosting end to end (docs/hosting.md):
# the sample drivers loaded from their .so files, on VN-1s, moving traffic.
# Included by ndis/hosting.cmake at the end of the top-level directory
# (ndisrt_test() is defined by tests/CMakeLists.txt, processed after ndis/),
# or by tests/host/CMakeLists.txt.
if(TARGET test_host_load)
  return()
endif()
if(NOT TARGET vn1 OR NOT TARGET minimal_miniport)
  message(STATUS "tests/host skipped: the sample drivers are not built (NDISRT_BUILD_DRIVERS=OFF)")
  return()
endif()

set(NDISRT_HOST_TESTS ${PROJECT_SOURCE_DIR}/tests/host)
set(NDISRT_TDRV_DIR ${PROJECT_BINARY_DIR}/tests/host/drivers)

# Test drivers, built as a user builds a driver: <ndis.h> only, one .so per variant.
set(tdrv_targets)
foreach(v ok no_entry bad_import entry_fails no_register bad_chars init_fails
          touch_mmio bad_register null_deref indicate_paused leak)
  string(TOUPPER ${v} V)
  add_library(tdrv_${v} MODULE ${NDISRT_HOST_TESTS}/drivers/tdrv.c)
  set_property(TARGET tdrv_${v} PROPERTY INCLUDE_DIRECTORIES ${PROJECT_SOURCE_DIR}/include)
  target_compile_definitions(tdrv_${v} PRIVATE TDRV_${V})
  target_compile_options(tdrv_${v} PRIVATE -Wall -Wextra -Werror)
  set_target_properties(tdrv_${v} PROPERTIES PREFIX "" SUFFIX ".so"
    C_VISIBILITY_PRESET default LIBRARY_OUTPUT_DIRECTORY ${NDISRT_TDRV_DIR})
  list(APPEND tdrv_targets tdrv_${v})
endforeach()

foreach(suite load data)
  ndisrt_test(host_${suite} SOURCES ${NDISRT_HOST_TESTS}/test_${suite}.c LIBS ndisrt_ndis)
  target_compile_definitions(test_host_${suite} PRIVATE
    NDISRT_DRIVER_DIR="${PROJECT_BINARY_DIR}/drivers"
    NDISRT_TDRV_DIR="${NDISRT_TDRV_DIR}")
  set_target_properties(test_host_${suite} PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests/host)
  add_dependencies(test_host_${suite} vn1 minimal_miniport ${tdrv_targets})
endforeach()
