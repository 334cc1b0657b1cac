/* test_args.c - arguments as assistants really send them, through the
 * real binary against ews-sim: null for "not given", display names on
 * addresses (and no header injection through them), dates that are not
 * dates, whole numbers written 5.0, and refusals by the schema shaped
 * like every other failure. What was delivered is checked in the sim. */
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

	assert_int_equal(e2e_server_stop(&f->srv), 0);
	ews_sim_stop(f->sim);
	free(f);
	return 0;
}

static json_t *call(fixture *f, const char *tool, const char *args)
{
	json_t *r = e2e_call(&f->srv, tool, args);

	assert_non_null(r);
	return r;
}

static json_t *ok_call(fixture *f, const char *tool, const char *args)
{
	json_t *r = call(f, tool, args);

	if (e2e_is_error(r))
		fail_msg("%s %s: %s", tool, args, e2e_str(r, "error"));
	return r;
}

/* The failure of a call, which must name what; returns its message. */
static void refused(fixture *f, const char *tool, const char *args, const char *want)
{
	json_t *r = call(f, tool, args);
	const char *msg = e2e_str(r, "error");

	if (!e2e_is_error(r))
		fail_msg("%s %s: accepted", tool, args);
	if (!msg || !strstr(msg, want))
		fail_msg("%s %s:\n got  %s\n want ...%s...", tool, args, msg ? msg : "(none)", want);
	json_decref(r);
}

/* structuredContent.key is the string want (cmocka's string check does
 * not take NULL). */
static void field_is(const json_t *r, const char *key, const char *want)
{
	const char *got = e2e_str(r, key);

	if (!got || strcmp(got, want) != 0)
		fail_msg("%s: got %s, want %s", key, got ? got : "(none)", want);
}

static const json_t *sc(const json_t *r, const char *key)
{
	return json_object_get(json_object_get(r, "structuredContent"), key);
}

static int has_subject(fixture *f, const char *user, const char *folder, const char *subject)
{
	json_t *subjects = e2e_folder_subjects(f->sim, user, folder), *v;
	size_t i;
	int found = 0;

	json_array_foreach(subjects, i, v)
		if (strstr(json_string_value(v), subject))
			found = 1;
	json_decref(subjects);
	return found;
}

/* ---- 1. null is "not given" ---- */

static void test_null_means_not_given(void **state)
{
	fixture *f = *state;
	json_t *r;

	r = ok_call(f, "read_emails", "{\"folder\":null,\"max_results\":null,\"offset\":null,"
		    "\"unread_only\":null,\"include_body\":null,\"format\":null,"
		    "\"trim_quoted\":null,\"target_mailbox\":null}");
	field_is(r, "mailbox", SVC);
	field_is(r, "folder", "inbox");
	json_decref(r);

	r = ok_call(f, "send_email", "{\"to\":[\"recipient@domain.com\"],\"subject\":\"Nulls are absent\","
		    "\"body\":\"hi\",\"cc\":null,\"bcc\":null,\"importance\":null,\"body_format\":null,"
		    "\"attachments\":null,\"inline_attachments\":null,\"dry_run\":null,"
		    "\"idempotency_key\":null,\"target_mailbox\":null}");
	json_decref(r);
	assert_true(has_subject(f, "recipient@domain.com", "inbox", "Nulls are absent"));

	r = ok_call(f, "create_appointment", "{\"subject\":\"Null extras\","
		    "\"start_time\":\"2025-12-18T10:00\",\"end_time\":\"2025-12-18T11:00\","
		    "\"location\":null,\"body\":null,\"attendees\":null,\"optional_attendees\":null,"
		    "\"is_all_day\":null,\"reminder_minutes\":null,\"categories\":null}");
	json_decref(r);
	assert_true(has_subject(f, SVC, "calendar", "Null extras"));

	/* A required one given as null is refused, naming it, and nothing goes out. */
	refused(f, "send_email", "{\"to\":[\"recipient@domain.com\"],\"subject\":null,"
		"\"body\":\"Null subject body\"}", "subject: is required");
	refused(f, "create_appointment", "{\"subject\":\"No start\",\"start_time\":null,"
		"\"end_time\":\"2025-12-18T11:00\"}", "start_time: is required");
	assert_false(has_subject(f, SVC, "calendar", "No start"));
}

