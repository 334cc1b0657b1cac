/* test_fault_matrix.c - every write reaches Exchange at most once, under
 * every sign-in method and every fault ews-sim can inject.
 *
 * One run covers one sign-in method and one way of reaching the mailbox
 * (argv[1]: basic-impersonation, basic-delegate, ntlm-impersonation,
 * ntlm-delegate, oauth2-impersonation; app-only tokens have no delegate
 * identity, so oauth2 reaches mailboxes by impersonation only). The
 * ews-mcp binary runs over stdio against an in-process ews-sim with
 * REQUEST_TIMEOUT=1.
 *
 * The write tools are found, not listed: every tool whose annotations do
 * not say readOnlyHint: true. Each needs a recipe below (its arguments);
 * a write tool without one fails the test, so a new tool cannot stay out
 * of the matrix. A clean call first shows which EWS operations the tool
 * writes with (writes.by_operation in /sim/stats) and what one execution
 * leaves behind (items carrying the call's unique token, in the target
 * mailbox and in the recipient's). Then, for each of those operations and
 * each fault kind, the fault is armed for one request and the tool called
 * again with a fresh token. Asserted for every call:
 *   - the write landed at most once: at most one execution in
 *     writes.by_mailbox, and either nothing or exactly the clean call's
 *     items in both mailboxes;
 *   - a call that reports success landed exactly once;
 *   - a call whose answer was lost (the write executed, no success) says
 *     error_code "outcome_unknown", never success;
 *   - faults that prove non-execution (ErrorServerBusy with back-off,
 *     HTTP 503 with Retry-After, an expired bearer token) are retried to
 *     success; faults that lose or garble the answer are never retried;
 *   - the call ends within its time budget.
 * Reads under the same faults must recover (count=1), wait at least the
 * server's BackOffMilliseconds or Retry-After, and fetch one new token
 * after an expired one.
 */
#include "harness.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SVC "svc-mcp@contoso.test"

/* The frame of the raw EWS requests the test sends as a user. */
#define ENVELOPE_HEAD \
	"<?xml version=\"1.0\" encoding=\"utf-8\"?>" \
	"<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"" \
	" xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\"" \
	" xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\">" \
	"<soap:Header><t:RequestServerVersion Version=\"Exchange2016\"/></soap:Header><soap:Body>"
#define ENVELOPE_TAIL "</soap:Body></soap:Envelope>"
#define RECIPIENT "bob@contoso.test"
#define TIMEOUT_S 1      /* REQUEST_TIMEOUT of the server under test */
#define RETRY_WAIT_MS 10000 /* the client's retry budget (retry.h) */

typedef struct combo {
	const char *name;
	const char *target;
	const char *settings[12];
	int oauth;
	int delegate;  /* reaches the target by delegate access */
} combo;

static const combo combos[] = {
	{ "basic-impersonation", "alice@contoso.test",
	  { "EWS_IMPERSONATION_TYPE=impersonation", NULL }, 0, 0 },
	{ "basic-delegate", "dave@contoso.test",
	  { "EWS_IMPERSONATION_TYPE=delegate", NULL }, 0, 1 },
	{ "ntlm-impersonation", "alice@contoso.test",
	  { "EWS_AUTH_TYPE=ntlm", "EWS_IMPERSONATION_TYPE=impersonation", NULL }, 0, 0 },
	{ "ntlm-delegate", "dave@contoso.test",
	  { "EWS_AUTH_TYPE=ntlm", "EWS_IMPERSONATION_TYPE=delegate", NULL }, 0, 1 },
	{ "oauth2-impersonation", "alice@contoso.test",
	  { "EWS_AUTH_TYPE=oauth2", "EWS_IMPERSONATION_TYPE=impersonation",
	    "EWS_TENANT_ID=contoso.test",
	    "EWS_CLIENT_ID=0f9e8d7c-6b5a-4c3d-2e1f-0a9b8c7d6e5f",
	    "EWS_CLIENT_SECRET=fault-matrix-secret", NULL }, 1, 0 },
};

