/* test_categories.c - the categories argument of the create tools
 * (src/tools/categories.c): absent, valid, repeated, and every way it can
 * be wrong, each error naming the entry. */
#include "testutil.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "tools/categories.h"

static void test_valid(void **state)
{
	static const struct { const char *args; size_t n; const char *first, *last; } rows[] = {
		{ "{}", 0, NULL, NULL },
		{ "{\"categories\":null}", 0, NULL, NULL },
		{ "{\"categories\":[]}", 0, NULL, NULL },
		{ "{\"categories\":[\"Sales\"]}", 1, "Sales", "Sales" },
		{ "{\"categories\":[\"Sales\",\"sales\",\"VIP\"]}", 2, "Sales", "VIP" },
		{ "{\"categories\":[\"Rot, dringend\",\"\\u00c4rger\"]}", 2, "Rot, dringend",
		  "\xc3\x84rger" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		json_t *args = json_loads(rows[i].args, 0, NULL);
		errinfo err = ERRINFO_INIT;
		const char **names = NULL;
		size_t n = 99;

		assert_non_null(args);
		assert_int_equal(tools_categories(&names, &n, args, &err), 0);
		assert_int_equal(n, rows[i].n);
		if (n) {
			assert_string_equal(names[0], rows[i].first);
			assert_string_equal(names[n - 1], rows[i].last);
		} else {
			assert_null(names);
		}
		free(names);
		json_decref(args);
	}
}

static void test_invalid(void **state)
{
	static const struct { const char *args, *msg; } rows[] = {
		{ "{\"categories\":\"Sales\"}", "categories: expected a list" },
		{ "{\"categories\":[\"Sales\",3]}", "categories[1]: expected a non-empty" },
		{ "{\"categories\":[\"  \"]}", "categories[0]: expected a non-empty" },
		{ "{\"categories\":[\"\"]}", "categories[0]: expected a non-empty" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		json_t *args = json_loads(rows[i].args, 0, NULL);
		errinfo err = ERRINFO_INIT;
		const char **names = NULL;
		size_t n = 0;

		assert_int_equal(tools_categories(&names, &n, args, &err), ERR_INVAL);
		assert_null(names);
		assert_non_null(strstr(err.msg, rows[i].msg));
		json_decref(args);
	}
}

static void test_limits(void **state)
{
	json_t *args = json_object(), *list = json_array();
	errinfo err = ERRINFO_INIT;
	const char **names = NULL;
	char name[TOOLS_CATEGORY_MAX + 2];
	size_t n, i;

	(void)state;
	json_object_set_new(args, "categories", list);
	/* 255 two-byte characters are 255 characters, not 510. */
	json_array_clear(list);
	{
		char wide[2 * TOOLS_CATEGORY_MAX + 1];

		for (i = 0; i < TOOLS_CATEGORY_MAX; i++)
			memcpy(wide + 2 * i, "\xc3\xa4", 2);
		wide[2 * TOOLS_CATEGORY_MAX] = '\0';
		json_array_append_new(list, json_string(wide));
		assert_int_equal(tools_categories(&names, &n, args, &err), 0);
		free(names);
	}
	memset(name, 'x', TOOLS_CATEGORY_MAX + 1);
	name[TOOLS_CATEGORY_MAX + 1] = '\0';
	json_array_clear(list);
	json_array_append_new(list, json_string(name));
	assert_int_equal(tools_categories(&names, &n, args, &err), ERR_INVAL);
	assert_non_null(strstr(err.msg, "categories[0]: longer than 255"));

	errinfo_clear(&err);
	json_array_clear(list);
	for (i = 0; i <= TOOLS_CATEGORIES_MAX; i++) {
		snprintf(name, sizeof(name), "c%zu", i);
		json_array_append_new(list, json_string(name));
	}
	assert_int_equal(tools_categories(&names, &n, args, &err), ERR_INVAL);
	assert_non_null(strstr(err.msg, "categories: at most 50"));
	json_decref(args);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