/* ---- 2. display names on addresses ---- */

static void test_display_names(void **state)
{
	fixture *f = *state;
	json_t *r;

	r = ok_call(f, "send_email", "{\"to\":[\"Rita Recipient <recipient@domain.com>\"],"
		    "\"cc\":\"\\\"One, User\\\" <user1@domain.com>; User Two <USER2@domain.com>\","
		    "\"subject\":\"Display names\",\"body\":\"hi\"}");
	json_decref(r);
	assert_true(has_subject(f, "recipient@domain.com", "inbox", "Display names"));
	assert_true(has_subject(f, "user1@domain.com", "inbox", "Display names"));
	assert_true(has_subject(f, "user2@domain.com", "inbox", "Display names"));

	r = ok_call(f, "read_emails", "{\"target_mailbox\":\"Una User <user@domain.com>\"}");
	field_is(r, "mailbox", "user@domain.com");
	json_decref(r);

	r = ok_call(f, "create_appointment", "{\"subject\":\"Named attendees\","
		    "\"start_time\":\"2025-12-19T10:00\",\"end_time\":\"2025-12-19T11:00\","
		    "\"attendees\":[\"\\\"Recipient, Rita\\\" <recipient@domain.com>\"],"
		    "\"optional_attendees\":\"User One <user1@domain.com>\"}");
	json_decref(r);
	assert_true(has_subject(f, "recipient@domain.com", "calendar", "Named attendees"));
	assert_true(has_subject(f, "user1@domain.com", "calendar", "Named attendees"));

	r = ok_call(f, "check_availability", "{\"email_addresses\":[\"User Two <user2@domain.com>\"],"
		    "\"start_time\":\"2025-12-19T09:00\",\"end_time\":\"2025-12-19T12:00\"}");
	json_decref(r);

	r = ok_call(f, "create_contact", "{\"given_name\":\"Otto\",\"surname\":\"Outsider\","
		    "\"email_address\":\"Otto Outsider <otto@elsewhere.test>\"}");
	json_decref(r);

	/* A line break in a display name would start a new header: refused,
	 * naming the field and the index, and nobody gets anything. */
	refused(f, "send_email", "{\"to\":[\"recipient@domain.com\",\"Rita <recipient@domain.com>\\r\\n"
		"Bcc: outsider@domain.com\"],\"subject\":\"Injected\",\"body\":\"x\"}",
		"to[1] 'Rita <recipient@domain.com>\\x0d\\x0aBcc: outsider@domain.com': is not a "
		"valid SMTP address (contains a line break)");
	refused(f, "send_email", "{\"to\":[\"\\\"Rita\\nBcc: outsider@domain.com\\\" <recipient@domain.com>\"],"
		"\"subject\":\"Injected\",\"body\":\"x\"}", "to[0] '\"Rita\\x0aBcc: outsider@domain.com\"");
	refused(f, "send_email", "{\"to\":[\"recipient@domain.com\"],\"cc\":[\"user1@domain.com\","
		"\"Bob <bob>\"],\"subject\":\"Injected\",\"body\":\"x\"}",
		"cc[1] 'bob': is not a valid SMTP address (no '@')");
	refused(f, "create_appointment", "{\"subject\":\"Injected\",\"start_time\":\"2025-12-19T10:00\","
		"\"end_time\":\"2025-12-19T11:00\",\"attendees\":[\"Rita <recipient@domain.com\"]}",
		"attendees[0] 'Rita <recipient@domain.com': is not a valid SMTP address");
	refused(f, "read_emails", "{\"target_mailbox\":\"Una <user@domain.com>\\nX: y\"}",
		"target_mailbox 'Una <user@domain.com>\\x0aX: y': is not a valid SMTP address "
		"(contains a line break)");
	assert_false(has_subject(f, "outsider@domain.com", "inbox", "Injected"));
	assert_false(has_subject(f, "recipient@domain.com", "inbox", "Injected"));
	assert_false(has_subject(f, "user1@domain.com", "inbox", "Injected"));
	assert_false(has_subject(f, SVC, "calendar", "Injected"));
}