/* What a fault proves about the write it hit. */
typedef enum verdict {
	NOT_EXECUTED_RETRY,  /* the answer proves nothing ran: retried, success */
	ANSWER_LOST          /* it may have run: never retried, never success */
} verdict;

typedef struct fault_kind {
	const char *name;
	const char *spec;        /* without op= and count= */
	verdict write_verdict;
	long min_read_ms;        /* a read must have waited at least this */
	int oauth_only;
} fault_kind;

static const fault_kind faults[] = {
	{ "reset_before", "kind=reset_before", ANSWER_LOST, 0, 0 },
	{ "reset_after", "kind=reset_after", ANSWER_LOST, 0, 0 },
	{ "truncate", "kind=truncate", ANSWER_LOST, 0, 0 },
	{ "server_busy", "kind=server_busy,backoff_ms=300", NOT_EXECUTED_RETRY, 300, 0 },
	{ "http503", "kind=http503,retry_after=1", NOT_EXECUTED_RETRY, 1000, 0 },
	{ "html500", "kind=html500", ANSWER_LOST, 0, 0 },
	{ "latency", "kind=latency,ms=1600", ANSWER_LOST, 0, 0 },
	{ "token_expired", "kind=token_expired", NOT_EXECUTED_RETRY, 0, 1 },
};
#define NFAULTS (sizeof(faults) / sizeof(faults[0]))

/* Arguments of each tool. {T} is the target mailbox, {U} the call's unique
 * token (put where it ends up in what the write leaves behind), {M} the id
 * of a message delivered to the target just before the call. */
typedef struct recipe {
	const char *tool;
	const char *args;
	int not_delegated;   /* Exchange serves it to the owner or an
			      * impersonating account only: under delegate
			      * access the tool must refuse, writing nothing */
} recipe;

static const recipe recipes[] = {
	{ "send_email", "{\"to\":[\"" RECIPIENT "\"],\"subject\":\"send {U}\","
	  "\"body\":\"b\",\"target_mailbox\":\"{T}\"}", 0 },
	{ "reply_email", "{\"message_id\":\"{M}\",\"body\":\"reply {U}\","
	  "\"target_mailbox\":\"{T}\"}", 0 },
	{ "forward_email", "{\"message_id\":\"{M}\",\"to\":[\"" RECIPIENT "\"],"
	  "\"body\":\"fwd {U}\",\"target_mailbox\":\"{T}\"}", 0 },
	{ "create_appointment", "{\"subject\":\"appt {U}\","
	  "\"start_time\":\"2027-01-12T10:00:00\",\"end_time\":\"2027-01-12T10:30:00\","
	  "\"target_mailbox\":\"{T}\"}", 0 },
	{ "create_contact", "{\"given_name\":\"{U}\",\"surname\":\"Contact\","
	  "\"email_address\":\"{U}@example.test\",\"target_mailbox\":\"{T}\"}", 0 },
	{ "create_task", "{\"subject\":\"task {U}\",\"target_mailbox\":\"{T}\"}", 0 },
	{ "create_folder", "{\"folder_name\":\"folder {U}\",\"parent_folder\":\"Inbox\","
	  "\"target_mailbox\":\"{T}\"}", 0 },
	{ "set_oof_settings", "{\"state\":\"Enabled\",\"internal_reply\":\"away {U}\","
	  "\"external_reply\":\"away {U}\",\"target_mailbox\":\"{T}\"}", 1 },
	/* reads */
	{ "read_emails", "{\"folder\":\"inbox\",\"max_results\":5,\"target_mailbox\":\"{T}\"}", 0 },
	{ "get_calendar", "{\"start_date\":\"2027-01-01\",\"end_date\":\"2027-01-31\","
	  "\"target_mailbox\":\"{T}\"}", 0 },
	{ "check_availability", "{\"email_addresses\":[\"{T}\"],"
	  "\"start_time\":\"2027-01-12T08:00:00\",\"end_time\":\"2027-01-12T18:00:00\","
	  "\"target_mailbox\":\"{T}\"}", 0 },
	{ "search_contacts", "{\"query\":\"Contact\",\"target_mailbox\":\"{T}\"}", 0 },
	{ "get_tasks", "{\"target_mailbox\":\"{T}\"}", 0 },
	{ "list_folders", "{\"target_mailbox\":\"{T}\"}", 0 },
	{ "get_oof_settings", "{\"target_mailbox\":\"{T}\"}", 0 },
};

