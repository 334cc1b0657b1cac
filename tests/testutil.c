/* testutil.c - helpers shared by the cmocka test programs. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *testutil_shared_path(const char *rel)
{
	static char path[4096];
	const char *dir = getenv("EWS_SHARED_DIR");

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "../../../shared", rel);
	return path;
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