/* ---- 3. every date field names the accepted forms ---- */

static void test_date_errors(void **state)
{
	static const struct { const char *tool, *field, *others; } fields[] = {
		{ "get_calendar", "start_date", "" },
		{ "get_calendar", "end_date", "" },
		{ "create_appointment", "start_time",
		  "\"subject\":\"Bad date\",\"end_time\":\"2025-12-20T11:00\"," },
		{ "create_appointment", "end_time",
		  "\"subject\":\"Bad date\",\"start_time\":\"2025-12-20T10:00\"," },
		{ "check_availability", "start_time",
		  "\"attendees\":[\"user1@domain.com\"],\"end_time\":\"2025-12-20T11:00\"," },
		{ "check_availability", "end_time",
		  "\"attendees\":[\"user1@domain.com\"],\"start_time\":\"2025-12-20T10:00\"," },
		{ "create_task", "due_date", "\"subject\":\"Bad date\"," },
		{ "create_task", "start_date", "\"subject\":\"Bad date\"," },
		{ "set_oof_settings", "start_time", "\"state\":\"Scheduled\"," },
		{ "set_oof_settings", "end_time", "\"state\":\"Scheduled\"," },
	};
	static const char *const bad[] = {
		"\"tomorrow\"", "\"\"", "\"next week at 10\"", "12345", "true", "[\"2025-12-20\"]",
		"\"2025-02-30\"", "\"20/12/2025\"", "\"2025-12-20T10:00:00+25:00\"",
		"\"2025-12-20 at ten o'clock in the morning, local time, please, thank you\"",
	};
	fixture *f = *state;
	size_t i, j;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		for (j = 0; j < sizeof(bad) / sizeof(bad[0]); j++) {
			char args[512], field[64];
			json_t *r;
			const char *msg;

			snprintf(args, sizeof(args), "{%s\"%s\":%s}", fields[i].others, fields[i].field,
				 bad[j]);
			snprintf(field, sizeof(field), "%s: ", fields[i].field);
			r = call(f, fields[i].tool, args);
			msg = e2e_str(r, "error");
			if (!e2e_is_error(r) || !msg || !strstr(msg, field) ||
			    !strstr(msg, "accepted forms: YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] (local time in ") ||
			    !strstr(msg, "with Z or +HH:MM") || strstr(msg, "at least"))
				fail_msg("%s %s: %s", fields[i].tool, args, msg ? msg : "(accepted)");
			json_decref(r);
		}
	}
	/* The tool names the zone naive times are read in. */
	refused(f, "get_calendar", "{\"start_date\":\"tomorrow\"}",
		"start_date: 'tomorrow' is not an ISO-8601 date-time: the date must be YYYY-MM-DD; "
		"accepted forms: YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] (local time in Europe/Berlin, "
		"the server's TIMEZONE), or YYYY-MM-DDTHH:MM[:SS] with Z or +HH:MM");
	assert_false(has_subject(f, SVC, "calendar", "Bad date"));
	assert_false(has_subject(f, SVC, "tasks", "Bad date"));
}

/* ---- 4. 5.0 is an integer, for the schema and the tools alike ---- */

