/* fingerprint.h - a stable short digest of a tool's arguments, so an
 * idempotency key reused for a different message is noticed. */
#ifndef INCLUDE_tools_fingerprint_h__
#define INCLUDE_tools_fingerprint_h__

#include <jansson.h>

/* 64-bit FNV-1a over the canonical JSON of args (sorted keys, null
 * members left out, whole numbers as integers) without the keys listed in
 * skip (NULL-terminated), as 16 hex digits into out (>= 17 bytes). */
void tools_fingerprint(char *out, const json_t *args, const char *const *skip);

#endif
