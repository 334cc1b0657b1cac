/* test_audit.c - the JSON Lines audit log (src/core/audit.c): line
 * content, redaction, rotation, permissions, concurrent writers. */
#include "testutil.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/audit.h"

static const char *tmp_path(const char *rel)
{
	static char path[1024];

	snprintf(path, sizeof(path), "%s/%s", testutil_tmpdir(), rel);
	return path;
}

/* Parses every line of a file; returns the number of lines, failing the
 * test on a line that is not one JSON object. *out (optional) receives
 * the array of objects. */
static size_t read_lines(const char *path, json_t **out)
{
	char *text = testutil_read_file(path, NULL);
	json_t *all = json_array();
	char *line, *save = NULL;
	size_t n = 0;

	if (!text) {
		json_decref(all);
		if (out)
			*out = NULL;
		return 0;
	}
	if (*text)
		assert_int_equal(text[strlen(text) - 1], '\n');
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_error_t jerr;
		json_t *obj = json_loads(line, 0, &jerr);

		if (!obj || !json_is_object(obj))
			fail_msg("%s: bad line '%s': %s", path, line, jerr.text);
		json_array_append_new(all, obj);
		n++;
	}
	free(text);
	if (out)
		*out = all;
	else
		json_decref(all);
	return n;
}

static void test_line_content(void **state)
{
	char path[1024];
	audit_log *log = NULL;
	errinfo err = ERRINFO_INIT;
	json_t *ids = json_pack("[s,s]", "AAMkAD1", "AAMkAD2");
	json_t *args = json_pack("{s:s, s:[s], s:s}", "target_mailbox", "alice@contoso.com",
				 "to", "bob@contoso.com", "subject", "Quarterly numbers");
	audit_record rec = { 0 };
	json_t *lines, *o;
	struct stat st;
	const char *ts;

	(void)state;
	snprintf(path, sizeof(path), "%s", tmp_path("nested/deeper/audit.log"));
	assert_int_equal(audit_open(&log, path, 0, 0, &err), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(tmp_path("nested/deeper"), &st), 0);
	assert_true(S_ISDIR(st.st_mode));

	rec.tool = "send_email";
	rec.service_account = "svc@contoso.com";
	rec.target_mailbox = "alice@contoso.com";
	rec.access_type = "impersonation";
	rec.success = 1;
	rec.duration_ms = 123.456;
	rec.request_id = "8c2a-req";
	rec.item_ids = ids;
	rec.arguments = args;
	assert_int_equal(audit_write(log, &rec), 0);

	rec.tool = "get_item";
	rec.access_type = "delegate";
	rec.success = 0;
	rec.error_code = "not_found";
	rec.ews_code = "ErrorItemNotFound";
	rec.request_id = NULL;
	rec.item_ids = NULL;
	rec.arguments = NULL;
	rec.duration_ms = 5;
	assert_int_equal(audit_write(log, &rec), 0);
	audit_close(log);

	assert_int_equal(read_lines(path, &lines), 2);
	o = json_array_get(lines, 0);
	ts = json_string_value(json_object_get(o, "timestamp"));
	assert_non_null(ts);
	/* 2025-12-15T10:00:00.123Z */
	assert_int_equal(strlen(ts), 24);
	assert_int_equal(ts[10], 'T');
	assert_int_equal(ts[19], '.');
	assert_int_equal(ts[23], 'Z');
	assert_string_equal(json_string_value(json_object_get(o, "tool")), "send_email");
	assert_string_equal(json_string_value(json_object_get(o, "service_account")), "svc@contoso.com");
	assert_string_equal(json_string_value(json_object_get(o, "target_mailbox")), "alice@contoso.com");
	assert_string_equal(json_string_value(json_object_get(o, "access_type")), "impersonation");
	assert_string_equal(json_string_value(json_object_get(o, "outcome")), "success");
	assert_true(json_is_null(json_object_get(o, "error_code")));
	assert_true(json_is_null(json_object_get(o, "ews_code")));
	assert_true(json_real_value(json_object_get(o, "duration_ms")) > 123.4 &&
		    json_real_value(json_object_get(o, "duration_ms")) < 123.6);
	assert_string_equal(json_string_value(json_object_get(o, "request_id")), "8c2a-req");
	assert_true(json_equal(json_object_get(o, "item_ids"), ids));
	assert_true(json_equal(json_object_get(o, "arguments"), args));

	o = json_array_get(lines, 1);
	assert_string_equal(json_string_value(json_object_get(o, "outcome")), "error");
	assert_string_equal(json_string_value(json_object_get(o, "error_code")), "not_found");
	assert_string_equal(json_string_value(json_object_get(o, "ews_code")), "ErrorItemNotFound");
	assert_true(json_is_null(json_object_get(o, "request_id")));
	assert_int_equal(json_array_size(json_object_get(o, "item_ids")), 0);
	assert_true(json_is_null(json_object_get(o, "arguments")));

	json_decref(lines);
	json_decref(ids);
	json_decref(args);
}

