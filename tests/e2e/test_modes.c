/* test_modes.c - ews-mcp end to end in every access mode, and the ways a
 * call can be wrong: delegate access with and without the folder right,
 * sends as a delegate (From = owner, Sender = us, copy in the owner's Sent
 * Items), the primary mailbox addressed explicitly, bad input of every kind
 * (nothing is sent: /sim/stats proves it), dry runs and idempotency keys. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define SVC "service-account@domain.com"

typedef struct fixture {
	ews_sim *sim;
	e2e_server imp;   /* EWS_IMPERSONATION_TYPE=impersonation */
	e2e_server del;   /* EWS_IMPERSONATION_TYPE=delegate */
} fixture;

static int setup(void **state)
{
	static const char *const delegate[] = { "EWS_IMPERSONATION_TYPE=delegate", NULL };
	fixture *f = calloc(1, sizeof(*f));

	f->sim = e2e_sim_start("tests/e2e/seed-org.json");
	if (!f->sim || e2e_server_start(&f->imp, f->sim, SVC, NULL) < 0 ||
	    e2e_server_start(&f->del, f->sim, SVC, delegate) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	assert_int_equal(e2e_server_stop(&f->imp), 0);
	assert_int_equal(e2e_server_stop(&f->del), 0);
	ews_sim_stop(f->sim);
	free(f);
	return 0;
}

static long messages_sent(fixture *f)
{
	json_t *stats = e2e_sim_stats(f->sim);
	long n = (long)json_integer_value(json_object_get(stats, "messages_sent"));

	json_decref(stats);
	return n;
}

static size_t count_subject(fixture *f, const char *user, const char *folder,
			    const char *subject)
{
	json_t *subjects = e2e_folder_subjects(f->sim, user, folder), *v;
	size_t i, n = 0;

	json_array_foreach(subjects, i, v)
		if (strcmp(json_string_value(v), subject) == 0)
			n++;
	json_decref(subjects);
	return n;
}

static void expect_error_about(const json_t *r, const char *needle)
{
	const char *msg;

	assert_non_null(r);
	assert_true(e2e_is_error(r));
	msg = e2e_str(r, "error");
	assert_non_null(msg);
	if (!strstr(msg, needle))
		fail_msg("error \"%s\" does not mention \"%s\"", msg, needle);
}

static void expect_ok(const json_t *r, const char *mailbox)
{
	assert_non_null(r);
	if (e2e_is_error(r))
		fail_msg("unexpected error: %s", e2e_str(r, "error"));
	assert_string_equal(e2e_str(r, "mailbox"), mailbox);
}

/* ---- primary mailbox ---------------------------------------------------------------- */

static void test_primary(void **state)
{
	fixture *f = *state;
	json_t *r = e2e_call(&f->imp, "read_emails", "{}");

	expect_ok(r, SVC);
	json_decref(r);
	/* the service account's own address, in another case and padded, is
	 * still the primary mailbox */
	r = e2e_call(&f->imp, "read_emails",
		     "{\"target_mailbox\":\"  Service-Account@Domain.COM \"}");
	expect_ok(r, SVC);
	json_decref(r);
}

/* ---- delegate access ------------------------------------------------------------------ */

static void test_delegate_read_and_send(void **state)
{
	fixture *f = *state;
	json_t *r;
	char *answer;

	r = e2e_call(&f->del, "read_emails", "{\"target_mailbox\":\"user@domain.com\"}");
	expect_ok(r, "user@domain.com");
	json_decref(r);

	r = e2e_call(&f->del, "send_email",
		     "{\"to\":[\"recipient@domain.com\"],\"subject\":\"Delegate hello\","
		     "\"body\":\"Sent by the delegate\",\"target_mailbox\":\"user@domain.com\"}");
	expect_ok(r, "user@domain.com");
	json_decref(r);
	assert_int_equal(count_subject(f, "recipient@domain.com", "inbox", "Delegate hello"), 1);
	/* the copy is in the owner's Sent Items, not the service account's */
	assert_int_equal(count_subject(f, "user@domain.com", "sentitems", "Delegate hello"), 1);
	assert_int_equal(count_subject(f, SVC, "sentitems", "Delegate hello"), 0);

	/* From is the owner, Sender is the delegate (send on behalf) */
	answer = e2e_soap(f->sim, "recipient@domain.com",
		"<?xml version=\"1.0\" encoding=\"utf-8\"?>"
		"<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" "
		"xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\" "
		"xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\">"
		"<soap:Header><t:RequestServerVersion Version=\"Exchange2016\"/></soap:Header>"
		"<soap:Body><m:FindItem Traversal=\"Shallow\"><m:ItemShape>"
		"<t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties>"
		"<t:FieldURI FieldURI=\"item:Subject\"/><t:FieldURI FieldURI=\"message:From\"/>"
		"<t:FieldURI FieldURI=\"message:Sender\"/></t:AdditionalProperties></m:ItemShape>"
		"<m:Restriction><t:IsEqualTo><t:FieldURI FieldURI=\"item:Subject\"/>"
		"<t:FieldURIOrConstant><t:Constant Value=\"Delegate hello\"/></t:FieldURIOrConstant>"
		"</t:IsEqualTo></m:Restriction>"
		"<m:ParentFolderIds><t:DistinguishedFolderId Id=\"inbox\"/></m:ParentFolderIds>"
		"</m:FindItem></soap:Body></soap:Envelope>");
	assert_non_null(answer);
	{
		char *from = strstr(answer, "<t:From>"), *sender = strstr(answer, "<t:Sender>");

		assert_non_null(from);
		assert_non_null(sender);
		assert_non_null(strstr(from, "user@domain.com"));
		assert_non_null(strstr(sender, SVC));
	}
	free(answer);
}

static void test_delegate_rights(void **state)
{
	fixture *f = *state;
	json_t *r;

	/* organizer@: Calendar Reviewer -> reading works, creating does not */
	r = e2e_call(&f->del, "get_calendar", "{\"target_mailbox\":\"organizer@domain.com\"}");
	expect_ok(r, "organizer@domain.com");
	json_decref(r);
	r = e2e_call(&f->del, "create_appointment",
		     "{\"subject\":\"Not allowed\",\"start_time\":\"2025-12-15T10:00:00\","
		     "\"end_time\":\"2025-12-15T11:00:00\",\"target_mailbox\":\"organizer@domain.com\"}");
	assert_true(e2e_is_error(r));
	assert_string_equal(e2e_str(r, "mailbox"), "organizer@domain.com");
	json_decref(r);
	assert_int_equal(count_subject(f, "organizer@domain.com", "calendar", "Not allowed"), 0);

	/* Tasks: None */
	r = e2e_call(&f->del, "create_task",
		     "{\"subject\":\"Nope\",\"target_mailbox\":\"organizer@domain.com\"}");
	assert_true(e2e_is_error(r));
	json_decref(r);
	assert_int_equal(count_subject(f, "organizer@domain.com", "tasks", "Nope"), 0);

	/* no delegation at all */
	r = e2e_call(&f->del, "read_emails", "{\"target_mailbox\":\"outsider@domain.com\"}");
	assert_true(e2e_is_error(r));
	assert_string_equal(e2e_str(r, "mailbox"), "outsider@domain.com");
	json_decref(r);

	/* Exchange serves OOF only to the owner or an impersonator */
	r = e2e_call(&f->del, "get_oof_settings", "{\"target_mailbox\":\"user@domain.com\"}");
	assert_true(e2e_is_error(r));
	json_decref(r);
}

/* ---- bad input: a clear error naming the field, and nothing sent ---------------------- */

static void test_bad_input(void **state)
{
	fixture *f = *state;
	static const struct {
		const char *tool, *args, *needle;
	} rows[] = {
		{ "send_email", "{\"subject\":\"x\",\"body\":\"y\"}", "to" },
		{ "send_email", "{\"to\":[\"not-an-address\"],\"subject\":\"x\",\"body\":\"y\"}", "to[0]" },
		{ "send_email", "{\"to\":\"a@domain.com\",\"subject\":5,\"body\":\"y\"}", "subject" },
		{ "send_email", "{\"to\":[\"recipient@domain.com\"],\"subject\":\"x\",\"body\":\"y\","
		  "\"importance\":\"Urgent\"}", "importance" },
		{ "send_email", "{\"to\":[\"recipient@domain.com\"],\"subject\":\"x\",\"body\":\"y\","
		  "\"target_mailbox\":\"user@domain.com\\r\\nBcc: spy@evil.test\"}", "target_mailbox" },
		{ "send_email", "{\"to\":[\"recipient@domain.com\"],\"subject\":\"x\",\"body\":\"y\","
		  "\"target_mailbox\":\"<script>@domain.com\"}", "target_mailbox" },
		{ "send_email", "{\"to\":[\"recipient@domain.com\"],\"subject\":\"x\",\"body\":\"y\","
		  "\"attachments\":[\"/etc/passwd\"]}", "attachments[0]" },
		{ "send_email", "{\"to\":[\"recipient@domain.com\"],\"subject\":\"bad\\u0001char\","
		  "\"body\":\"y\"}", "subject" },
		{ "read_emails", "{\"max_results\":\"ten\"}", "max_results" },
		{ "read_emails", "{\"max_results\":5000}", "max_results" },
		{ "read_emails", "{\"folder\":\"Inbox/NoSuchFolder\"}", "NoSuchFolder" },
		{ "read_emails", "{\"bogus\":1}", "bogus" },
		{ "create_appointment", "{\"subject\":\"x\",\"start_time\":\"2025-02-30T10:00:00\","
		  "\"end_time\":\"2025-03-01T10:00:00\"}", "start_time" },
		{ "create_appointment", "{\"subject\":\"x\",\"start_time\":\"2025-12-15T11:00:00\","
		  "\"end_time\":\"2025-12-15T10:00:00\"}", "end_time" },
		{ "reply_email", "{\"body\":\"x\"}", "message_id" },
	};
	long before = messages_sent(f);
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		json_t *r = e2e_call(&f->imp, rows[i].tool, rows[i].args);

		if (!r)
			fail_msg("row %zu: no result", i);
		expect_error_about(r, rows[i].needle);
		json_decref(r);
	}
	assert_int_equal(messages_sent(f), before);
}

