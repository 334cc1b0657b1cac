/* test_retry.c - the retry decision table (src/ews/retry.c): reads vs
 * writes for every failure kind, the budget, server hints and the single
 * OAuth refresh. The rule under test: a write is repeated only after an
 * answer that proves Exchange did not execute it. */
#include "testutil.h"

#include "ews/retry.h"
#include "core/errinfo.h"

enum { NO = 0, YES = 1 };

static const struct {
	ews_op_kind kind;
	ews_failure failure;
	int sent;
	int retry;
	int code;        /* when not retrying */
} table[] = {
	{ EWS_OP_READ, EWS_FAIL_NONE, 1, NO, 0 },
	{ EWS_OP_WRITE, EWS_FAIL_NONE, 1, NO, 0 },
	{ EWS_OP_READ, EWS_FAIL_CONNECT, 0, YES, 0 },
	{ EWS_OP_WRITE, EWS_FAIL_CONNECT, 0, YES, 0 },
	{ EWS_OP_READ, EWS_FAIL_SERVER_BUSY, 1, YES, 0 },
	{ EWS_OP_WRITE, EWS_FAIL_SERVER_BUSY, 1, YES, 0 },
	{ EWS_OP_READ, EWS_FAIL_HTTP_503, 1, YES, 0 },
	{ EWS_OP_WRITE, EWS_FAIL_HTTP_503, 1, YES, 0 },
	{ EWS_OP_READ, EWS_FAIL_HTTP_429, 1, YES, 0 },
	{ EWS_OP_WRITE, EWS_FAIL_HTTP_429, 1, YES, 0 },
	{ EWS_OP_READ, EWS_FAIL_AUTH_TOKEN, 1, YES, 0 },
	{ EWS_OP_WRITE, EWS_FAIL_AUTH_TOKEN, 1, YES, 0 },
	{ EWS_OP_READ, EWS_FAIL_AUTH_PASSWORD, 1, NO, ERR_AUTH },
	{ EWS_OP_WRITE, EWS_FAIL_AUTH_PASSWORD, 1, NO, ERR_AUTH },
	{ EWS_OP_READ, EWS_FAIL_TIMEOUT, 1, YES, 0 },
	{ EWS_OP_WRITE, EWS_FAIL_TIMEOUT, 1, NO, ERR_OUTCOME_UNKNOWN },
	{ EWS_OP_READ, EWS_FAIL_RESET, 1, YES, 0 },
	{ EWS_OP_WRITE, EWS_FAIL_RESET, 1, NO, ERR_OUTCOME_UNKNOWN },
	{ EWS_OP_READ, EWS_FAIL_TRUNCATED, 1, YES, 0 },
	{ EWS_OP_WRITE, EWS_FAIL_TRUNCATED, 1, NO, ERR_OUTCOME_UNKNOWN },
	{ EWS_OP_READ, EWS_FAIL_GATEWAY, 1, YES, 0 },
	{ EWS_OP_WRITE, EWS_FAIL_GATEWAY, 1, NO, ERR_OUTCOME_UNKNOWN },
	{ EWS_OP_READ, EWS_FAIL_TRANSIENT, 1, YES, 0 },
	{ EWS_OP_WRITE, EWS_FAIL_TRANSIENT, 1, NO, 0 },
	{ EWS_OP_READ, EWS_FAIL_CANCELLED, 1, NO, ERR_CANCELLED },
	{ EWS_OP_WRITE, EWS_FAIL_CANCELLED, 0, NO, ERR_CANCELLED },
	{ EWS_OP_WRITE, EWS_FAIL_CANCELLED, 1, NO, ERR_OUTCOME_UNKNOWN },
};

static void test_table(void **state)
{
	ews_retry_policy p = EWS_RETRY_POLICY_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		ews_retry_state st = { 0, 0, 0, table[i].sent };
		ews_retry_decision d = ews_retry_decide(&p, table[i].kind,
							table[i].failure, &st, 0);

		if (d.retry != table[i].retry ||
		    (!d.retry && d.code != table[i].code))
			fail_msg("%s %s: retry=%d code=%d, want retry=%d code=%d",
				 table[i].kind == EWS_OP_READ ? "read" : "write",
				 ews_failure_name(table[i].failure), d.retry,
				 d.code, table[i].retry, table[i].code);
	}
}

static void test_budget(void **state)
{
	ews_retry_policy p = EWS_RETRY_POLICY_INIT;  /* 2 retries, 10 s */
	ews_retry_state st = { 0, 0, 0, 1 };
	ews_retry_decision d;

	(void)state;
	/* exponential: 500, 1000 ms */
	d = ews_retry_decide(&p, EWS_OP_READ, EWS_FAIL_RESET, &st, 0);
	assert_true(d.retry);
	assert_int_equal(d.wait_ms, 500);
	st.retries = 1;
	st.waited_ms = 500;
	d = ews_retry_decide(&p, EWS_OP_READ, EWS_FAIL_RESET, &st, 0);
	assert_true(d.retry);
	assert_int_equal(d.wait_ms, 1000);
	/* out of retries */
	st.retries = 2;
	d = ews_retry_decide(&p, EWS_OP_READ, EWS_FAIL_RESET, &st, 0);
	assert_false(d.retry);
	assert_int_equal(d.code, ERR_TRANSIENT);
	/* the server's hint wins over the schedule... */
	st.retries = 0;
	st.waited_ms = 0;
	d = ews_retry_decide(&p, EWS_OP_WRITE, EWS_FAIL_SERVER_BUSY, &st, 3000);
	assert_true(d.retry);
	assert_int_equal(d.wait_ms, 3000);
	/* ...and a hint longer than the budget fails at once, throttled */
	d = ews_retry_decide(&p, EWS_OP_READ, EWS_FAIL_SERVER_BUSY, &st, 30000);
	assert_false(d.retry);
	assert_int_equal(d.code, ERR_THROTTLED);
	st.waited_ms = 9000;
	d = ews_retry_decide(&p, EWS_OP_READ, EWS_FAIL_HTTP_503, &st, 2000);
	assert_false(d.retry);
	assert_int_equal(d.code, ERR_THROTTLED);
}

static void test_single_token_refresh(void **state)
{
	ews_retry_policy p = EWS_RETRY_POLICY_INIT;
	ews_retry_state st = { 2, 9999, 0, 1 };
	ews_retry_decision d;

	(void)state;
	/* a refresh does not count against retries or wait */
	d = ews_retry_decide(&p, EWS_OP_WRITE, EWS_FAIL_AUTH_TOKEN, &st, 0);
	assert_true(d.retry);
	assert_true(d.refresh_token);
	assert_int_equal(d.wait_ms, 0);
	st.token_refreshed = 1;
	d = ews_retry_decide(&p, EWS_OP_WRITE, EWS_FAIL_AUTH_TOKEN, &st, 0);
	assert_false(d.retry);
	assert_int_equal(d.code, ERR_AUTH);
}

static void test_no_retries_policy(void **state)
{
	ews_retry_policy p = { 0, 0, 500 };
	ews_retry_state st = { 0, 0, 0, 0 };
	ews_retry_decision d;

	(void)state;
	d = ews_retry_decide(&p, EWS_OP_READ, EWS_FAIL_CONNECT, &st, 0);
	assert_false(d.retry);
	assert_int_equal(d.code, ERR_IO);
	assert_string_equal(ews_failure_name(EWS_FAIL_SERVER_BUSY), "server_busy");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_single_token_refresh),
		cmocka_unit_test(test_no_retries_policy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