static const combo *C;
static ews_sim *sim;
static e2e_server server;
static long token_seq;

/* ---- what the sim saw ------------------------------------------------------ */

static long long stat_at(const json_t *doc, const char *const *path)
{
	const json_t *v = doc;

	for (; v && *path; path++)
		v = json_object_get(v, *path);
	return json_integer_value(v);
}

static long long writes_in(const json_t *st, const char *mailbox)
{
	const char *p[] = { "writes", "by_mailbox", mailbox, "executed", NULL };

	return stat_at(st, p);
}

static long long stat1(const json_t *st, const char *a, const char *b)
{
	const char *p[] = { a, b, NULL };

	return stat_at(st, p);
}

/* Waits until the sim has finished every request (a latency fault keeps
 * executing after the client gave up), then reads its stats. */
static json_t *settled_stats(void)
{
	int i;

	for (i = 0; i < 500; i++) {
		json_t *st = e2e_sim_stats(sim);

		if (st && stat1(st, "http", "in_flight") == 0)
			return st;
		json_decref(st);
		usleep(10000);
	}
	fail_msg("the sim never finished its requests");
	return NULL;
}

/* Items and folders of user's mailbox whose subject (or name) holds u. */
static int count_in_mailbox(const char *user, const char *u)
{
	static const char *const folders[] = {
		"inbox", "sentitems", "drafts", "outbox", "deleteditems",
		"calendar", "contacts", "tasks",
	};
	char body[4096], *answer;
	size_t i;
	int n = 0;

	for (i = 0; i < sizeof(folders) / sizeof(folders[0]); i++) {
		snprintf(body, sizeof(body),
			 ENVELOPE_HEAD
			 "<m:FindItem Traversal=\"Shallow\"><m:ItemShape>"
			 "<t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>"
			 "<m:IndexedPageItemView MaxEntriesReturned=\"1000\" Offset=\"0\" BasePoint=\"Beginning\"/>"
			 "<m:Restriction><t:Contains ContainmentMode=\"Substring\" ContainmentComparison=\"IgnoreCase\">"
			 "<t:FieldURI FieldURI=\"item:Subject\"/><t:Constant Value=\"%s\"/></t:Contains></m:Restriction>"
			 "<m:ParentFolderIds><t:DistinguishedFolderId Id=\"%s\"/></m:ParentFolderIds>"
			 "</m:FindItem>" ENVELOPE_TAIL, u, folders[i]);
		answer = e2e_soap(sim, user, body);
		assert_non_null(answer);
		assert_non_null(strstr(answer, "NoError"));
		n += e2e_count(answer, "<t:ItemId ");
		free(answer);
	}
	snprintf(body, sizeof(body),
		 ENVELOPE_HEAD
		 "<m:FindFolder Traversal=\"Deep\"><m:FolderShape>"
		 "<t:BaseShape>Default</t:BaseShape></m:FolderShape>"
		 "<m:ParentFolderIds><t:DistinguishedFolderId Id=\"msgfolderroot\"/></m:ParentFolderIds>"
		 "</m:FindFolder>" ENVELOPE_TAIL);
	answer = e2e_soap(sim, user, body);
	assert_non_null(answer);
	n += e2e_count(answer, u);
	free(answer);
	return n;
}

/* Where one execution shows: the target's mailbox and the recipient's. */
typedef struct footprint {
	int target;
	int recipient;
} footprint;

static footprint footprint_of(const char *u)
{
	footprint f = { count_in_mailbox(C->target, u),
			count_in_mailbox(RECIPIENT, u) };

	return f;
}

/* ---- calls ----------------------------------------------------------------- */

/* Delivers a message to the target (sent by the recipient, raw EWS) and
 * returns its id in the target's inbox (static buffer). */
