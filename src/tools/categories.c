/* categories.c - the categories argument (categories.h). */
#include "tools/categories.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Characters (not bytes) of a UTF-8 string. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

int tools_categories(const char ***out, size_t *n, const json_t *args, errinfo *err)
{
	const json_t *list = json_object_get(args, "categories"), *v;
	const char **names;
	size_t i, j, count = 0;

	*out = NULL;
	*n = 0;
	if (!list || json_is_null(list))
		return 0;
	if (!json_is_array(list))
		return errinfo_set(err, ERR_INVAL, "categories: expected a list of category names");
	if (json_array_size(list) > TOOLS_CATEGORIES_MAX)
		return errinfo_set(err, ERR_INVAL, "categories: at most %d categories, got %zu",
				   TOOLS_CATEGORIES_MAX, json_array_size(list));
	if (json_array_size(list) == 0)
		return 0;
	names = calloc(json_array_size(list), sizeof(*names));
	if (!names)
		return errinfo_set(err, ERR_NOMEM, "out of memory");
	json_array_foreach(list, i, v) {
		const char *s = json_string_value(v);
		int dup = 0;

		if (!s || s[strspn(s, " \t")] == '\0') {
			free(names);
			return errinfo_set(err, ERR_INVAL, "categories[%zu]: expected a non-empty "
					   "category name", i);
		}
		if (utf8_chars(s) > TOOLS_CATEGORY_MAX) {
			free(names);
			return errinfo_set(err, ERR_INVAL, "categories[%zu]: longer than %d characters",
					   i, TOOLS_CATEGORY_MAX);
		}
		for (j = 0; j < count; j++)
			if (strcasecmp(names[j], s) == 0)
				dup = 1;
		if (!dup)
			names[count++] = s;
	}
	*out = names;
	*n = count;
	return 0;
}