/* A body larger than the tool accepts is refused before anything is sent. */
static void test_huge_body(void **state)
{
	fixture *f = *state;
	size_t n = 4000001, len = n + 200;
	char *args = malloc(len);
	long before = messages_sent(f);
	json_t *r;
	int off;

	off = snprintf(args, len, "{\"to\":[\"recipient@domain.com\"],\"subject\":\"big\",\"body\":\"");
	memset(args + off, 'a', n);
	snprintf(args + off + n, len - (size_t)off - n, "\"}");
	r = e2e_call(&f->imp, "send_email", args);
	free(args);
	expect_error_about(r, "body");
	json_decref(r);
	assert_int_equal(messages_sent(f), before);
}

/* Only regular files are attached: a FIFO (which blocks whoever opens it
 * for reading) or a device node in EWS_ATTACHMENT_DIR is refused at once,
 * and a regular file still goes out. */
static void test_attachment_dir_special_files(void **state)
{
	fixture *f = *state;
	char dir[] = "/tmp/ews-attach-XXXXXX", path[128], setting[160];
	const char *extra[] = { setting, NULL };
	e2e_server s;
	struct timespec t0, t1;
	long before = messages_sent(f), ms;
	json_t *r;
	FILE *file;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	snprintf(path, sizeof(path), "%s/ok.txt", dir);
	file = fopen(path, "w");
	fputs("quarterly numbers\n", file);
	fclose(file);
	snprintf(setting, sizeof(setting), "EWS_ATTACHMENT_DIR=%s", dir);
	assert_int_equal(e2e_server_start(&s, f->sim, SVC, extra), 0);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = e2e_call(&s, "send_email", "{\"to\":[\"recipient@domain.com\"],\"subject\":\"x\","
		     "\"body\":\"y\",\"attachments\":[\"fifo\"]}");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	if (!r)
		fail_msg("send_email with a FIFO attachment got no answer");
	expect_error_about(r, "not a regular file");
	json_decref(r);
	assert_true(ms < 5000);
	assert_int_equal(messages_sent(f), before);

	r = e2e_call(&s, "send_email", "{\"to\":[\"recipient@domain.com\"],\"subject\":\"x\","
		     "\"body\":\"y\",\"attachments\":[\"ok.txt\"]}");
	expect_ok(r, SVC);
	json_decref(r);
	assert_int_equal(e2e_server_stop(&s), 0);
	unlink(path);
	snprintf(path, sizeof(path), "%s/fifo", dir);
	unlink(path);
	rmdir(dir);
}

