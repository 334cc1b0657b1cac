/* test_errinfo.c - first-message-wins errors (src/core/errinfo.c). */
#include "testutil.h"

#include <string.h>

#include "core/errinfo.h"
#include "core/utf8.h"

static void test_first_message_wins(void **state)
{
	errinfo err = ERRINFO_INIT;

	(void)state;
	assert_int_equal(errinfo_set(&err, ERR_NOTFOUND, "inner: %s", "item 7"), ERR_NOTFOUND);
	/* The outer layer's message and code do not replace the cause. */
	assert_int_equal(errinfo_set(&err, ERR_GENERIC, "outer"), ERR_GENERIC);
	assert_int_equal(err.code, ERR_NOTFOUND);
	assert_string_equal(err.msg, "inner: item 7");
	errinfo_clear(&err);
	assert_int_equal(err.code, 0);
	assert_string_equal(err.msg, "");
	errinfo_set(&err, ERR_AUTH, "again");
	assert_string_equal(err.msg, "again");
}

static void test_newlines_stripped(void **state)
{
	static const struct {
		const char *in, *want;
	} rows[] = {
		{ "a\nb", "a b" },
		{ "a\r\nb", "a  b" },
		{ "\nlead", " lead" },
		{ "plain", "plain" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		errinfo err = ERRINFO_INIT;

		errinfo_set(&err, ERR_INVAL, "%s", rows[i].in);
		assert_string_equal(err.msg, rows[i].want);
	}
}

static void test_null_and_long(void **state)
{
	errinfo err = ERRINFO_INIT;
	char big[3000];

	(void)state;
	assert_int_equal(errinfo_set(NULL, ERR_IO, "nobody listens"), ERR_IO);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	errinfo_set(&err, ERR_IO, "%s", big);
	assert_int_equal(strlen(err.msg), ERRINFO_MSG_MAX - 1);
}

/* 1 when s is well-formed UTF-8 (no cut or stray sequence). */
static int utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3
			 : (*p & 0xF8) == 0xF0 ? 4 : 0;
		size_t k;

		if (!n)
			return 0;
		for (k = 1; k < n; k++)
			if ((p[k] & 0xC0) != 0x80)
				return 0;
		p += n;
	}
	return 1;
}

/* A message cut at the buffer's end is cut between characters, at every
 * offset a multi-byte character can fall on. */
static void test_cut_between_characters(void **state)
{
	static const char *const chars[] = { "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x93\xa7" };
	char text[ERRINFO_MSG_MAX * 2];
	size_t c, shift;

	(void)state;
	for (c = 0; c < 3; c++)
		for (shift = 0; shift < 4; shift++) {
			errinfo err = ERRINFO_INIT;
			size_t len = 0;

			memset(text, 'a', shift);
			len = shift;
			while (len + 5 < sizeof(text)) {
				strcpy(text + len, chars[c]);
				len += strlen(chars[c]);
			}
			errinfo_set(&err, ERR_INVAL, "%s", text);
			assert_true(strlen(err.msg) > sizeof(err.msg) - 5);
			if (!utf8_valid(err.msg))
				fail_msg("char %zu shift %zu: cut inside a character", c, shift);
		}
	assert_int_equal(utf8_boundary("ab\xc3", 3), 2);
	assert_int_equal(utf8_boundary("ab\xc3\xa9", 4), 4);
	assert_int_equal(utf8_boundary("\xf0\x9f\x93", 3), 0);
	assert_int_equal(utf8_boundary("abc", 3), 3);
}

static void test_ews_code_and_names(void **state)
{
	errinfo err = ERRINFO_INIT;

	(void)state;
	errinfo_set_ews_code(&err, "ErrorItemNotFound");
	errinfo_set_ews_code(&err, "ErrorAccessDenied");
	assert_string_equal(err.ews_code, "ErrorItemNotFound");
	errinfo_set_ews_code(NULL, "x");
	assert_string_equal(errinfo_code_name(ERR_NOTFOUND), "not_found");
	assert_string_equal(errinfo_code_name(ERR_CONFIG), "configuration_error");
	assert_string_equal(errinfo_code_name(12345), "error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_message_wins),
		cmocka_unit_test(test_newlines_stripped),
		cmocka_unit_test(test_null_and_long),
		cmocka_unit_test(test_ews_code_and_names),
		cmocka_unit_test(test_cut_between_characters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