static void test_whole_numbers(void **state)
{
	fixture *f = *state;
	json_t *r;

	r = ok_call(f, "read_emails", "{\"max_results\":1.0,\"offset\":0.0}");
	assert_true(json_array_size(sc(r, "emails")) <= 1);
	json_decref(r);
	r = ok_call(f, "get_calendar", "{\"days_ahead\":7.0,\"max_results\":10.0}");
	json_decref(r);
	r = ok_call(f, "create_appointment", "{\"subject\":\"Whole minutes\","
		    "\"start_time\":\"2025-12-21T10:00\",\"end_time\":\"2025-12-21T11:00\","
		    "\"reminder_minutes\":15.0}");
	json_decref(r);
	r = ok_call(f, "check_availability", "{\"attendees\":[\"user1@domain.com\"],"
		    "\"start_time\":\"2025-12-21T09:00\",\"end_time\":\"2025-12-21T12:00\","
		    "\"interval_minutes\":60.0}");
	json_decref(r);
	r = ok_call(f, "list_folders", "{\"depth\":2.0}");
	json_decref(r);
	r = ok_call(f, "get_tasks", "{\"max_results\":5e0}");
	json_decref(r);
	/* A fraction is refused by the schema, naming the field. */
	refused(f, "read_emails", "{\"max_results\":1.5}",
		"Invalid arguments for read_emails: max_results: expected integer, got number");
}

/* ---- 5. schema refusals are shaped like every other failure ---- */

static void test_refusal_envelope(void **state)
{
	fixture *f = *state;
	json_t *r, *tool_fail;

	r = call(f, "read_emails", "{\"max_results\":\"ten\"}");
	assert_true(e2e_is_error(r));
	field_is(r, "error_code", "invalid_input");
	field_is(r, "error_type", "ValidationError");
	field_is(r, "mailbox", SVC);
	assert_true(json_is_false(sc(r, "is_retryable")));
	assert_true(json_is_false(sc(r, "success")));
	/* the same fields as a failure the tool itself finds */
	tool_fail = call(f, "read_emails", "{\"folder\":\"No such folder anywhere\"}");
	assert_true(e2e_is_error(tool_fail));
	{
		const char *key;
		json_t *v;

		json_object_foreach(json_object_get(tool_fail, "structuredContent"), key, v)
			if (strcmp(key, "ews_code") != 0 && strcmp(key, "retry_after_ms") != 0 &&
			    !sc(r, key))
				fail_msg("a schema refusal lacks %s", key);
	}
	json_decref(tool_fail);
	json_decref(r);

	r = call(f, "send_email", "{\"to\":[\"recipient@domain.com\"],\"subject\":\"x\","
		 "\"target_mailbox\":\"user@domain.com\"}");
	assert_true(e2e_is_error(r));
	assert_non_null(strstr(e2e_str(r, "error"), "body: is required"));
	field_is(r, "error_type", "ValidationError");
	field_is(r, "mailbox", "user@domain.com");
	json_decref(r);

	r = call(f, "get_calendar", "{\"bogus\":1,\"target_mailbox\":\"   \"}");
	assert_true(e2e_is_error(r));
	field_is(r, "error_type", "ValidationError");
	field_is(r, "mailbox", SVC);
	json_decref(r);
}

/* ---- messages that show cut user text keep their "error" ---- */

/* A bad address is shown cut at 80 bytes, which can split a UTF-8
 * sequence; the failure must still carry its message. */
static void test_cut_text_in_messages(void **state)
{
	fixture *f = *state;
	char args[512], local[100];

	memset(local, 'a', 79);
	local[79] = '\0';
	snprintf(args, sizeof(args), "{\"target_mailbox\":\"%s\u00e9@domain.com\"}", local);
	refused(f, "read_emails", args, "target_mailbox '");
	snprintf(args, sizeof(args), "{\"to\":[\"recipient@domain.com\",\"B\u00f6b <%s\u00e9@domain.com>\"],"
		 "\"subject\":\"Cut\",\"body\":\"x\"}", local);
	refused(f, "send_email", args, "to[1] 'aaaa");
	assert_false(has_subject(f, "recipient@domain.com", "inbox", "Cut"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_null_means_not_given),
		cmocka_unit_test(test_display_names),
		cmocka_unit_test(test_date_errors),
		cmocka_unit_test(test_whole_numbers),
		cmocka_unit_test(test_refusal_envelope),
		cmocka_unit_test(test_cut_text_in_messages),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
