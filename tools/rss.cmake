# tools/rss.cmake - the `ndisrt rss` subcommand as a static library.
# Included by tools/CMakeLists.txt (the lead's):  include(rss.cmake)
# and linked into the ndisrt executable:  target_link_libraries(ndisrt PRIVATE ndisrt_tool_rss)
# The library exports int ndisrt_cmd_rss(int argc, char **argv) (argv[0] is "rss").
add_library(ndisrt_tool_rss STATIC ${CMAKE_CURRENT_LIST_DIR}/rss.c)
target_link_libraries(ndisrt_tool_rss PUBLIC ndisrt_hw)
