/* test_gate.c - per-key concurrency caps and back-off windows
 * (src/ews/gate.c): a busy key never exceeds its limit, other keys are
 * not held up by it, waiting ends on cancellation or after the timeout,
 * and a back-off hint is remembered per key. */
#include "testutil.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

#include "ews/gate.h"

typedef struct worker {
	ews_gate *gate;
	const char *key;
	atomic_int *in_flight;
	atomic_int *max_seen;
	int rc;
} worker;

static void *run(void *arg)
{
	worker *w = arg;
	struct timespec ts = { 0, 20 * 1000000L };
	int i;

	for (i = 0; i < 3; i++) {
		int now;

		w->rc = ews_gate_enter(w->gate, w->key, NULL, 5000, "mailbox x",
				       NULL);
		if (w->rc != 0)
			return NULL;
		now = atomic_fetch_add(w->in_flight, 1) + 1;
		for (int seen = atomic_load(w->max_seen); now > seen;
		     seen = atomic_load(w->max_seen))
			atomic_compare_exchange_weak(w->max_seen, &seen, now);
		nanosleep(&ts, NULL);
		atomic_fetch_sub(w->in_flight, 1);
		ews_gate_leave(w->gate, w->key);
	}
	return NULL;
}

static void test_cap_per_key(void **state)
{
	atomic_int busy = 0, busy_max = 0, other = 0, other_max = 0;
	ews_gate *g = NULL;
	pthread_t th[8];
	worker w[8];
	int i;

	(void)state;
	assert_int_equal(ews_gate_new(&g, 2, NULL), 0);
	for (i = 0; i < 8; i++) {
		int is_busy = i < 6;

		w[i].gate = g;
		w[i].key = is_busy ? "busy@contoso.test" : "calm@contoso.test";
		w[i].in_flight = is_busy ? &busy : &other;
		w[i].max_seen = is_busy ? &busy_max : &other_max;
		w[i].rc = -1;
		pthread_create(&th[i], NULL, run, &w[i]);
	}
	for (i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(w[i].rc, 0);
	}
	assert_int_equal(atomic_load(&busy_max), 2);
	assert_true(atomic_load(&other_max) <= 2);
	assert_int_equal(ews_gate_in_flight(g, "busy@contoso.test"), 0);
	ews_gate_free(g);
}

static void test_timeout_and_cancel(void **state)
{
	ews_gate *g = NULL;
	errinfo err = ERRINFO_INIT;
	atomic_int cancel = 1;

	(void)state;
	assert_int_equal(ews_gate_new(&g, 1, NULL), 0);
	assert_int_equal(ews_gate_enter(g, "k", NULL, 1000, "mailbox k", NULL), 0);
	assert_int_equal(ews_gate_in_flight(g, "k"), 1);
	assert_int_equal(ews_gate_enter(g, "k", NULL, 150, "mailbox k", &err),
			 ERR_LIMIT);
	assert_non_null(strstr(err.msg, "mailbox k already has 1 requests"));
	errinfo_clear(&err);
	assert_int_equal(ews_gate_enter(g, "k", &cancel, 5000, "mailbox k", &err),
			 ERR_CANCELLED);
	/* another key is not affected */
	assert_int_equal(ews_gate_enter(g, "j", &cancel, 5000, "mailbox j", NULL),
			 0);
	ews_gate_leave(g, "j");
	ews_gate_leave(g, "k");
	assert_int_equal(ews_gate_in_flight(g, "k"), 0);
	ews_gate_free(g);
	assert_int_equal(ews_gate_new(&g, 0, &err), ERR_INVAL);
	assert_null(g);
}

static void test_backoff(void **state)
{
	ews_gate *g = NULL;
	long long now = ews_now_ms();

	(void)state;
	assert_int_equal(ews_gate_new(&g, 4, NULL), 0);
	assert_int_equal(ews_gate_backoff_left(g, "svc", now), 0);
	ews_gate_backoff(g, "svc", now + 30000);
	ews_gate_backoff(g, "svc", now + 1000);   /* shorter: ignored */
	assert_int_equal(ews_gate_backoff_left(g, "svc", now), 30000);
	assert_int_equal(ews_gate_backoff_left(g, "svc", now + 29000), 1000);
	assert_int_equal(ews_gate_backoff_left(g, "other", now), 0);
	assert_int_equal(ews_gate_backoff_left(g, "svc", now + 30000), 0);
	ews_gate_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cap_per_key),
		cmocka_unit_test(test_timeout_and_cancel),
		cmocka_unit_test(test_backoff),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
