# embed_file(SOURCE OUTPUT SYMBOL) - writes OUTPUT, a C file defining
#   const char SYMBOL[]  (the bytes of SOURCE, NUL-terminated)
# so a program carries a data file (the demo org) without looking for it
# on disk at run time. Re-generated when SOURCE changes.
function(embed_file source output symbol)
  file(READ ${source} hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
  file(WRITE ${output}.tmp
    "/* Generated from ${source} by cmake/embed.cmake; do not edit. */\n"
    "const char ${symbol}[] = {\n${bytes}0x00 };\n")
  configure_file(${output}.tmp ${output} COPYONLY)
  set_property(DIRECTORY ${CMAKE_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${source})
endfunction()