static const char *deliver_message(const char *u)
{
	static char id[1024];
	char body[4096], *answer;
	const char *p, *q;

	snprintf(body, sizeof(body),
		 ENVELOPE_HEAD
		 "<m:CreateItem MessageDisposition=\"SendOnly\"><m:Items><t:Message>"
		 "<t:Subject>original %s</t:Subject><t:Body BodyType=\"Text\">o</t:Body>"
		 "<t:ToRecipients><t:Mailbox><t:EmailAddress>%s</t:EmailAddress></t:Mailbox>"
		 "</t:ToRecipients></t:Message></m:Items></m:CreateItem>" ENVELOPE_TAIL,
		 u, C->target);
	answer = e2e_soap(sim, RECIPIENT, body);
	assert_non_null(answer);
	assert_non_null(strstr(answer, "NoError"));
	free(answer);
	snprintf(body, sizeof(body),
		 ENVELOPE_HEAD
		 "<m:FindItem Traversal=\"Shallow\"><m:ItemShape>"
		 "<t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>"
		 "<m:Restriction><t:Contains ContainmentMode=\"Substring\" ContainmentComparison=\"IgnoreCase\">"
		 "<t:FieldURI FieldURI=\"item:Subject\"/><t:Constant Value=\"original %s\"/></t:Contains></m:Restriction>"
		 "<m:ParentFolderIds><t:DistinguishedFolderId Id=\"inbox\"/></m:ParentFolderIds>"
		 "</m:FindItem>" ENVELOPE_TAIL, u);
	answer = e2e_soap(sim, C->target, body);
	assert_non_null(answer);
	p = strstr(answer, "<t:ItemId Id=\"");
	assert_non_null(p);
	p += strlen("<t:ItemId Id=\"");
	q = strchr(p, '"');
	snprintf(id, sizeof(id), "%.*s", (int)(q - p), p);
	free(answer);
	return id;
}

static const recipe *find_recipe(const char *tool)
{
	size_t i;

	for (i = 0; i < sizeof(recipes) / sizeof(recipes[0]); i++)
		if (strcmp(recipes[i].tool, tool) == 0)
			return &recipes[i];
	return NULL;
}

static const char *recipe_of(const char *tool)
{
	const recipe *r = find_recipe(tool);

	return r ? r->args : NULL;
}

