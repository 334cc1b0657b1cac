/* test_ratelimit.c - sliding-window limits per key, on a fake clock. */
#include "testutil.h"

#include <stdio.h>

#include "core/ratelimit.h"

static void test_window(void **state)
{
	ratelimit *rl = NULL;
	int i;

	(void)state;
	assert_int_equal(ratelimit_new(&rl, 3, 60000), 0);
	/* three events pass, the fourth waits for the first to age out */
	assert_int_equal(ratelimit_take(rl, "a@x", 1000), 0);
	assert_int_equal(ratelimit_take(rl, "a@x", 2000), 0);
	assert_int_equal(ratelimit_take(rl, "a@x", 3000), 0);
	assert_int_equal(ratelimit_take(rl, "a@x", 4000), 57000);
	/* another key has its own budget */
	assert_int_equal(ratelimit_take(rl, "b@x", 4000), 0);
	/* refused events do not count: at 61000 the first has aged out */
	assert_int_equal(ratelimit_take(rl, "a@x", 61000), 0);
	assert_int_equal(ratelimit_take(rl, "a@x", 61500), 500);
	assert_int_equal(ratelimit_take(rl, "a@x", 62000), 0);
	/* many keys: old ones are swept, nothing leaks (ASan) */
	for (i = 0; i < 5000; i++) {
		char key[32];

		snprintf(key, sizeof(key), "k%d", i);
		assert_int_equal(ratelimit_take(rl, key, 100000 + i * 100), 0);
	}
	ratelimit_free(rl);
}

/* Several events at once: all fit or none are taken. */
static void test_batch(void **state)
{
	ratelimit *rl = NULL;

	(void)state;
	assert_int_equal(ratelimit_new(&rl, 5, 60000), 0);
	assert_int_equal(ratelimit_take_n(rl, "k", 3, 1000), 0);
	/* 3 + 3 > 5: refused until the first three age out, nothing recorded */
	assert_int_equal(ratelimit_take_n(rl, "k", 3, 2000), 59000);
	assert_int_equal(ratelimit_take_n(rl, "k", 2, 2000), 0);
	assert_int_equal(ratelimit_take(rl, "k", 3000), 58000);
	/* more than the limit waits for an empty window, then passes */
	assert_int_equal(ratelimit_take_n(rl, "big", 9, 1000), 0);
	assert_int_equal(ratelimit_take(rl, "big", 1000), 60000);
	ratelimit_free(rl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_batch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