/* A line never spans two lines, whatever the arguments contain. */
static void test_no_line_injection(void **state)
{
	const char *path = tmp_path("inject.log"); /* static buffer: not reused below */
	audit_log *log = NULL;
	errinfo err = ERRINFO_INIT;
	json_t *args = json_pack("{s:s}", "folder", "Inbox\n{\"tool\":\"forged\"}");
	audit_record rec = { 0 };
	json_t *lines;

	(void)state;
	assert_int_equal(audit_open(&log, path, 0, 0, &err), 0);
	rec.tool = "x\ny";
	rec.target_mailbox = "bad\xff@contoso.com";
	rec.success = 1;
	rec.arguments = args;
	assert_int_equal(audit_write(log, &rec), 0);
	audit_close(log);
	assert_int_equal(read_lines(path, &lines), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(lines, 0), "target_mailbox")),
			    "[invalid UTF-8]");
	json_decref(lines);
	json_decref(args);
}

static void test_redaction(void **state)
{
	char long_text[400], want[260];
	json_t *in, *out, *expect;

	(void)state;
	memset(long_text, 'x', 300);
	long_text[300] = '\0';
	memset(want, 'x', 200);
	strcpy(want + 200, "\xE2\x80\xA6[truncated]");
	in = json_pack("{s:[s], s:s, s:s, s:s, s:s, s:s, s:s,"
		       " s:[{s:s, s:s, s:b}], s:{s:s, s:{s:s, s:s}},"
		       " s:s, s:s, s:s, s:i, s:[s, {s:s}], s:s, s:s}",
		       "to", "bob@contoso.com",
		       "subject", "Budget",
		       "target_mailbox", "alice@contoso.com",
		       "body", "confidential text",
		       "html_body", "<p>x</p>",
		       "password", "hunter2",
		       "X-Api-Key", "k",
		       "inline_attachments", "file_name", "a.png", "file_content", "iVBORw0KGgo=",
		       "is_inline", 1,
		       "options", "auth", "ignored",
		       "nested", "Access_Token", "eyJ...", "note", "fine",
		       "mime_content_base64", "TUlNRQ==",
		       "client_secret", "s",
		       "long", long_text,
		       "max_results", 10,
		       "list", "plain", "Authorization", "Bearer x",
		       "content_type", "text/plain",
		       "query", "from:boss");
	assert_non_null(in);
	out = audit_redact(in);
	expect = json_pack("{s:[s], s:s, s:s, s:s, s:s, s:s, s:s,"
			   " s:[{s:s, s:s, s:b}], s:{s:s, s:{s:s, s:s}},"
			   " s:s, s:s, s:s, s:i, s:[s, {s:s}], s:s, s:s}",
			   "to", "bob@contoso.com",
			   "subject", "Budget",
			   "target_mailbox", "alice@contoso.com",
			   "body", "[REDACTED]",
			   "html_body", "[REDACTED]",
			   "password", "[REDACTED]",
			   "X-Api-Key", "[REDACTED]",
			   "inline_attachments", "file_name", "a.png", "file_content", "[REDACTED]",
			   "is_inline", 1,
			   "options", "auth", "ignored",
			   "nested", "Access_Token", "[REDACTED]", "note", "fine",
			   "mime_content_base64", "[REDACTED]",
			   "client_secret", "[REDACTED]",
			   "long", want,
			   "max_results", 10,
			   "list", "plain", "Authorization", "[REDACTED]",
			   "content_type", "text/plain",
			   "query", "from:boss");
	if (!json_equal(out, expect)) {
		char *got = json_dumps(out, JSON_SORT_KEYS);

		fail_msg("redacted: %s", got);
	}
	/* The input is untouched. */
	assert_string_equal(json_string_value(json_object_get(in, "password")), "hunter2");
	assert_null(audit_redact(NULL));
	json_decref(in);
	json_decref(out);
	json_decref(expect);
}

/* Redaction goes by the whole name: arguments that only say how a call
 * reads or writes stay readable, every secret- or content-bearing one is
 * hidden, in any case and with '-' for '_'. */
