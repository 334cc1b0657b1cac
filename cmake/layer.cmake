# ews_layer(NAME DIR DEPS...) - one static library per source folder.
# Every *.c in the folder belongs to the layer (except main.c, which a
# folder may use for its own executable), so adding a file needs no edit
# here. A folder with no sources yet becomes an INTERFACE library, so the
# layers above it still link.
function(ews_layer name)
  file(GLOB srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.c)
  list(FILTER srcs EXCLUDE REGEX "/main\\.c$")
  if(srcs)
    add_library(${name} STATIC ${srcs})
    target_link_libraries(${name} PUBLIC ${ARGN})
  else()
    add_library(${name} INTERFACE)
    target_link_libraries(${name} INTERFACE ${ARGN})
  endif()
endfunction()
