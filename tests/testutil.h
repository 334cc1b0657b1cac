/* testutil.h - helpers shared by the cmocka test programs. */
#ifndef INCLUDE_testutil_h__
#define INCLUDE_testutil_h__

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

/* Path of a file in ../shared (EWS_SHARED_DIR set by CTest); static buffer. */
const char *testutil_shared_path(const char *rel);

/* Reads a whole file into a NUL-terminated heap string (caller frees), or
 * NULL. *len_out (may be NULL) receives the length. */
char *testutil_read_file(const char *path, size_t *len_out);

/* A fresh empty directory under /tmp for this test (static buffer). */
const char *testutil_tmpdir(void);

#endif