static void test_redaction_exact_names(void **state)
{
	static const char *const visible[] = {
		"body_format", "include_body", "content_type", "content_id", "format",
		"trim_quoted", "file_name", "is_inline", "subject", "idempotency_key",
		"message_id", "token_count_hint", "bodyguard", "passwords_reset_at",
	};
	static const char *const hidden[] = {
		"password", "Password", "EWS_PASSWORD", "passwd", "secret", "client_secret",
		"Client-Secret", "ews_client_secret", "token", "access_token",
		"Refresh-Token", "id_token", "api_key", "API-KEY", "apikey", "X-Api-Key",
		"mcp_api_key", "authorization", "Proxy-Authorization", "cookie", "body",
		"BODY", "html_body", "text_body", "body_html", "body_text", "unique_body",
		"internal_reply", "external_reply", "content", "file_content",
		"content_base64", "mime", "mime_content", "mime_content_base64",
	};
	json_t *in = json_object(), *out;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(visible) / sizeof(visible[0]); i++)
		json_object_set_new(in, visible[i], json_string("shown"));
	for (i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++)
		json_object_set_new(in, hidden[i], json_string("hunter2"));
	out = audit_redact(in);
	for (i = 0; i < sizeof(visible) / sizeof(visible[0]); i++)
		if (strcmp(json_string_value(json_object_get(out, visible[i])), "shown") != 0)
			fail_msg("%s was hidden", visible[i]);
	for (i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++)
		if (strcmp(json_string_value(json_object_get(out, hidden[i])), "[REDACTED]") != 0)
			fail_msg("%s was not hidden", hidden[i]);
	json_decref(in);
	json_decref(out);
}

/* Whole objects under a sensitive key go, and cutting respects UTF-8. */
static void test_redaction_objects_and_utf8(void **state)
{
	char text[700];
	json_t *in, *out;
	const char *s;
	size_t i;

	(void)state;
	for (i = 0; i < 250; i++)
		memcpy(text + i * 2, "\xC3\xA9", 2); /* é */
	text[500] = '\0';
	in = json_pack("{s:{s:s, s:s}, s:s}", "body", "content", "x", "contentType", "HTML",
		       "notes", text);
	out = audit_redact(in);
	assert_string_equal(json_string_value(json_object_get(out, "body")), "[REDACTED]");
	s = json_string_value(json_object_get(out, "notes"));
	assert_int_equal(strlen(s), 400 + strlen("\xE2\x80\xA6[truncated]"));
	assert_memory_equal(s, text, 400);
	json_decref(in);
	json_decref(out);
}

static void write_n(audit_log *log, int from, int n)
{
	int i;

	for (i = from; i < from + n; i++) {
		char tool[32];
		audit_record rec = { 0 };

		snprintf(tool, sizeof(tool), "tool_%04d", i);
		rec.tool = tool;
		rec.service_account = "svc@contoso.com";
		rec.success = 1;
		assert_int_equal(audit_write(log, &rec), 0);
	}
}

static long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void test_rotation(void **state)
{
	char path[1024], name[1100];
	audit_log *log = NULL;
	errinfo err = ERRINFO_INIT;
	json_t *lines;
	size_t total = 0;
	int k;

	(void)state;
	snprintf(path, sizeof(path), "%s", tmp_path("rot/audit.log"));
	assert_int_equal(audit_open(&log, path, 1000, 2, &err), 0);
	write_n(log, 0, 60);
	audit_close(log);

	/* path, path.1, path.2, and nothing beyond the backups. */
	for (k = 0; k <= 2; k++) {
		struct stat st;

		if (k == 0)
			snprintf(name, sizeof(name), "%s", path);
		else
			snprintf(name, sizeof(name), "%s.%d", path, k);
		assert_true(file_size(name) > 0);
		assert_true(file_size(name) <= 1000);
		assert_int_equal(stat(name, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0600);
		total += read_lines(name, NULL);
	}
	snprintf(name, sizeof(name), "%s.3", path);
	assert_int_equal(file_size(name), -1);

	/* The newest line is last in path; path.2 holds older lines than path.1. */
	assert_true(read_lines(path, &lines) > 0);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(lines, json_array_size(lines) - 1), "tool")),
			    "tool_0059");
	json_decref(lines);
	assert_true(total < 60);

	/* Reopening appends to the existing file and keeps rotating. */
	assert_int_equal(audit_open(&log, path, 1000, 2, &err), 0);
	write_n(log, 60, 1);
	audit_close(log);
	assert_true(read_lines(path, &lines) >= 1);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(lines, json_array_size(lines) - 1), "tool")),
			    "tool_0060");
	json_decref(lines);
}

static void test_rotation_no_backups(void **state)
{
	char path[1024];
	char name[1100];
	audit_log *log = NULL;
	errinfo err = ERRINFO_INIT;

	(void)state;
	snprintf(path, sizeof(path), "%s", tmp_path("trunc.log"));
	assert_int_equal(audit_open(&log, path, 600, 0, &err), 0);
	write_n(log, 0, 40);
	audit_close(log);
	assert_true(file_size(path) <= 600);
	assert_true(read_lines(path, NULL) >= 1);
	snprintf(name, sizeof(name), "%s.1", path);
	assert_int_equal(file_size(name), -1);
}

