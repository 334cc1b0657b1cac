/* test_errinfo.c - first-message-wins errors (src/core/errinfo.c). */
#include "testutil.h"

#include <string.h>

#include "core/errinfo.h"

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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
