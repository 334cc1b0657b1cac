/* test_matrix.c - each of the 15 tools through ews-mcp against ews-sim, in
 * every way a mailbox can be reached or refused:
 *   primary            no target_mailbox
 *   impersonation      a mailbox in the ApplicationImpersonation scope
 *   out of scope       a mailbox outside it (the seed's "permission" text)
 *   nonexistent        no such mailbox (the seed's "no mailbox" text)
 *   delegate           a mailbox that granted us Editor everywhere
 *   delegate partial   Reviewer on Inbox and Calendar, nothing on Contacts
 *                      and Tasks, no send right: reads of what it may see
 *                      work, everything else is refused
 *   disabled           EWS_IMPERSONATION_ENABLED=false (the seed's text)
 * Each row of the table is one tool; each column one condition. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define SVC "service-account@domain.com"

enum { C_PRIMARY, C_IMP, C_OUT, C_NONE, C_DEL, C_DEL_PARTIAL, C_OFF, NCOND };

static const char *const cond_names[NCOND] = {
	"primary", "impersonation", "out of scope", "nonexistent", "delegate",
	"delegate partial", "disabled"
};
static const char *const cond_target[NCOND] = {
	NULL, "user@domain.com", "outsider@domain.com", "nobody@domain.com",
	"user@domain.com", "organizer@domain.com", "user@domain.com"
};

/* %C% in args becomes the condition's number (folder names must differ).
 * 'y' success, 'n' refused (any error), 'p' the seed's permission text,
 * 'x' the seed's nonexistent text, 'd' the seed's disabled text. */
static const struct {
	const char *tool;
	const char *args;   /* JSON object body without braces; %ID% = a message id */
	const char expect[NCOND + 1];
} rows[] = {
	{ "read_emails", "\"max_results\":2", "yypxyyd" },
	{ "send_email", "\"to\":[\"recipient@domain.com\"],\"subject\":\"Matrix\",\"body\":\"x\"", "yypxynd" },
	{ "reply_email", "\"message_id\":\"%ID%\",\"body\":\"ok\"", "yypxynd" },
	{ "forward_email", "\"message_id\":\"%ID%\",\"to\":[\"recipient@domain.com\"]", "yypxynd" },
	{ "get_calendar", "\"days_ahead\":7", "yypxyyd" },
	{ "create_appointment", "\"subject\":\"Matrix\",\"start_time\":\"2025-12-16T10:00:00\","
	  "\"end_time\":\"2025-12-16T10:30:00\"", "yypxynd" },
	{ "check_availability", "\"attendees\":[\"user1@domain.com\"],\"start_time\":"
	  "\"2025-12-15T09:00:00\",\"end_time\":\"2025-12-15T17:00:00\"", "yypxyyd" },
	{ "search_contacts", "\"query\":\"a\"", "yypxynd" },
	{ "create_contact", "\"given_name\":\"Max\",\"surname\":\"Matrix\","
	  "\"email_address\":\"max@matrix.test\"", "yypxynd" },
	{ "get_tasks", "", "yypxynd" },
	{ "create_task", "\"subject\":\"Matrix\"", "yypxynd" },
	{ "list_folders", "\"parent_folder\":\"inbox\"", "yypxyyd" },
	{ "create_folder", "\"folder_name\":\"Matrix %C%\",\"parent_folder\":\"inbox\"", "yypxynd" },
	/* Exchange serves out-of-office only to the owner or an impersonator. */
	{ "get_oof_settings", "", "yypxnnd" },
	{ "set_oof_settings", "\"state\":\"Disabled\"", "yypxnnd" },
};

typedef struct fixture {
	ews_sim *sim;
	e2e_server imp, del, off;
	char *ids[NCOND]; /* a message id in each condition's target mailbox */
} fixture;

static char *first_message_id(e2e_server *s, const char *target)
{
	char args[256];
	json_t *r;
	const char *id;
	char *out = NULL;

	snprintf(args, sizeof(args), "{\"max_results\":1%s%s%s}", target ? ",\"target_mailbox\":\"" : "",
		 target ? target : "", target ? "\"" : "");
	r = e2e_call(s, "read_emails", args);
	id = json_string_value(json_object_get(json_array_get(json_object_get(
		json_object_get(r, "structuredContent"), "emails"), 0), "message_id"));
	if (id)
		out = strdup(id);
	json_decref(r);
	return out;
}