static void test_open_errors(void **state)
{
	audit_log *log = (audit_log *)1;
	char file[1024], below[1100];
	FILE *f;
	errinfo err = ERRINFO_INIT;

	(void)state;
	snprintf(file, sizeof(file), "%s", tmp_path("plainfile"));
	f = fopen(file, "w");
	assert_non_null(f);
	fclose(f);
	snprintf(below, sizeof(below), "%s/sub/audit.log", file);
	assert_int_equal(audit_open(&log, below, 0, 0, &err), ERR_IO);
	assert_null(log);
	assert_non_null(strstr(err.msg, "cannot create folder"));
	errinfo_clear(&err);
	assert_int_equal(audit_open(&log, "", 0, 0, &err), ERR_CONFIG);
	audit_close(NULL);
	assert_int_equal(audit_write(NULL, NULL), 0);
}

/* ---- concurrency ---- */

typedef struct worker {
	audit_log *log;
	int id;
} worker;

static void *write_lines(void *arg)
{
	worker *w = arg;
	json_t *args = json_pack("{s:s, s:s}", "subject", "a fairly long subject line to make the lines bigger than a few bytes",
				 "body", "secret body");
	int i;

	for (i = 0; i < 200; i++) {
		char tool[32], rid[32];
		audit_record rec = { 0 };

		snprintf(tool, sizeof(tool), "t%d", w->id);
		snprintf(rid, sizeof(rid), "%d", i);
		rec.tool = tool;
		rec.request_id = rid;
		rec.success = 1;
		rec.arguments = args;
		audit_write(w->log, &rec);
	}
	json_decref(args);
	return NULL;
}

static void test_threads(void **state)
{
	const char *path = tmp_path("threads.log"); /* static buffer: not reused below */
	audit_log *log = NULL;
	errinfo err = ERRINFO_INIT;
	pthread_t th[4];
	worker w[4];
	int seen[4][200];
	json_t *lines, *o;
	size_t i;
	int k;

	(void)state;
	memset(seen, 0, sizeof(seen));
	assert_int_equal(audit_open(&log, path, 0, 0, &err), 0);
	for (k = 0; k < 4; k++) {
		w[k].log = log;
		w[k].id = k;
		assert_int_equal(pthread_create(&th[k], NULL, write_lines, &w[k]), 0);
	}
	for (k = 0; k < 4; k++)
		pthread_join(th[k], NULL);
	audit_close(log);

	assert_int_equal(read_lines(path, &lines), 800);
	json_array_foreach(lines, i, o) {
		int t = json_string_value(json_object_get(o, "tool"))[1] - '0';
		int r = atoi(json_string_value(json_object_get(o, "request_id")));

		assert_true(t >= 0 && t < 4 && r >= 0 && r < 200);
		seen[t][r]++;
		assert_string_equal(json_string_value(json_object_get(
					    json_object_get(o, "arguments"), "body")), "[REDACTED]");
	}
	for (k = 0; k < 4; k++)
		for (i = 0; i < 200; i++)
			assert_int_equal(seen[k][i], 1);
	json_decref(lines);
}

/* Concurrent writers while rotating: no line is torn or lost. */
static void test_threads_rotating(void **state)
{
	const char *path = tmp_path("rotthreads.log"); /* static buffer: not reused below */
	char name[1100];
	audit_log *log = NULL;
	errinfo err = ERRINFO_INIT;
	pthread_t th[4];
	worker w[4];
	size_t total = 0;
	int k;

	(void)state;
	assert_int_equal(audit_open(&log, path, 20000, 100, &err), 0);
	for (k = 0; k < 4; k++) {
		w[k].log = log;
		w[k].id = k;
		assert_int_equal(pthread_create(&th[k], NULL, write_lines, &w[k]), 0);
	}
	for (k = 0; k < 4; k++)
		pthread_join(th[k], NULL);
	audit_close(log);
	total = read_lines(path, NULL);
	for (k = 1; k <= 100; k++) {
		snprintf(name, sizeof(name), "%s.%d", path, k);
		if (file_size(name) < 0)
			break;
		assert_true(file_size(name) <= 20000);
		total += read_lines(name, NULL);
	}
	assert_true(k > 2); /* it did rotate */
	assert_int_equal(total, 800);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_content),
		cmocka_unit_test(test_no_line_injection),
		cmocka_unit_test(test_redaction),
		cmocka_unit_test(test_redaction_exact_names),
		cmocka_unit_test(test_redaction_objects_and_utf8),
		cmocka_unit_test(test_rotation),
		cmocka_unit_test(test_rotation_no_backups),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_threads_rotating),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
