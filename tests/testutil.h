/* testutil.h - helpers shared by the cmocka test programs. */
#ifndef INCLUDE_testutil_h__
#define INCLUDE_testutil_h__

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

/* Exit status of a test program that could not run; CTest reports it as
 * skipped (SKIP_RETURN_CODE, set for such tests in tests/CMakeLists.txt). */
#define TESTUTIL_SKIP 77

/* Microsoft's EWS schema (soap-envelope-ews.xsd, types.xsd, messages.xsd and
 * samples/) is not part of the project. It is looked for in $EWS_SCHEMA_DIR,
 * then in ews-schema/ of the shared reference folder beside the source tree
 * ($EWS_SHARED_DIR, which CTest sets to <source>/../shared). A set
 * EWS_SCHEMA_DIR without the schema in it is an error (exit 1), not a skip. */

/* Path of rel inside the schema folder (static buffer), or NULL when there
 * is no schema. */
const char *testutil_schema_path(const char *rel);

/* For a program whose purpose is schema validation: returns if the schema
 * is there; otherwise prints one line saying how to enable the test and
 * exits with TESTUTIL_SKIP. */
void testutil_require_schema(const char *test);

/* For a program that validates against the schema as a side check: 1 if the
 * schema is there; otherwise 0, after printing (once per program) one line
 * saying that the side check is skipped and how to enable it. */
int testutil_have_schema(void);

/* Reads a whole file into a NUL-terminated heap string (caller frees), or
 * NULL. *len_out (may be NULL) receives the length. */
char *testutil_read_file(const char *path, size_t *len_out);

/* A fresh empty directory under /tmp for this test (static buffer). */
const char *testutil_tmpdir(void);

#endif
