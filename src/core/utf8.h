/* utf8.h - cutting UTF-8 text without splitting a character.
 *
 * Messages are cut to fixed buffers by bytes; a cut inside a multi-byte
 * sequence leaves text that JSON libraries refuse, and a failure would
 * lose its message on the way to the client.
 */
#ifndef INCLUDE_core_utf8_h__
#define INCLUDE_core_utf8_h__

#include <stddef.h>

/* The largest n <= len such that the first n bytes of s do not end in the
 * middle of a UTF-8 sequence (an incomplete trailing sequence is left out;
 * bytes that are not UTF-8 at all are not judged). */
size_t utf8_boundary(const char *s, size_t len);

#endif
