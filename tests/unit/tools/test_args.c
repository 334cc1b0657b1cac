/* test_args.c - the argument helpers of the tools (src/tools/args.c,
 * fingerprint.c) with arguments as assistants really write them: null for
 * "not given". */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "tools/args.h"
#include "tools/fingerprint.h"

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
		cmocka_unit_test(test_fingerprint_reads_like_the_tools),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
