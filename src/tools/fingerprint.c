/* fingerprint.c - argument digests for idempotency keys (fingerprint.h). */
#include "tools/fingerprint.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The arguments as the tools read them: a member that is null is not
 * given, and 5.0 is 5, so a retry that writes {"cc": null} or 5.0 is the
 * same call as the first. Arguments without either digest as before. */
static json_t *canonical(const json_t *v, int depth)
{
	json_t *out, *item;
	const char *key;
	size_t i;

	if (depth > 64)
		return json_deep_copy(v);
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		out = json_object();
		json_object_foreach((json_t *)v, key, item)
			if (!json_is_null(item))
				json_object_set_new(out, key, canonical(item, depth + 1));
		return out;
	case JSON_ARRAY:
		out = json_array();
		json_array_foreach(v, i, item)
			json_array_append_new(out, canonical(item, depth + 1));
		return out;
	case JSON_REAL: {
		double d = json_real_value(v);

		if (floor(d) == d && fabs(d) < 9e15)
			return json_integer((json_int_t)d);
		return json_deep_copy(v);
	}
	default:
		return json_deep_copy(v);
	}
}

void tools_fingerprint(char *out, const json_t *args, const char *const *skip)
{
	json_t *copy = canonical(args, 0);
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
