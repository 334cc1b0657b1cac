/* fingerprint.c - argument digests for idempotency keys (fingerprint.h). */
#include "tools/fingerprint.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tools_fingerprint(char *out, const json_t *args, const char *const *skip)
{
	json_t *copy = json_deep_copy(args);
	uint64_t h = 1469598103934665603ULL;
	char *text;
	size_t i;

	for (i = 0; skip && skip[i]; i++)
		json_object_del(copy, skip[i]);
	/* Sorted keys: the same arguments in another order are the same call. */
	text = json_dumps(copy, JSON_COMPACT | JSON_SORT_KEYS);
	for (i = 0; text && text[i]; i++) {
		h ^= (unsigned char)text[i];
		h *= 1099511628211ULL;
	}
	snprintf(out, 17, "%016llx", (unsigned long long)h);
	free(text);
	json_decref(copy);
}
