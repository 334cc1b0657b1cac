/* test_buf.c - the capped, sticky-failure buffer (src/core/buf.c). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

static void test_append_and_cstr(void **state)
{
	buf b = BUF_INIT(64);

	(void)state;
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(buf_puts(&b, "abc"), 0);
	assert_int_equal(buf_putc(&b, '-'), 0);
	assert_int_equal(buf_put(&b, "xyz", 2), 0);
	assert_string_equal(buf_cstr(&b), "abc-xy");
	assert_int_equal(b.len, 6);
	assert_false(buf_failed(&b));
	buf_dispose(&b);
}

/* Rows: cap, appended pieces, whether the buffer must fail. */
static const struct {
	size_t cap;
	const char *pieces[4];
	int fails;
	const char *want;
} cap_cases[] = {
	{ 3, { "abc", NULL }, 0, "abc" },
	{ 3, { "abcd", NULL }, 1, NULL },
	{ 5, { "ab", "cd", "e", NULL }, 0, "abcde" },
	{ 5, { "ab", "cd", "ef", NULL }, 1, NULL },
	{ 0, { "", NULL }, 0, "" },
	{ 0, { "a", NULL }, 1, NULL },
};

static void test_caps(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(cap_cases) / sizeof(cap_cases[0]); i++) {
		buf b = BUF_INIT(cap_cases[i].cap);

		for (k = 0; cap_cases[i].pieces[k]; k++)
			buf_puts(&b, cap_cases[i].pieces[k]);
		assert_int_equal(!!buf_failed(&b), cap_cases[i].fails);
		if (!cap_cases[i].fails)
			assert_string_equal(buf_cstr(&b), cap_cases[i].want);
		buf_dispose(&b);
	}
}

static void test_sticky_failure(void **state)
{
	buf b = BUF_INIT(4);

	(void)state;
	assert_int_equal(buf_puts(&b, "abcdef"), -1);
	assert_true(buf_failed(&b));
	/* Later appends are no-ops even if they would fit. */
	assert_int_equal(buf_puts(&b, "a"), -1);
	assert_int_equal(buf_printf(&b, "%d", 1), -1);
	assert_int_equal(b.len, 0);
	assert_null(buf_detach(&b));
	/* buf_clear resets the flag. */
	buf_clear(&b);
	assert_false(buf_failed(&b));
	assert_int_equal(buf_puts(&b, "ok"), 0);
	assert_string_equal(buf_cstr(&b), "ok");
	buf_dispose(&b);
}

static void test_printf_growth(void **state)
{
	buf b = BUF_INIT(1 << 20);
	char want[16];
	int i;

	(void)state;
	for (i = 0; i < 10000; i++)
		buf_printf(&b, "%05d,", i);
	assert_false(buf_failed(&b));
	assert_int_equal(b.len, 60000);
	snprintf(want, sizeof(want), "%05d,", 9999);
	assert_memory_equal(b.ptr + b.len - 6, want, 6);
	assert_int_equal(b.ptr[b.len], '\0');
	/* A printf that would pass the cap fails as a whole. */
	buf_dispose(&b);
	{
		buf small = BUF_INIT(8);

		assert_int_equal(buf_printf(&small, "%s", "123456789"), -1);
		assert_true(buf_failed(&small));
		buf_dispose(&small);
	}
}

static void test_detach_truncate(void **state)
{
	buf b = BUF_INIT(64);
	char *s;

	(void)state;
	s = buf_detach(&b); /* empty buffer: heap "" */
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
	buf_puts(&b, "hello world");
	buf_truncate(&b, 5);
	assert_string_equal(buf_cstr(&b), "hello");
	buf_truncate(&b, 50); /* no-op */
	assert_int_equal(b.len, 5);
	s = buf_detach(&b);
	assert_string_equal(s, "hello");
	assert_null(b.ptr);
	assert_int_equal(b.len, 0);
	free(s);
	/* Usable again after detach. */
	buf_puts(&b, "x");
	assert_string_equal(buf_cstr(&b), "x");
	buf_dispose(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_and_cstr),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_sticky_failure),
		cmocka_unit_test(test_printf_growth),
		cmocka_unit_test(test_detach_truncate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
