/* escape.h - the only place where text becomes XML.
 *
 * All user-supplied text reaches a SOAP envelope through these functions
 * (cmark's houdini, curl's escape.c). Characters XML 1.0 cannot carry at
 * all (C0 controls other than TAB/LF/CR, U+FFFE/U+FFFF, broken UTF-8) are
 * refused rather than silently dropped, so a caller can name the field.
 */
#ifndef INCLUDE_escape_h__
#define INCLUDE_escape_h__

#include <stddef.h>

#include "core/buf.h"

/* Appends text escaped for element content (& < > and, for safety, " ').
 * 0, or -1 if text is not valid UTF-8 or has a character XML forbids (the
 * buffer is left unchanged then). */
int soap_put_text(buf *b, const char *text);
int soap_put_text_len(buf *b, const char *text, size_t len);

/* Appends text escaped for a double-quoted attribute value (also escapes
 * TAB/LF/CR so they survive attribute normalisation). 0 or -1 as above. */
int soap_put_attr(buf *b, const char *text);

/* Non-zero if text is valid UTF-8 and has only characters XML 1.0 allows. */
int soap_text_is_valid(const char *text, size_t len);

#endif
