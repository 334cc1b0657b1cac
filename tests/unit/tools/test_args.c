/* test_args.c - the argument helpers of the tools (src/tools/args.c,
 * fingerprint.c) with arguments as assistants really write them: null for
 * "not given", whole numbers written 5.0. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "tools/args.h"
#include "tools/fingerprint.h"

/* ---- integers ---- */

/* 5.0 passes the schema (JSON Schema 2020-12: an integer), so the tool
 * must take it too; a fraction is refused by both. */
static void test_integers(void **state)
{
	static const struct { const char *args; int rc; long want; } rows[] = {
		{ "{\"n\":5}", 0, 5 },
		{ "{\"n\":5.0}", 0, 5 },
		{ "{\"n\":-0.0}", 0, 0 },
		{ "{\"n\":1e2}", 0, 100 },
		{ "{\"n\":null}", 0, 7 },
		{ "{}", 0, 7 },
		{ "{\"n\":2.5}", ERR_INVAL, 7 },
		{ "{\"n\":1001.0}", ERR_INVAL, 7 },
		{ "{\"n\":1e300}", ERR_INVAL, 7 },
		{ "{\"n\":\"5\"}", ERR_INVAL, 7 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		json_t *args = json_loads(rows[i].args, 0, NULL);
		errinfo err = ERRINFO_INIT;
		long n = -1;

		assert_non_null(args);
		if (tools_arg_long(&n, args, "n", 7, 0, 1000, &err) != rows[i].rc)
			fail_msg("row %zu (%s): %s", i, rows[i].args, err.msg);
		if (rows[i].rc == 0)
			assert_int_equal(n, rows[i].want);
		json_decref(args);
	}
	{
		json_t *args = json_pack("{s:f}", "n", 1001.0);
		errinfo err = ERRINFO_INIT;
		long n;

		assert_int_equal(tools_arg_long(&n, args, "n", 7, 0, 1000, &err), ERR_INVAL);
		assert_string_equal(err.msg, "n: must be between 0 and 1000, got 1001");
		json_decref(args);
	}
}

/* ---- idempotency fingerprints ---- */

/* A retry that writes null for "not given" or 5.0 for 5 is the same call. */
static void test_fingerprint_reads_like_the_tools(void **state)
{
	static const char *const skip[] = { "idempotency_key", NULL };
	static const char *const same[] = {
		"{\"to\":[\"a@contoso.test\"],\"n\":5,\"o\":{\"k\":1}}",
		"{\"n\":5.0,\"to\":[\"a@contoso.test\"],\"cc\":null,\"o\":{\"k\":1.0,\"z\":null}}",
		"{\"to\":[\"a@contoso.test\"],\"n\":5,\"o\":{\"k\":1},\"idempotency_key\":\"x\"}",
	};
	static const char *const other[] = {
		"{\"to\":[\"a@contoso.test\"],\"n\":5.5,\"o\":{\"k\":1}}",
		"{\"to\":[\"a@contoso.test\",null],\"n\":5,\"o\":{\"k\":1}}",
		"{\"to\":[\"a@contoso.test\"],\"n\":5,\"o\":{\"k\":1},\"cc\":[]}",
	};
	char first[17], fp[17];
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		json_t *args = json_loads(same[i], 0, NULL);

		assert_non_null(args);
		tools_fingerprint(i ? fp : first, args, skip);
		if (i)
			assert_string_equal(fp, first);
		json_decref(args);
	}
	for (i = 0; i < 3; i++) {
		json_t *args = json_loads(other[i], 0, NULL);

		assert_non_null(args);
		tools_fingerprint(fp, args, skip);
		assert_string_not_equal(fp, first);
		json_decref(args);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_fingerprint_reads_like_the_tools),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
