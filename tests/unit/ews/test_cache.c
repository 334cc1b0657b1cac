/* test_cache.c - the mailbox-context cache (src/ews/cache.c): LRU
 * eviction, expiry by TTL, short-lived negative entries, and references
 * that keep an evicted value alive while a caller holds it. Time is
 * passed in, so nothing sleeps. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "ews/cache.h"

typedef struct val {
	int refs;
	int freed;
} val;

static void retain(void *v)
{
	((val *)v)->refs++;
}

static void release(void *v)
{
	if (--((val *)v)->refs == 0)
		((val *)v)->freed = 1;
}

static void test_lru(void **state)
{
	val a = { 1, 0 }, b = { 1, 0 }, c = { 1, 0 };
	ews_cache *cache = NULL;
	val *got;

	(void)state;
	assert_int_equal(ews_cache_new(&cache, 2, retain, release, NULL), 0);
	assert_int_equal(ews_cache_put(cache, "a", &a, 0, 1000), 0);
	assert_int_equal(ews_cache_put(cache, "b", &b, 0, 1000), 0);
	assert_int_equal(a.refs, 2);
	/* touch a: b becomes the least recently used */
	got = ews_cache_get(cache, "a", 10);
	assert_ptr_equal(got, &a);
	release(got);
	assert_int_equal(ews_cache_put(cache, "c", &c, 20, 1000), 0);
	assert_int_equal(ews_cache_count(cache), 2);
	assert_null(ews_cache_get(cache, "b", 30));
	assert_int_equal(b.refs, 1);          /* the cache let go of b */
	got = ews_cache_get(cache, "c", 30);
	assert_ptr_equal(got, &c);
	release(got);
	ews_cache_free(cache);
	assert_int_equal(a.refs, 1);
	assert_int_equal(c.refs, 1);
}

static void test_ttl_and_negative(void **state)
{
	val a = { 1, 0 }, n = { 1, 0 };
	ews_cache *cache = NULL;
	val *got;

	(void)state;
	assert_int_equal(ews_cache_new(&cache, 8, retain, release, NULL), 0);
	ews_cache_put(cache, "alice", &a, 0, 300000);     /* CACHE_TTL 300 s */
	ews_cache_put(cache, "nobody", &n, 0, 300000);
	ews_cache_shorten(cache, "nobody", 60000);        /* negative: 60 s */
	ews_cache_shorten(cache, "alice", 900000);        /* never lengthens */
	got = ews_cache_get(cache, "nobody", 59999);
	assert_ptr_equal(got, &n);
	release(got);
	assert_null(ews_cache_get(cache, "nobody", 60000));
	assert_int_equal(n.refs, 1);                      /* dropped */
	got = ews_cache_get(cache, "alice", 299999);
	assert_ptr_equal(got, &a);
	release(got);
	assert_null(ews_cache_get(cache, "alice", 300000));
	assert_int_equal(ews_cache_count(cache), 0);
	ews_cache_free(cache);
}

static void test_expired_evicted_first(void **state)
{
	val a = { 1, 0 }, b = { 1, 0 }, c = { 1, 0 };
	ews_cache *cache = NULL;
	val *got;

	(void)state;
	assert_int_equal(ews_cache_new(&cache, 2, retain, release, NULL), 0);
	ews_cache_put(cache, "a", &a, 0, 100);     /* expires soon */
	ews_cache_put(cache, "b", &b, 0, 10000);
	got = ews_cache_get(cache, "a", 50);       /* a is now the MRU */
	release(got);
	ews_cache_put(cache, "c", &c, 200, 10000); /* a expired: it goes */
	got = ews_cache_get(cache, "b", 300);
	assert_ptr_equal(got, &b);
	release(got);
	assert_int_equal(a.refs, 1);
	ews_cache_free(cache);
}

static void test_reference_outlives_eviction(void **state)
{
	val *a = calloc(1, sizeof(*a)), *held;
	ews_cache *cache = NULL;

	(void)state;
	a->refs = 1;
	assert_int_equal(ews_cache_new(&cache, 4, retain, release, NULL), 0);
	ews_cache_put(cache, "a", a, 0, 1000);
	release(a);                          /* only the cache holds it now */
	held = ews_cache_get(cache, "a", 1);
	ews_cache_clear(cache);
	assert_false(held->freed);           /* the caller's reference */
	release(held);
	assert_true(held->freed);
	free(a);
	ews_cache_free(cache);
}

static void test_replace_and_remove(void **state)
{
	val a = { 1, 0 }, a2 = { 1, 0 };
	ews_cache *cache = NULL;

	(void)state;
	assert_int_equal(ews_cache_new(&cache, 0, retain, release, NULL),
			 ERR_INVAL);
	assert_null(cache);
	assert_int_equal(ews_cache_new(&cache, 4, retain, release, NULL), 0);
	ews_cache_put(cache, "a", &a, 0, 1000);
	ews_cache_put(cache, "a", &a2, 0, 1000);   /* replaces */
	assert_int_equal(a.refs, 1);
	assert_int_equal(ews_cache_count(cache), 1);
	ews_cache_remove(cache, "a", &a);          /* not the current value */
	assert_int_equal(ews_cache_count(cache), 1);
	ews_cache_remove(cache, "a", &a2);
	assert_int_equal(ews_cache_count(cache), 0);
	assert_int_equal(a2.refs, 1);
	ews_cache_free(cache);
	ews_cache_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lru),
		cmocka_unit_test(test_ttl_and_negative),
		cmocka_unit_test(test_expired_evicted_first),
		cmocka_unit_test(test_reference_outlives_eviction),
		cmocka_unit_test(test_replace_and_remove),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