/* ---- dry runs and idempotency keys -------------------------------------------------------- */

static void test_dry_run(void **state)
{
	fixture *f = *state;
	long before = messages_sent(f);
	json_t *r = e2e_call(&f->imp, "send_email",
		"{\"to\":[\"recipient@domain.com\"],\"subject\":\"Dry\",\"body\":\"# Title\","
		"\"body_format\":\"markdown\",\"dry_run\":true}");

	expect_ok(r, SVC);
	assert_true(json_is_false(json_object_get(json_object_get(r, "structuredContent"), "sent")));
	assert_string_equal(e2e_str(r, "body_type"), "HTML");
	json_decref(r);
	assert_int_equal(messages_sent(f), before);
}

static void test_idempotency(void **state)
{
	fixture *f = *state;
	const char *args = "{\"to\":[\"recipient@domain.com\"],\"subject\":\"Once only\","
			   "\"body\":\"x\",\"idempotency_key\":\"order-4711\"}";
	json_t *r;

	r = e2e_call(&f->imp, "send_email", args);
	expect_ok(r, SVC);
	json_decref(r);
	r = e2e_call(&f->imp, "send_email", args);
	expect_ok(r, SVC);
	assert_true(json_is_true(json_object_get(json_object_get(r, "structuredContent"),
						 "idempotent_replay")));
	json_decref(r);
	assert_int_equal(count_subject(f, "recipient@domain.com", "inbox", "Once only"), 1);

	/* the same key for another message is refused */
	r = e2e_call(&f->imp, "send_email",
		     "{\"to\":[\"recipient@domain.com\"],\"subject\":\"Other\",\"body\":\"x\","
		     "\"idempotency_key\":\"order-4711\"}");
	expect_error_about(r, "order-4711");
	json_decref(r);
	assert_int_equal(count_subject(f, "recipient@domain.com", "inbox", "Other"), 0);
}

