/* test_seed.c - every example call of the seed document
 * (shared/seed/000_0ed670a333ee7d5a.txt), with its exact arguments, sent to
 * the ews-mcp binary over stdio, against ews-sim loaded with an organisation
 * whose addresses are the seed's own (tests/e2e/seed-org.json). What each
 * call did is checked in the sim, read back as the mailbox owner, not only
 * in the tool's answer. The seed's three error examples are checked word
 * for word, and so is the audit log line it promises. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define SVC "service-account@domain.com"

typedef struct fixture {
	ews_sim *sim;
	e2e_server srv;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	f->sim = e2e_sim_start("tests/e2e/seed-org.json");
	if (!f->sim || e2e_server_start(&f->srv, f->sim, SVC, NULL) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	assert_int_equal(e2e_server_stop(&f->srv), 0); /* clean exit on EOF */
	ews_sim_stop(f->sim);
	free(f);
	return 0;
}

static int contains(const json_t *list, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(list, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return 1;
	return 0;
}

static void expect_success(const json_t *r, const char *mailbox)
{
	assert_non_null(r);
	if (e2e_is_error(r)) {
		char *t = json_dumps(r, JSON_COMPACT);

		fail_msg("unexpected error: %s", t);
	}
	assert_true(json_is_true(json_object_get(json_object_get(r, "structuredContent"),
						 "success")));
	assert_string_equal(e2e_str(r, "mailbox"), mailbox);
}

static void expect_in_folder(fixture *f, const char *user, const char *folder,
			     const char *subject)
{
	json_t *subjects = e2e_folder_subjects(f->sim, user, folder);

	if (!contains(subjects, subject)) {
		char *t = json_dumps(subjects, JSON_COMPACT);

		fail_msg("'%s' not in %s of %s: %s", subject, folder, user, t);
	}
	json_decref(subjects);
}

/* ---- email ------------------------------------------------------------------ */

static void test_read_emails(void **state)
{
	fixture *f = *state;
	json_t *r = e2e_call(&f->srv, "read_emails",
		"{\"folder\":\"inbox\",\"max_results\":10,\"target_mailbox\":\"user@domain.com\"}");
	json_t *emails;

	expect_success(r, "user@domain.com");
	assert_string_equal(e2e_str(r, "message"), "Retrieved 2 emails");
	emails = json_object_get(json_object_get(r, "structuredContent"), "emails");
	assert_int_equal(json_array_size(emails), 2);
	/* newest first */
	assert_string_equal(json_string_value(json_object_get(json_array_get(emails, 0),
							      "subject")), "Lunch on Friday");
	json_decref(r);
}

static void test_send_email(void **state)
{
	fixture *f = *state;
	json_t *r = e2e_call(&f->srv, "send_email",
		"{\"to\":[\"recipient@domain.com\"],\"subject\":\"Hello from shared mailbox\","
		"\"body\":\"<p>This email is sent on behalf of the user.</p>\","
		"\"target_mailbox\":\"shared-mailbox@domain.com\"}");

	expect_success(r, "shared-mailbox@domain.com");
	expect_in_folder(f, "recipient@domain.com", "inbox", "Hello from shared mailbox");
	expect_in_folder(f, "shared-mailbox@domain.com", "sentitems", "Hello from shared mailbox");
	json_decref(r);
}

static char *message_id_of(fixture *f, const char *mailbox, const char *subject)
{
	char args[300];
	json_t *r, *e;
	size_t i;
	char *id = NULL;

	snprintf(args, sizeof(args), "{\"target_mailbox\":\"%s\",\"max_results\":50}", mailbox);
	r = e2e_call(&f->srv, "read_emails", args);
	json_array_foreach(json_object_get(json_object_get(r, "structuredContent"), "emails"), i, e)
		if (strcmp(json_string_value(json_object_get(e, "subject")), subject) == 0)
			id = strdup(json_string_value(json_object_get(e, "message_id")));
	json_decref(r);
	assert_non_null(id);
	return id;
}

static void test_reply_email(void **state)
{
	fixture *f = *state;
	json_t *r;
	char args[2048], *id;

	/* The seed's literal placeholder id is not an Exchange id. */
	r = e2e_call(&f->srv, "reply_email",
		"{\"message_id\":\"AAMkABC123...\",\"body\":\"<p>Reply on behalf of user.</p>\","
		"\"target_mailbox\":\"user@domain.com\"}");
	assert_true(e2e_is_error(r));
	assert_string_equal(e2e_str(r, "mailbox"), "user@domain.com");
	json_decref(r);

	id = message_id_of(f, "user@domain.com", "Quarterly review");
	snprintf(args, sizeof(args), "{\"message_id\":\"%s\",\"body\":\"<p>Reply on behalf of "
		 "user.</p>\",\"target_mailbox\":\"user@domain.com\"}", id);
	r = e2e_call(&f->srv, "reply_email", args);
	expect_success(r, "user@domain.com");
	expect_in_folder(f, "user1@domain.com", "inbox", "RE: Quarterly review");
	expect_in_folder(f, "user@domain.com", "sentitems", "RE: Quarterly review");
	json_decref(r);
	free(id);
}

static void test_forward_email(void **state)
{
	fixture *f = *state;
	json_t *r;
	char args[2048], *id;

	r = e2e_call(&f->srv, "forward_email",
		"{\"message_id\":\"AAMkABC123...\",\"to\":[\"recipient@domain.com\"],"
		"\"body\":\"<p>Please review.</p>\",\"target_mailbox\":\"user@domain.com\"}");
	assert_true(e2e_is_error(r));
	json_decref(r);

	id = message_id_of(f, "user@domain.com", "Lunch on Friday");
	snprintf(args, sizeof(args), "{\"message_id\":\"%s\",\"to\":[\"recipient@domain.com\"],"
		 "\"body\":\"<p>Please review.</p>\",\"target_mailbox\":\"user@domain.com\"}", id);
	r = e2e_call(&f->srv, "forward_email", args);
	expect_success(r, "user@domain.com");
	expect_in_folder(f, "recipient@domain.com", "inbox", "FW: Lunch on Friday");
	json_decref(r);
	free(id);
}

/* ---- calendar ------------------------------------------------------------------ */

static void test_get_calendar(void **state)
{
	fixture *f = *state;
	json_t *r = e2e_call(&f->srv, "get_calendar",
			     "{\"days_ahead\":7,\"target_mailbox\":\"user@domain.com\"}");

	expect_success(r, "user@domain.com");
	assert_true(json_is_array(json_object_get(json_object_get(r, "structuredContent"),
						  "events")));
	json_decref(r);
}

static void test_create_appointment(void **state)
{
	fixture *f = *state;
	json_t *r = e2e_call(&f->srv, "create_appointment",
		"{\"subject\":\"Meeting\",\"start_time\":\"2025-12-15T10:00:00\","
		"\"end_time\":\"2025-12-15T11:00:00\",\"target_mailbox\":\"user@domain.com\"}");

	expect_success(r, "user@domain.com");
	expect_in_folder(f, "user@domain.com", "calendar", "Meeting");
	json_decref(r);
}

static void test_check_availability(void **state)
{
	fixture *f = *state;
	json_t *r = e2e_call(&f->srv, "check_availability",
		"{\"attendees\":[\"user1@domain.com\",\"user2@domain.com\"],"
		"\"start_time\":\"2025-12-15T09:00:00\",\"end_time\":\"2025-12-15T17:00:00\","
		"\"target_mailbox\":\"organizer@domain.com\"}");

	expect_success(r, "organizer@domain.com");
	assert_int_equal(json_array_size(json_object_get(json_object_get(r, "structuredContent"),
							 "availability")), 2);
	json_decref(r);
}

/* ---- contacts, tasks --------------------------------------------------------------- */

static void test_search_contacts(void **state)
{
	fixture *f = *state;
	json_t *r = e2e_call(&f->srv, "search_contacts",
			     "{\"query\":\"John\",\"target_mailbox\":\"user@domain.com\"}");

	expect_success(r, "user@domain.com");
	assert_true(json_array_size(json_object_get(json_object_get(r, "structuredContent"),
						    "contacts")) >= 1);
	json_decref(r);
}

static void test_create_contact(void **state)
{
	fixture *f = *state;
	json_t *r = e2e_call(&f->srv, "create_contact",
		"{\"given_name\":\"John\",\"surname\":\"Doe\",\"email_address\":"
		"\"john.doe@external.com\",\"target_mailbox\":\"user@domain.com\"}");

	expect_success(r, "user@domain.com");
	json_decref(r);
	r = e2e_call(&f->srv, "search_contacts",
		     "{\"query\":\"Doe\",\"target_mailbox\":\"user@domain.com\"}");
	expect_success(r, "user@domain.com");
	assert_int_equal(json_array_size(json_object_get(json_object_get(r, "structuredContent"),
							 "contacts")), 1);
	json_decref(r);
}

static void test_get_tasks(void **state)
{
	fixture *f = *state;
	json_t *r = e2e_call(&f->srv, "get_tasks",
			     "{\"include_completed\":false,\"target_mailbox\":\"user@domain.com\"}");

	expect_success(r, "user@domain.com");
	assert_true(json_array_size(json_object_get(json_object_get(r, "structuredContent"),
						    "tasks")) >= 1);
	json_decref(r);
}

static void test_create_task(void **state)
{
	fixture *f = *state;
	json_t *r = e2e_call(&f->srv, "create_task",
		"{\"subject\":\"Complete report\",\"due_date\":\"2025-12-20\","
		"\"target_mailbox\":\"user@domain.com\"}");

	expect_success(r, "user@domain.com");
	expect_in_folder(f, "user@domain.com", "tasks", "Complete report");
	json_decref(r);
}

/* ---- folders, out-of-office ----------------------------------------------------------- */

static void test_list_folders(void **state)
{
	fixture *f = *state;
	json_t *r = e2e_call(&f->srv, "list_folders",
			     "{\"parent_folder\":\"root\",\"target_mailbox\":\"user@domain.com\"}");
	char *text;

	expect_success(r, "user@domain.com");
	text = json_dumps(json_object_get(r, "structuredContent"), JSON_COMPACT);
	assert_non_null(strstr(text, "\"Inbox\""));
	free(text);
	json_decref(r);
}

static void test_create_folder(void **state)
{
	fixture *f = *state;
	json_t *r = e2e_call(&f->srv, "create_folder",
		"{\"name\":\"Project X\",\"parent_folder\":\"inbox\","
		"\"target_mailbox\":\"user@domain.com\"}");
	char *text;

	expect_success(r, "user@domain.com");
	json_decref(r);
	r = e2e_call(&f->srv, "list_folders",
		     "{\"parent_folder\":\"inbox\",\"target_mailbox\":\"user@domain.com\"}");
	text = json_dumps(json_object_get(r, "structuredContent"), JSON_COMPACT);
	assert_non_null(strstr(text, "\"Project X\""));
	free(text);
	json_decref(r);
}

static void test_oof(void **state)
{
	fixture *f = *state;
	json_t *r;
	char *answer;

	r = e2e_call(&f->srv, "get_oof_settings", "{\"target_mailbox\":\"user@domain.com\"}");
	expect_success(r, "user@domain.com");
	json_decref(r);
	r = e2e_call(&f->srv, "set_oof_settings",
		"{\"state\":\"Scheduled\",\"external_reply\":\"I am out of office.\","
		"\"internal_reply\":\"I am out of office until Monday.\","
		"\"start_time\":\"2025-12-20T00:00:00\",\"end_time\":\"2025-12-27T23:59:59\","
		"\"target_mailbox\":\"user@domain.com\"}");
	expect_success(r, "user@domain.com");
	json_decref(r);

	/* Read back as the user: Scheduled, with the window in UTC (TIMEZONE
	 * is Europe/Berlin, one hour ahead in December). */
	answer = e2e_soap(f->sim, "user@domain.com",
		"<?xml version=\"1.0\" encoding=\"utf-8\"?>"
		"<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" "
		"xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\" "
		"xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\">"
		"<soap:Header><t:RequestServerVersion Version=\"Exchange2016\"/></soap:Header>"
		"<soap:Body><m:GetUserOofSettingsRequest><t:Mailbox><t:Address>user@domain.com"
		"</t:Address></t:Mailbox></m:GetUserOofSettingsRequest></soap:Body></soap:Envelope>");
	assert_non_null(answer);
	assert_non_null(strstr(answer, "Scheduled"));
	assert_non_null(strstr(answer, "2025-12-19T23:00:00"));
	assert_non_null(strstr(answer, "until Monday"));
	free(answer);
}

/* ---- the seed's error examples, word for word ---------------------------------------------- */

static void test_access_denied(void **state)
{
	fixture *f = *state;
	json_t *r = e2e_call(&f->srv, "read_emails", "{\"target_mailbox\":\"outsider@domain.com\"}");

	assert_true(e2e_is_error(r));
	assert_string_equal(e2e_str(r, "error"), "Failed to access mailbox outsider@domain.com: "
			    "The account does not have permission to impersonate the requested user.");
	assert_string_equal(e2e_str(r, "error_type"), "ConnectionError");
	json_decref(r);
}

static void test_mailbox_not_found(void **state)
{
	fixture *f = *state;
	json_t *r = e2e_call(&f->srv, "read_emails",
			     "{\"target_mailbox\":\"nonexistent@domain.com\"}");

	assert_true(e2e_is_error(r));
	assert_string_equal(e2e_str(r, "error"), "Failed to access mailbox nonexistent@domain.com: "
			    "The SMTP address has no mailbox associated with it.");
	assert_string_equal(e2e_str(r, "error_type"), "ConnectionError");
	json_decref(r);
}

static void test_impersonation_not_enabled(void **state)
{
	fixture *f = *state;
	static const char *const off[] = { "EWS_IMPERSONATION_ENABLED=false", NULL };
	e2e_server srv;
	json_t *r;

	assert_int_equal(e2e_server_start(&srv, f->sim, SVC, off), 0);
	r = e2e_call(&srv, "read_emails", "{\"target_mailbox\":\"user@domain.com\"}");
	assert_true(e2e_is_error(r));
	assert_string_equal(e2e_str(r, "error"), "Impersonation not enabled. Set "
			    "EWS_IMPERSONATION_ENABLED=true to access mailbox: user@domain.com");
	assert_string_equal(e2e_str(r, "error_type"), "ConnectionError");
	json_decref(r);
	/* the primary mailbox still works */
	r = e2e_call(&srv, "read_emails", "{}");
	expect_success(r, SVC);
	json_decref(r);
	assert_int_equal(e2e_server_stop(&srv), 0);
}

/* "All impersonation operations are logged with both the service account
 * and target mailbox." */
static void test_audit_line(void **state)
{
	fixture *f = *state;
	char *text = testutil_read_file(f->srv.audit_path, NULL), *line;
	int found = 0;

	assert_non_null(text);
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		json_t *j = json_loads(line, 0, NULL);

		assert_non_null(j);
		if (strcmp(json_string_value(json_object_get(j, "tool")), "send_email") == 0 &&
		    strcmp(json_string_value(json_object_get(j, "service_account")), SVC) == 0 &&
		    strcmp(json_string_value(json_object_get(j, "target_mailbox")),
			   "shared-mailbox@domain.com") == 0 &&
		    strcmp(json_string_value(json_object_get(j, "access_type")), "impersonation") == 0)
			found = 1;
		/* bodies never reach the audit log */
		assert_null(strstr(line, "sent on behalf of the user"));
		json_decref(j);
	}
	free(text);
	assert_true(found);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_emails),
		cmocka_unit_test(test_send_email),
		cmocka_unit_test(test_reply_email),
		cmocka_unit_test(test_forward_email),
		cmocka_unit_test(test_get_calendar),
		cmocka_unit_test(test_create_appointment),
		cmocka_unit_test(test_check_availability),
		cmocka_unit_test(test_search_contacts),
		cmocka_unit_test(test_create_contact),
		cmocka_unit_test(test_get_tasks),
		cmocka_unit_test(test_create_task),
		cmocka_unit_test(test_list_folders),
		cmocka_unit_test(test_create_folder),
		cmocka_unit_test(test_oof),
		cmocka_unit_test(test_access_denied),
		cmocka_unit_test(test_mailbox_not_found),
		cmocka_unit_test(test_impersonation_not_enabled),
		cmocka_unit_test(test_audit_line),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
