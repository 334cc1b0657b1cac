/* b64.h - standard base64 (RFC 4648 section 4) into the project's buf.
 *
 * EWS carries attachment bytes and MIME content as xs:base64Binary, and
 * MCP clients send file contents the same way. Encoding always produces
 * padded output without line breaks. Decoding is strict: only the
 * standard alphabet, correct padding, and canonical trailing bits are
 * accepted, so a corrupted or truncated upload is reported instead of
 * silently producing different bytes. MIME bodies wrap base64 in lines,
 * so the decoder can be told to skip whitespace. Size limits come from
 * the cap of the output buf.
 */
#ifndef INCLUDE_b64_h__
#define INCLUDE_b64_h__

#include <stddef.h>

#include "core/buf.h"
#include "core/errinfo.h"

/* Decoder flags. */
#define B64_STRICT 0
#define B64_IGNORE_SPACE 1  /* skip space, tab, CR, LF (MIME line breaks) */

/* Length of the encoding of n bytes (without NUL); 0 on overflow. */
size_t b64_encoded_len(size_t n);

/* Upper bound of the bytes decoded from n characters of base64. */
size_t b64_decoded_max(size_t n);

/* Appends the base64 of data[0..len) to out. 0, or ERR_NOMEM when the
 * output would pass out's cap (err says how large it would be). */
int b64_encode(buf *out, const void *data, size_t len, errinfo *err);

/* Appends the bytes encoded by text[0..len) to out. 0, ERR_INVAL naming
 * the offset and the problem (invalid character, bad padding, missing
 * characters, non-canonical trailing bits), or ERR_NOMEM when the result
 * would pass out's cap. On failure out keeps its earlier content but may
 * be marked failed (ERR_NOMEM) or hold part of the result (ERR_INVAL is
 * detected before anything is appended). */
int b64_decode(buf *out, const char *text, size_t len, int flags,
	       errinfo *err);

#endif