/* RATE_LIMIT_REQUESTS_PER_MINUTE counts per target mailbox: one busy
 * mailbox is throttled, the others are not. */
static void test_rate_limit_per_mailbox(void **state)
{
	static const char *const limited[] = { "RATE_LIMIT_ENABLED=true",
					       "RATE_LIMIT_REQUESTS_PER_MINUTE=3", NULL };
	fixture *f = *state;
	e2e_server srv;
	json_t *r;
	int i;

	assert_int_equal(e2e_server_start(&srv, f->sim, SVC, limited), 0);
	for (i = 0; i < 3; i++) {
		r = e2e_call(&srv, "read_emails", "{\"target_mailbox\":\"user@domain.com\"}");
		expect_ok(r, "user@domain.com");
		json_decref(r);
	}
	r = e2e_call(&srv, "read_emails", "{\"target_mailbox\":\"user@domain.com\"}");
	expect_error_about(r, "Rate limit exceeded for mailbox user@domain.com");
	assert_string_equal(e2e_str(r, "error_type"), "RateLimitError");
	assert_true(json_is_true(json_object_get(json_object_get(r, "structuredContent"),
						 "is_retryable")));
	json_decref(r);
	r = e2e_call(&srv, "read_emails", "{\"target_mailbox\":\"user1@domain.com\"}");
	expect_ok(r, "user1@domain.com");
	json_decref(r);
	assert_int_equal(e2e_server_stop(&srv), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_primary),
		cmocka_unit_test(test_delegate_read_and_send),
		cmocka_unit_test(test_delegate_rights),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_huge_body),
		cmocka_unit_test(test_attachment_dir_special_files),
		cmocka_unit_test(test_dry_run),
		cmocka_unit_test(test_idempotency),
		cmocka_unit_test(test_rate_limit_per_mailbox),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
