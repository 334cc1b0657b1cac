/* test_auto.c - EWS_IMPERSONATION_TYPE=auto end to end, on the demo
 * organisation: the service account may impersonate Sales (alice, bob),
 * is a delegate of carol (Inbox Reviewer, Calendar Editor, send on
 * behalf) and has no access to dave.
 *   - alice is reached by impersonation with no request more than in
 *     impersonation mode;
 *   - carol's first call is refused impersonation, then made as a
 *     delegate: one refused request more, once; her next calls cost what
 *     they cost in delegate mode;
 *   - a write through that first contact lands once (the refused request
 *     executed nothing);
 *   - dave's refusal says both ways were refused. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define SVC "svc-mcp@contoso.test"

static long long http_requests(ews_sim *sim)
{
	json_t *st = e2e_sim_stats(sim);
	long long n = json_integer_value(json_object_get(json_object_get(st, "http"),
							 "requests"));

	json_decref(st);
	return n;
}

static long long writes_in(ews_sim *sim, const char *mailbox)
{
	json_t *st = e2e_sim_stats(sim);
	long long n = json_integer_value(json_object_get(json_object_get(json_object_get(
		json_object_get(st, "writes"), "by_mailbox"), mailbox), "executed"));

	json_decref(st);
	return n;
}

/* Requests one call of tool costs against a server of the given mode. */
static long long cost(ews_sim *sim, e2e_server *s, const char *tool, const char *args,
		      int want_ok)
{
	long long before = http_requests(sim);
	json_t *r = e2e_call(s, tool, args);

	assert_non_null(r);
	if (want_ok && e2e_is_error(r)) {
		char *t = json_dumps(r, JSON_COMPACT);

		fail_msg("%s %s: %s", tool, args, t);
	}
	json_decref(r);
	return http_requests(sim) - before;
}

static void test_auto_per_mailbox(void **state)
{
	static const char *const auto_mode[] = { "EWS_IMPERSONATION_TYPE=auto", NULL };
	static const char *const imp_mode[] = { "EWS_IMPERSONATION_TYPE=impersonation", NULL };
	static const char *const del_mode[] = { "EWS_IMPERSONATION_TYPE=delegate", NULL };
	static const char alice_read[] = "{\"max_results\":3,\"target_mailbox\":\"alice@contoso.test\"}";
	static const char carol_cal[] = "{\"days_ahead\":30,\"target_mailbox\":\"carol@contoso.test\"}";
	ews_sim *sim = e2e_sim_start("sim/orgs/demo.json");
	e2e_server a, imp, del;
	long long in_imp, in_auto, del_first, del_next, auto_first, auto_next;
	const char *msg;
	json_t *r;

	(void)state;
	assert_non_null(sim);
	assert_int_equal(e2e_server_start(&imp, sim, SVC, imp_mode), 0);
	assert_int_equal(e2e_server_start(&del, sim, SVC, del_mode), 0);
	assert_int_equal(e2e_server_start(&a, sim, SVC, auto_mode), 0);

	/* impersonation where granted: not one request more */
	in_imp = cost(sim, &imp, "read_emails", alice_read, 1);
	in_auto = cost(sim, &a, "read_emails", alice_read, 1);
	assert_int_equal(in_auto, in_imp);

	/* delegate access where it is not: the first answer decides */
	del_first = cost(sim, &del, "get_calendar", carol_cal, 1);
	del_next = cost(sim, &del, "get_calendar", carol_cal, 1);
	auto_first = cost(sim, &a, "get_calendar", carol_cal, 1);
	auto_next = cost(sim, &a, "get_calendar", carol_cal, 1);
	assert_int_equal(auto_first, del_first + 1);  /* the one refusal */
	assert_int_equal(auto_next, del_next);        /* decided, cached */

	/* a write on first contact lands once */
	assert_int_equal(e2e_server_stop(&a), 0);
	assert_int_equal(e2e_server_start(&a, sim, SVC, auto_mode), 0);
	{
		long long before = writes_in(sim, "carol@contoso.test");

		r = e2e_call(&a, "create_appointment", "{\"subject\":\"Budget review\","
			     "\"start_time\":\"2027-02-03T10:00:00\",\"end_time\":\"2027-02-03T11:00:00\","
			     "\"target_mailbox\":\"carol@contoso.test\"}");
		assert_non_null(r);
		assert_false(e2e_is_error(r));
		assert_string_equal(e2e_str(r, "mailbox"), "carol@contoso.test");
		json_decref(r);
		assert_int_equal(writes_in(sim, "carol@contoso.test") - before, 1);
	}

	/* a delegate refusal names the folder, the right and who grants it */
	{
		static const struct {
			const char *tool, *args, *needle;
		} rows[] = {
			{ "get_tasks", "{\"target_mailbox\":\"carol@contoso.test\"}",
			  "needs at least Reviewer on the Tasks folder to read it" },
			{ "create_task", "{\"subject\":\"x\",\"target_mailbox\":\"carol@contoso.test\"}",
			  "needs at least Author on the Tasks folder" },
			{ "create_contact", "{\"given_name\":\"A\",\"surname\":\"B\",\"email_address\":"
			  "\"a@b.test\",\"target_mailbox\":\"carol@contoso.test\"}",
			  "needs at least Author on the Contacts folder" },
			{ "create_folder", "{\"folder_name\":\"x\",\"parent_folder\":\"Inbox\","
			  "\"target_mailbox\":\"carol@contoso.test\"}",
			  "PublishingAuthor on the Inbox folder" },
		};
		size_t i;

		for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
			r = e2e_call(&del, rows[i].tool, rows[i].args);
			assert_non_null(r);
			assert_true(e2e_is_error(r));
			msg = e2e_str(r, "error");
			if (!msg || !strstr(msg, rows[i].needle) ||
			    !strstr(msg, "Add-MailboxFolderPermission -Identity \"carol@contoso.test:") ||
			    strstr(msg, ".."))
				fail_msg("%s: %s", rows[i].tool, msg ? msg : "(no error)");
			json_decref(r);
		}
	}

	/* neither way: the error says both were tried */
	r = e2e_call(&a, "read_emails", "{\"target_mailbox\":\"dave@contoso.test\"}");
	assert_non_null(r);
	assert_true(e2e_is_error(r));
	msg = e2e_str(r, "error");
	assert_non_null(msg);
	if (!strstr(msg, "impersonation was refused too"))
		fail_msg("dave: %s", msg);
	json_decref(r);

	assert_int_equal(e2e_server_stop(&a), 0);
	assert_int_equal(e2e_server_stop(&imp), 0);
	assert_int_equal(e2e_server_stop(&del), 0);
	ews_sim_stop(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_auto_per_mailbox),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
