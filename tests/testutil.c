/* testutil.c - helpers shared by the cmocka test programs. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SCHEMA_HINT "set EWS_SCHEMA_DIR to a folder with Microsoft's EWS schema " \
	"(soap-envelope-ews.xsd), or put the shared folder with ews-schema/ beside the checkout"

static int is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The schema folder, or NULL; looked up once. */
static const char *schema_dir(void)
{
	static char dir[4096];
	static int done;
	const char *env = getenv("EWS_SCHEMA_DIR");
	const char *shared = getenv("EWS_SHARED_DIR");
	const char *src = getenv("EWS_SOURCE_DIR");
	char probe[4200];

	if (done)
		return dir[0] ? dir : NULL;
	done = 1;
	if (env && env[0]) {
		snprintf(dir, sizeof(dir), "%s", env);
		snprintf(probe, sizeof(probe), "%s/soap-envelope-ews.xsd", dir);
		if (!is_file(probe)) {
			fprintf(stderr, "EWS_SCHEMA_DIR=%s: no soap-envelope-ews.xsd there\n", env);
			exit(1);
		}
		return dir;
	}
	if (shared && shared[0])
		snprintf(dir, sizeof(dir), "%s/ews-schema", shared);
	else if (src && src[0])
		snprintf(dir, sizeof(dir), "%s/../shared/ews-schema", src);
	else /* run by hand from tests/unit/<layer> */
		snprintf(dir, sizeof(dir), "../../../../shared/ews-schema");
	snprintf(probe, sizeof(probe), "%s/soap-envelope-ews.xsd", dir);
	if (!is_file(probe))
		dir[0] = '\0';
	return dir[0] ? dir : NULL;
}

const char *testutil_schema_path(const char *rel)
{
	static char path[4200];
	const char *dir = schema_dir();

	if (!dir)
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	return path;
}

void testutil_require_schema(const char *test)
{
	if (schema_dir())
		return;
	printf("SKIP %s: Microsoft's EWS schema was not found; to run it, " SCHEMA_HINT "\n", test);
	fflush(stdout);
	exit(TESTUTIL_SKIP);
}

int testutil_have_schema(void)
{
	static int said;

	if (schema_dir())
		return 1;
	if (!said) {
		said = 1;
		printf("NOTE: EWS schema not found, schema validation skipped in this test; "
		       "to run it, " SCHEMA_HINT "\n");
		fflush(stdout);
	}
	return 0;
}

char *testutil_read_file(const char *path, size_t *len_out)
{
	struct stat st;
	FILE *f;
	char *data = NULL;
	long len;

	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return NULL;
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		data = malloc((size_t)len + 1);
		if (data && fread(data, 1, (size_t)len, f) != (size_t)len) {
			free(data);
			data = NULL;
		} else if (data) {
			data[len] = '\0';
			if (len_out)
				*len_out = (size_t)len;
		}
	}
	fclose(f);
	return data;
}

const char *testutil_tmpdir(void)
{
	static char path[256];

	if (!path[0]) {
		snprintf(path, sizeof(path), "/tmp/ews-test-XXXXXX");
		if (!mkdtemp(path))
			return "/tmp";
	}
	return path;
}
