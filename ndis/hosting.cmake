# ndis/hosting.cmake - miniport hosting and the NDIS 6 data path
# (docs/hosting.md): driver loading, NICs, the hardware-access, memory and
# NBL DDIs. Included from ndis/CMakeLists.txt once ndisrt_ndis exists.
target_sources(ndisrt_ndis PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/host_driver.c
  ${CMAKE_CURRENT_LIST_DIR}/host_nic.c
  ${CMAKE_CURRENT_LIST_DIR}/host_io.c
  ${CMAKE_CURRENT_LIST_DIR}/host_mem.c
  ${CMAKE_CURRENT_LIST_DIR}/host_ddi.c
  ${CMAKE_CURRENT_LIST_DIR}/nbl.c)
target_link_libraries(ndisrt_ndis PUBLIC ${CMAKE_DL_LIBS})