/* The recipe with {T}, {U} and {M} filled in (heap string). */
static char *arguments(const char *tmpl, const char *u)
{
	char *out = malloc(8192);
	size_t n = 0;
	const char *p;

	for (p = tmpl; *p && n < 8000; p++) {
		const char *with = NULL;

		if (p[0] == '{' && p[1] && p[2] == '}') {
			if (p[1] == 'T')
				with = C->target;
			else if (p[1] == 'U')
				with = u;
			else if (p[1] == 'M')
				with = deliver_message(u);
		}
		if (with) {
			n += (size_t)snprintf(out + n, 8192 - n, "%s", with);
			p += 2;
		} else {
			out[n++] = *p;
		}
	}
	out[n] = '\0';
	return out;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

typedef struct outcome {
	json_t *result;
	int success;
	const char *error_code;
	long elapsed_ms;
	footprint before, after;
	long long writes;       /* executions in the target mailbox */
	json_t *by_op;          /* executions per write operation */
	long long token_requests, http_requests;
} outcome;

/* {op: executed} of writes.by_operation, minus the same of before. */
static json_t *op_deltas(const json_t *before, const json_t *after)
{
	const json_t *b = json_object_get(json_object_get(before, "writes"),
					  "by_operation");
	const json_t *a = json_object_get(json_object_get(after, "writes"),
					  "by_operation");
	json_t *out = json_object(), *v;
	const char *op;

	json_object_foreach((json_t *)a, op, v) {
		long long d = json_integer_value(json_object_get(v, "executed")) -
			      json_integer_value(json_object_get(
				      json_object_get(b, op), "executed"));

		if (d)
			json_object_set_new(out, op, json_integer(d));
	}
	return out;
}

static void arm(const char *spec, const char *op)
{
	char rule[256];
	char *r;

	snprintf(rule, sizeof(rule), "%s%s%s,count=1", spec, op ? ",op=" : "",
		 op ? op : "");
	r = e2e_sim_post(sim, "/sim/faults", rule);
	assert_non_null(r);
	assert_string_equal(r, "ok");
	free(r);
}

/* A fresh unique token for one call. */
static void new_token(char *u, size_t ucap)
{
	snprintf(u, ucap, "fm%ld%s", ++token_seq, C->oauth ? "o" : "");
}

/* One tool call with arguments args whose items carry token u, the fault
 * (NULL: none) armed for one request right before it; what it did, seen
 * from every side. */
static outcome run_args(const char *tool, const char *args, const char *u,
			const char *fault, const char *op)
{
	outcome o;
	json_t *st, *st0;
	long t0;
	long long w0, tok0, req0;

	memset(&o, 0, sizeof(o));
	o.before = footprint_of(u);
	st0 = settled_stats();
	w0 = writes_in(st0, C->target);
	tok0 = stat1(st0, "http", "token_requests");
	req0 = stat1(st0, "http", "requests");
	if (fault)
		arm(fault, op);
	t0 = now_ms();
	o.result = e2e_call(&server, tool, args);
	o.elapsed_ms = now_ms() - t0;
	if (!o.result)
		fail_msg("%s %s: no tools/call result", C->name, tool);
	o.success = !e2e_is_error(o.result) &&
		    json_is_true(json_object_get(json_object_get(o.result,
					"structuredContent"), "success"));
	o.error_code = e2e_str(o.result, "error_code");
	st = settled_stats();
	o.writes = writes_in(st, C->target) - w0;
	o.token_requests = stat1(st, "http", "token_requests") - tok0;
	o.http_requests = stat1(st, "http", "requests") - req0;
	o.by_op = op_deltas(st0, st);
	json_decref(st);
	json_decref(st0);
	o.after = footprint_of(u);
	return o;
}

/* run_args with the recipe filled in for a fresh token (left in u). */
static outcome run(const char *tool, const char *tmpl, const char *fault,
		   const char *op, char *u, size_t ucap)
{
	outcome o;
	char *args;

	new_token(u, ucap);
	args = arguments(tmpl, u);
	o = run_args(tool, args, u, fault, op);
	free(args);
	return o;
}

static const char *text_of(const json_t *result)
{
	return json_string_value(json_object_get(json_array_get(
		json_object_get(result, "content"), 0), "text"));
}

/* What one clean execution of a tool does: its write operations with how
 * often each runs (a delegate's send is a draft, then SendItem), its
 * executions in the target mailbox, and the items it leaves behind. */
typedef struct once {
	json_t *by_op;
	long long writes;
	footprint left;
} clean_call;

static clean_call calibrate(const char *tool, const char *tmpl)
{
	char u[64];
	outcome o;
	clean_call c;

	o = run(tool, tmpl, NULL, NULL, u, sizeof(u));
	if (!o.success)
		fail_msg("%s %s: the clean call failed: %s", C->name, tool,
			 text_of(o.result));
	if (o.writes < 1 || json_object_size(o.by_op) == 0)
		fail_msg("%s %s: a clean call wrote nothing in %s", C->name,
			 tool, C->target);
	c.by_op = o.by_op;
	c.writes = o.writes;
	c.left.target = o.after.target - o.before.target;
	c.left.recipient = o.after.recipient - o.before.recipient;
	json_decref(o.result);
	return c;
}

/* A tool Exchange does not serve to delegates refuses, and writes nothing. */
static void refused_under_delegation(const char *tool, const char *tmpl)
{
	char u[64];
	outcome o = run(tool, tmpl, NULL, NULL, u, sizeof(u));

	if (o.success || !o.error_code ||
	    strcmp(o.error_code, "access_denied") != 0 ||
	    o.writes != 0 || json_object_size(o.by_op) != 0)
		fail_msg("%s %s: expected a refusal under delegate access: %s",
			 C->name, tool, text_of(o.result));
	json_decref(o.by_op);
	json_decref(o.result);
}

/* No operation ran more often than in the clean call (exactly as often
 * when exact); the operation that breaks the rule, or NULL. */
static const char *more_than_once(const json_t *by_op, const json_t *clean,
				  int exact)
{
	const char *op;
	json_t *v;

	json_object_foreach((json_t *)by_op, op, v)
		if (json_integer_value(v) >
		    json_integer_value(json_object_get(clean, op)))
			return op;
	if (exact)
		json_object_foreach((json_t *)clean, op, v)
			if (json_integer_value(v) !=
			    json_integer_value(json_object_get(by_op, op)))
				return op;
	return NULL;
}

/* The budget of one call: REQUEST_TIMEOUT plus the retry budget, which
 * all its attempts and waits share (call.c), plus a margin for a loaded
 * machine. */
static long budget_ms(void)
{
	return TIMEOUT_S * 1000L + RETRY_WAIT_MS + 1500;
}

static void check_write(const char *tool, const char *op, const fault_kind *f,
			const clean_call *clean)
{
	const footprint *once = &clean->left;
	const char *twice;
	char u[64];
	outcome o;
	int dt, dr;

	o = run(tool, recipe_of(tool), f->spec, op, u, sizeof(u));
	dt = o.after.target - o.before.target;
	dr = o.after.recipient - o.before.recipient;
	if (getenv("FAULT_MATRIX_VERBOSE"))
		fprintf(stderr, "%s %s %s@%s: success=%d code=%s writes=%lld "
			"target+%d recipient+%d %ld ms %lld requests\n", C->name,
			tool, f->name, op, o.success, o.error_code ? o.error_code : "-",
			o.writes, dt, dr, o.elapsed_ms, o.http_requests);
	/* at most once, wherever it is counted */
	twice = more_than_once(o.by_op, clean->by_op, 0);
	if (twice || o.writes > clean->writes ||
	    (dt != 0 && dt != once->target) || (dr != 0 && dr != once->recipient))
		fail_msg("%s %s under %s at %s: executed more than once (%s; %lld "
			 "writes in the target, target +%d, recipient +%d; once is "
			 "%lld, +%d/+%d)", C->name, tool, f->name, op,
			 twice ? twice : "-", o.writes, dt, dr, clean->writes,
			 once->target, once->recipient);
	twice = more_than_once(o.by_op, clean->by_op, 1);
	if (o.success && (twice || o.writes != clean->writes ||
			  dt != once->target || dr != once->recipient))
		fail_msg("%s %s under %s at %s: success reported but not executed "
			 "exactly once (%s, %lld writes)", C->name, tool, f->name,
			 op, twice ? twice : "-", o.writes);
	if (o.writes > 0 && !o.success &&
	    (!o.error_code || strcmp(o.error_code, "outcome_unknown") != 0))
		fail_msg("%s %s under %s at %s: executed, answer lost, but reported "
			 "\"%s\": %s", C->name, tool, f->name, op,
			 o.error_code ? o.error_code : "(none)", text_of(o.result));
	if (f->write_verdict == NOT_EXECUTED_RETRY && !o.success)
		fail_msg("%s %s under %s at %s: Exchange proved nothing ran, yet "
			 "the call failed: %s", C->name, tool, f->name, op,
			 text_of(o.result));
	if (f->write_verdict == ANSWER_LOST) {
		if (o.success)
			fail_msg("%s %s under %s at %s: a lost answer reported as "
				 "success", C->name, tool, f->name, op);
		if (!o.error_code || strcmp(o.error_code, "outcome_unknown") != 0)
			fail_msg("%s %s under %s at %s: expected outcome_unknown, "
				 "got \"%s\": %s", C->name, tool, f->name, op,
				 o.error_code ? o.error_code : "(none)",
				 text_of(o.result));
		/* says so, and says where to look (each write operation has
		 * its own hint; the generic one means a wrapper lacks it) */
		if (!strstr(text_of(o.result), "The outcome is unknown") ||
		    strstr(text_of(o.result), "check the mailbox before trying"))
			fail_msg("%s %s under %s: outcome_unknown without where to "
				 "look: %s", C->name, tool, f->name, text_of(o.result));
	}
	if (f->oauth_only && o.token_requests != 1)
		fail_msg("%s %s under %s: %lld token requests, expected one refresh",
			 C->name, tool, f->name, o.token_requests);
	if (o.elapsed_ms > budget_ms())
		fail_msg("%s %s under %s: took %ld ms, budget %ld ms", C->name,
			 tool, f->name, o.elapsed_ms, budget_ms());
	json_decref(o.by_op);
	json_decref(o.result);
}

/* The recipe's arguments plus idempotency_key = key (heap string). */
static char *with_key(const char *tmpl, const char *u, const char *key)
{
	char *filled = arguments(tmpl, u), *out;
	json_t *j = json_loads(filled, 0, NULL);

	assert_non_null(j);
	json_object_set_new(j, "idempotency_key", json_string(key));
	out = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	free(filled);
	return out;
}

/* idempotency_key and outcome_unknown together: a keyed call whose answer
 * was lost keeps its key, and repeating it sends nothing and says to look;
 * a keyed call that succeeded after a retry returns its first result when
 * repeated, sending nothing. */
static void check_keyed(const char *tool, const char *tmpl, const char *op)
{
	char u[64], key[80], *args;
	outcome o;

	new_token(u, sizeof(u));
	snprintf(key, sizeof(key), "lost-%s", u);
	args = with_key(tmpl, u, key);
	o = run_args(tool, args, u, "kind=reset_after", op);
	if (o.success || !o.error_code || strcmp(o.error_code, "outcome_unknown"))
		fail_msg("%s %s keyed, reset_after: %s", C->name, tool,
			 text_of(o.result));
	json_decref(o.by_op);
	json_decref(o.result);
	o = run_args(tool, args, u, NULL, NULL);
	if (o.success || !o.error_code || strcmp(o.error_code, "outcome_unknown") ||
	    o.writes != 0 || json_object_size(o.by_op) != 0 ||
	    !strstr(text_of(o.result), key))
		fail_msg("%s %s: repeating a key whose outcome is unknown must "
			 "send nothing and say so: %s", C->name, tool,
			 text_of(o.result));
	json_decref(o.by_op);
	json_decref(o.result);
	free(args);

	new_token(u, sizeof(u));
	snprintf(key, sizeof(key), "busy-%s", u);
	args = with_key(tmpl, u, key);
	o = run_args(tool, args, u, "kind=server_busy,backoff_ms=100", op);
	if (!o.success)
		fail_msg("%s %s keyed, server_busy: %s", C->name, tool,
			 text_of(o.result));
	json_decref(o.by_op);
	json_decref(o.result);
	o = run_args(tool, args, u, NULL, NULL);
	if (!o.success || o.writes != 0 || json_object_size(o.by_op) != 0)
		fail_msg("%s %s: repeating a key that succeeded must return the "
			 "first result and send nothing: %s", C->name, tool,
			 text_of(o.result));
	json_decref(o.by_op);
	json_decref(o.result);
	free(args);
}

static void check_read(const char *tool, const fault_kind *f)
{
	char u[64];
	outcome o;

	o = run(tool, recipe_of(tool), f->spec, NULL, u, sizeof(u));
	if (getenv("FAULT_MATRIX_VERBOSE"))
		fprintf(stderr, "%s %s %s: success=%d %ld ms %lld requests\n",
			C->name, tool, f->name, o.success, o.elapsed_ms,
			o.http_requests);
	if (!o.success)
		fail_msg("%s %s under %s: a read did not recover: %s", C->name,
			 tool, f->name, text_of(o.result));
	if (o.writes != 0 || json_object_size(o.by_op) != 0)
		fail_msg("%s %s under %s: a read wrote", C->name, tool, f->name);
	if (o.elapsed_ms < f->min_read_ms)
		fail_msg("%s %s under %s: retried after %ld ms, before the server's "
			 "%ld ms", C->name, tool, f->name, o.elapsed_ms,
			 f->min_read_ms);
	if (f->oauth_only && o.token_requests != 1)
		fail_msg("%s %s under %s: %lld token requests, expected one refresh",
			 C->name, tool, f->name, o.token_requests);
	if (o.elapsed_ms > budget_ms())
		fail_msg("%s %s under %s: took %ld ms, budget %ld ms", C->name,
			 tool, f->name, o.elapsed_ms, budget_ms());
	json_decref(o.by_op);
	json_decref(o.result);
}

static void test_matrix(void **state)
{
	json_t *list, *tools, *t;
	size_t i, k, nwrite = 0, nread = 0, ncalls = 0, nkeyed = 0;
	const char *settings[16];
	char authority[256], timeout[64];

	(void)state;
	sim = e2e_sim_start("tests/e2e/fault-org.json");
	assert_non_null(sim);
	snprintf(authority, sizeof(authority), "EWS_OAUTH_AUTHORITY=%s", ews_sim_url(sim));
	snprintf(timeout, sizeof(timeout), "REQUEST_TIMEOUT=%d", TIMEOUT_S);
	for (i = 0; C->settings[i]; i++)
		settings[i] = C->settings[i];
	settings[i++] = authority;
	settings[i++] = timeout;
	settings[i] = NULL;
	assert_int_equal(e2e_server_start(&server, sim, SVC, settings), 0);

	list = e2e_request(&server, "tools/list", "{}");
	assert_non_null(list);
	tools = json_object_get(json_object_get(list, "result"), "tools");
	assert_true(json_array_size(tools) > 0);
	json_array_foreach(tools, i, t) {
		const char *name = json_string_value(json_object_get(t, "name"));
		int read_only = json_is_true(json_object_get(
			json_object_get(t, "annotations"), "readOnlyHint"));
		const char *tmpl = recipe_of(name);
		const char *op;
		json_t *v;
		clean_call clean;

		if (!tmpl)
			fail_msg("tool %s has no recipe in the fault matrix: add "
				 "its arguments to recipes[] in %s", name, __FILE__);
		if (read_only) {
			/* A read's retries do not depend on how the mailbox
			 * is reached: the impersonation runs cover them. */
			if (C->delegate)
				continue;
			for (k = 0; k < NFAULTS; k++) {
				if (faults[k].oauth_only && !C->oauth)
					continue;
				check_read(name, &faults[k]);
				ncalls++;
			}
			nread++;
			continue;
		}
		if (find_recipe(name)->not_delegated && C->delegate) {
			refused_under_delegation(name, tmpl);
			nwrite++;
			continue;
		}
		clean = calibrate(name, tmpl);
		if (json_object_get(json_object_get(json_object_get(t,
				"inputSchema"), "properties"), "idempotency_key")) {
			/* the operation that finishes the write: the last */
			const char *last = NULL;

			json_object_foreach(clean.by_op, op, v)
				last = op;
			check_keyed(name, tmpl, last);
			nkeyed++;
		}
		json_object_foreach(clean.by_op, op, v)
			for (k = 0; k < NFAULTS; k++) {
				if (faults[k].oauth_only && !C->oauth)
					continue;
				check_write(name, op, &faults[k], &clean);
				ncalls++;
			}
		json_decref(clean.by_op);
		nwrite++;
	}
	print_message("%s: %zu write tools (%zu with idempotency keys) and %zu "
		      "read tools, %zu faulted calls\n", C->name, nwrite, nkeyed,
		      nread, ncalls);
	assert_true(nwrite >= 8);
	json_decref(list);
	assert_int_equal(e2e_server_stop(&server), 0);
	ews_sim_stop(sim);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix),
	};
	size_t i;

	for (i = 0; i < sizeof(combos) / sizeof(combos[0]); i++)
		if (argc > 1 && strcmp(argv[1], combos[i].name) == 0)
			C = &combos[i];
	if (!C) {
		fprintf(stderr, "usage: %s COMBINATION (", argv[0]);
		for (i = 0; i < sizeof(combos) / sizeof(combos[0]); i++)
			fprintf(stderr, "%s%s", i ? ", " : "", combos[i].name);
		fprintf(stderr, ")\n");
		return 2;
	}
	return cmocka_run_group_tests_name(C->name, tests, NULL, NULL);
}