static int setup(void **state)
{
	static const char *const delegate[] = { "EWS_IMPERSONATION_TYPE=delegate", NULL };
	static const char *const off[] = { "EWS_IMPERSONATION_ENABLED=false", NULL };
	fixture *f = calloc(1, sizeof(*f));
	int c;

	f->sim = e2e_sim_start("tests/e2e/seed-org.json");
	if (!f->sim || e2e_server_start(&f->imp, f->sim, SVC, NULL) < 0 ||
	    e2e_server_start(&f->del, f->sim, SVC, delegate) < 0 ||
	    e2e_server_start(&f->off, f->sim, SVC, off) < 0)
		return -1;
	/* Reply and forward need a real message of the mailbox; where the
	 * mailbox has none we can read, one of user@'s stands in (the call
	 * must then be refused for the mailbox, not for the id). */
	for (c = 0; c < NCOND; c++) {
		f->ids[c] = first_message_id(c == C_DEL || c == C_DEL_PARTIAL ? &f->del : &f->imp,
					     cond_target[c]);
		if (!f->ids[c])
			f->ids[c] = first_message_id(&f->imp, "user@domain.com");
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	int c;

	assert_int_equal(e2e_server_stop(&f->imp), 0);
	assert_int_equal(e2e_server_stop(&f->del), 0);
	assert_int_equal(e2e_server_stop(&f->off), 0);
	ews_sim_stop(f->sim);
	for (c = 0; c < NCOND; c++)
		free(f->ids[c]);
	free(f);
	return 0;
}

static char *build_args(const char *body, const char *target, const char *id, int cond)
{
	char *out = malloc(4096), *p;
	int n;

	n = snprintf(out, 4096, "{%s", body);
	if (target)
		n += snprintf(out + n, 4096 - (size_t)n, "%s\"target_mailbox\":\"%s\"",
			      body[0] ? "," : "", target);
	snprintf(out + n, 4096 - (size_t)n, "}");
	p = strstr(out, "%ID%");
	if (p) {
		char *copy = malloc(8192);

		snprintf(copy, 8192, "%.*s%s%s", (int)(p - out), out, id ? id : "missing", p + 4);
		free(out);
		out = copy;
	}
	p = strstr(out, "%C%");
	if (p) {
		p[0] = (char)('0' + cond);
		memmove(p + 1, p + 3, strlen(p + 3) + 1);
	}
	return out;
}

static void test_matrix(void **state)
{
	fixture *f = *state;
	size_t i;
	int c, failures = 0;
	char want[600];

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		for (c = 0; c < NCOND; c++) {
			e2e_server *srv = c == C_DEL || c == C_DEL_PARTIAL ? &f->del
					  : c == C_OFF ? &f->off : &f->imp;
			char *args = build_args(rows[i].args, cond_target[c], f->ids[c], c);
			json_t *r = e2e_call(srv, rows[i].tool, args);
			char e = rows[i].expect[c];
			const char *mailbox = e2e_str(r, "mailbox");
			const char *error = e2e_str(r, "error");
			int ok;

			want[0] = '\0';
			if (e == 'p')
				snprintf(want, sizeof(want), "Failed to access mailbox %s: The account does "
					 "not have permission to impersonate the requested user.",
					 cond_target[c]);
			else if (e == 'x')
				snprintf(want, sizeof(want), "Failed to access mailbox %s: The SMTP address "
					 "has no mailbox associated with it.", cond_target[c]);
			else if (e == 'd')
				snprintf(want, sizeof(want), "Impersonation not enabled. Set "
					 "EWS_IMPERSONATION_ENABLED=true to access mailbox: %s",
					 cond_target[c]);
			ok = r != NULL && mailbox &&
			     strcmp(mailbox, cond_target[c] ? cond_target[c] : SVC) == 0;
			if (ok && e == 'y')
				ok = !e2e_is_error(r);
			else if (ok && e == 'n')
				ok = e2e_is_error(r) && error && error[0];
			else if (ok)
				ok = e2e_is_error(r) && error && strcmp(error, want) == 0 &&
				     strcmp(e2e_str(r, "error_type"), "ConnectionError") == 0;
			if (!ok) {
				print_error("%s / %s: expected '%c', got %s: %s\n", rows[i].tool,
					    cond_names[c], e, r ? (e2e_is_error(r) ? "error" : "success")
					    : "no answer", error ? error : "");
				failures++;
			}
			json_decref(r);
			free(args);
		}
	}
	assert_int_equal(failures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
